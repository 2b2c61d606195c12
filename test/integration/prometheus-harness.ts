/**
 * A real Prometheus for tests: finds the binaries, starts `prometheus` on a free loopback port with
 * a temp storage dir and a 1 s scrape of one metrics URL, and queries its HTTP API.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Absolute path of an executable on PATH (or /usr/bin), or undefined. */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Whether a suite needing `name` runs: true when found; false (with a message) when missing outside
 * CI; throws under CI=true, where a missing binary is a broken pipeline, not a reason to skip.
 */
export function requireBinary(name: string, suite: string): string | undefined {
  const path = findBinary(name);
  if (path) return path;
  if (process.env.CI === 'true') throw new Error(`${name} is required under CI=true but was not found`);
  console.warn(`[${suite}] skipped: ${name} not found on PATH; set CI=true to make this fail`);
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface PromResult {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly data?: { resultType: string; result: unknown[] };
}

export interface PrometheusServer {
  readonly url: string;
  query(expr: string): Promise<PromResult>;
  /** GET an API path (e.g. `/api/v1/rules`) and parse the JSON body. */
  get<T = unknown>(path: string): Promise<T>;
  /** Polls `expr` until it returns at least one sample. */
  waitFor(expr: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  readonly binary: string;
  /** Full URL of the metrics endpoint to scrape every second. */
  readonly scrapeUrl: string;
  readonly job?: string;
  /** Absolute paths of rule files to load. */
  readonly ruleFiles?: readonly string[];
}

export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nodecast-prom-'));
  const target = new URL(opts.scrapeUrl);
  const config = [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    `rule_files: ${JSON.stringify(opts.ruleFiles ?? [])}`,
    'scrape_configs:',
    `  - job_name: ${JSON.stringify(opts.job ?? 'nodecast')}`,
    `    metrics_path: ${JSON.stringify(target.pathname)}`,
    `    static_configs: [{ targets: [${JSON.stringify(target.host)}] }]`,
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    opts.binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const server = prometheusClient(url, child, dir, () => stderr);
  await waitUntil(
    async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true,
    30_000,
    () => `prometheus did not become ready: ${stderr}`,
  );
  return server;
}

function prometheusClient(
  url: string,
  child: ChildProcess,
  dir: string,
  stderr: () => string,
): PrometheusServer {
  const get = async <T>(path: string): Promise<T> => (await (await fetch(url + path)).json()) as T;
  const query = (expr: string) => get<PromResult>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
  return {
    url,
    get,
    query,
    async waitFor(expr, timeoutMs = 30_000) {
      await waitUntil(
        async () => ((await query(expr)).data?.result.length ?? 0) > 0,
        timeoutMs,
        () => `no data for ${expr} after ${timeoutMs} ms: ${stderr()}`,
      );
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  message: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(message());
}

/**
 * Grafana's template variables, replaced by values Prometheus accepts: every multi-value variable
 * matches all, and the interval variables get lengths that fit a 1 s scrape.
 */
export const TEST_VARIABLES: Readonly<Record<string, string>> = {
  datasource: 'prometheus',
  cluster: '.*',
  group: '.*',
  queue: '.*',
  lead: '5s',
  // What Grafana computes for a 15 s scrape interval (4 x scrape): wide enough that a burst of
  // scale-outs stays in the window while the test queries.
  __rate_interval: '1m',
  __interval: '1s',
  __range: '1m',
};

export function substituteVariables(
  expr: string,
  values: Readonly<Record<string, string>> = TEST_VARIABLES,
): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const value = values[name];
    if (value === undefined) throw new Error(`no test value for template variable ${whole} in: ${expr}`);
    return value;
  });
}
