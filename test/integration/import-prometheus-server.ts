/**
 * A real Prometheus serving an OpenMetrics file: promtool turns the file into TSDB blocks and
 * prometheus serves them on a free loopback port, scraping nothing.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './prometheus-harness.js';

export interface BlocksPrometheus {
  readonly url: string;
  /** Kills prometheus and removes its data. */
  stop(): Promise<void>;
}

/** promtool's default 2 h blocks re-read the input once per block; one wide block is much faster. */
async function createBlocks(promtool: string, input: string, output: string): Promise<void> {
  const run = (extra: string[]) =>
    promisify(execFile)(
      promtool,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', ...extra, input, output],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  try {
    await run(['--max-block-duration=168h']);
  } catch (err) {
    if (!/unknown long flag/.test(String((err as { stderr?: string }).stderr ?? err))) throw err;
    await run([]);
  }
}

/** `write(file)` writes the OpenMetrics input; its samples must all lie in the past. */
export async function startPrometheusOnBlocks(opts: {
  readonly prometheus: string;
  readonly promtool: string;
  readonly write: (file: string) => Promise<unknown>;
}): Promise<BlocksPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'nodecast-import-prom-'));
  const data = join(dir, 'data');
  const input = join(dir, 'kube-state-metrics.om');
  try {
    await opts.write(input);
    await createBlocks(opts.promtool, input, data);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  rmSync(input);
  writeFileSync(join(dir, 'prometheus.yml'), 'global: { scrape_interval: 1m }\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    opts.prometheus,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      // Blocks older than the retention are deleted at startup: keep everything.
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
