/**
 * A real Prometheus preloaded with history: series are written as OpenMetrics text, turned into
 * TSDB blocks with `promtool tsdb create-blocks-from openmetrics`, and served by `prometheus` on a
 * free loopback port (no scrapes). Used by the backfill test; the lead's forecast check reuses it.
 */
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HistoryPoint } from '../../agent/store/history-repo.js';
import { freePort } from './prometheus-harness.js';

export interface LabelledSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly HistoryPoint[];
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Writes one gauge family as OpenMetrics text (timestamps in seconds), series after series. */
export async function writeOpenMetrics(
  file: string,
  metric: string,
  series: readonly LabelledSeries[],
): Promise<void> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`# HELP ${metric} Demand history written by a test.\n# TYPE ${metric} gauge\n`);
  for (const s of series) {
    const labels = Object.entries(s.labels)
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(',');
    for (const p of s.points) await write(`${metric}{${labels}} ${p.value} ${p.t / 1000}\n`);
  }
  await write('# EOF\n');
  out.end();
  await once(out, 'finish');
}

/**
 * promtool cuts 2 h blocks by default and re-reads the whole input for each one (two weeks: 168
 * passes, ~30 s); week-long blocks take ~1 s. The flag is hidden in older promtools, absent in
 * some: retry without it.
 */
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

export interface PreloadedPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

/** Builds blocks from the series and starts Prometheus on them. Samples must end before now. */
export async function startPrometheusWithHistory(opts: {
  readonly prometheus: string;
  readonly promtool: string;
  readonly metric: string;
  readonly series: readonly LabelledSeries[];
}): Promise<PreloadedPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'nodecast-prom-backfill-'));
  const data = join(dir, 'data');
  const input = join(dir, 'history.om');
  await writeOpenMetrics(input, opts.metric, opts.series);
  await createBlocks(opts.promtool, input, data);
  writeFileSync(join(dir, 'prometheus.yml'), 'global: { scrape_interval: 1m }\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    opts.prometheus,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      // Well past the history's age, so startup never deletes the backfilled blocks.
      '--storage.tsdb.retention.time=60d',
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
