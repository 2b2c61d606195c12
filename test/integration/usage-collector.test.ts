/**
 * `nodecast collect` end to end: a fake kubelet on loopback serves a realistic /stats/summary
 * (test/fixtures/kubelet-summary.json); the collector reads it directly (https, bearer token,
 * self-signed certificate) or through a fake API server's node proxy, and serves /usage and
 * /metrics. Needs openssl for the https cases: skipped with a message without it, unless CI=true.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCollectCommand } from '../../agent/cli/collect-command.js';
import { eventually } from './kube-helpers.js';
import {
  Capture,
  getJsonStatus,
  readSummary,
  selfSignedCert,
  startCollector,
  startFakeKubelet,
  startJsonServer,
  tempDir,
  writeToken,
  type JsonServer,
  type RunningCollector,
} from './usage-harness.js';

const dir = tempDir();
const tls = selfSignedCert(dir);
if (!tls && process.env.CI === 'true')
  throw new Error('openssl is required under CI=true (https kubelet tests)');
if (!tls)
  console.warn(
    '[usage-collector.test] https kubelet cases skipped: openssl not found; CI=true makes this fail',
  );

const summary = readSummary();
const NODE = summary.node.nodeName;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function kubelet(opts: Parameters<typeof startFakeKubelet>[0]): Promise<JsonServer> {
  const k = await startFakeKubelet(opts);
  cleanups.push(() => k.close());
  return k;
}

async function collector(argv: string[], env?: NodeJS.ProcessEnv): Promise<RunningCollector> {
  const c = await startCollector(argv, env);
  cleanups.push(() => c.stop());
  return c;
}

const ready = (c: RunningCollector) =>
  eventually(async () => (await getJsonStatus(`${c.url}/usage`)).status === 200, 5000, '/usage to be ready');

describe.skipIf(!tls)('nodecast collect against an https kubelet', () => {
  it('reads the summary with the service-account token and serves /usage and /metrics', async () => {
    let token = 'token-one';
    const tokenFile = writeToken(dir, token);
    const k = await kubelet({ summary: () => summary, token: () => token, tls: tls! });
    const c = await collector([
      `--node-name=${NODE}`,
      `--kubelet-url=${k.url}`,
      '--insecure-skip-tls-verify',
      `--token-file=${tokenFile}`,
      '--group=spark-executor',
      '--interval=100ms',
    ]);
    await ready(c);
    const usage = (await getJsonStatus(`${c.url}/usage`)).body;
    expect(usage).toMatchObject({ kind: 'NodeUsage', node: NODE, group: 'spark-executor' });
    expect(usage.pods.map((p: { name: string }) => p.name)).toContain('nightly-orders-7f3c2a9e1b-exec-1');
    expect(k.requests[0]).toEqual({ path: '/stats/summary', authorization: 'Bearer token-one' });

    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(
        `^nodecast_collector_node_used_memory_bytes\\{node="${NODE}",group="spark-executor"\\} \\d+$`,
        'm',
      ),
    );

    // Projected tokens rotate on disk: the next read must use the new one.
    token = 'token-two';
    writeToken(dir, token);
    const before = k.requests.length;
    await eventually(() => k.requests.slice(before).some((r) => r.authorization === 'Bearer token-two'));
    expect(c.stderr.text).not.toMatch(/HTTP 401/);

    expect(await c.stop()).toBe(0);
    await expect(fetch(`${c.url}/healthz`)).rejects.toThrow();
  });

  it('refuses a self-signed kubelet certificate unless told to skip verification or given its CA', async () => {
    const k = await kubelet({ summary: () => summary, tls: tls! });
    const strict = await collector([`--node-name=${NODE}`, `--kubelet-url=${k.url}`, '--interval=100ms']);
    const notReady = await eventually(async () => {
      const r = await getJsonStatus(`${strict.url}/readyz`);
      return r.body.reason !== 'no kubelet summary read yet' ? r : undefined;
    });
    expect(notReady!.status).toBe(503);
    expect(notReady!.body.reason).toMatch(/self.signed certificate/i);

    const withCa = await collector([
      `--node-name=${NODE}`,
      `--kubelet-url=${k.url}`,
      `--kubelet-ca-file=${tls!.certFile}`,
      '--interval=100ms',
    ]);
    await ready(withCa);
  });
});

describe('nodecast collect through the API server proxy', () => {
  it('reads the summary at /api/v1/nodes/<node>/proxy/stats/summary and takes the group from the node label', async () => {
    const node = { metadata: { name: NODE, labels: { 'nodecast.io/node-group': 'spark-executor-large' } } };
    const api = await startJsonServer((path) => {
      if (path === `/api/v1/nodes/${NODE}/proxy/stats/summary`) return { status: 200, body: summary };
      if (path === `/api/v1/nodes/${NODE}`)
        return { status: 200, body: { kind: 'Node', apiVersion: 'v1', ...node } };
      return { status: 404, body: { kind: 'Status', code: 404 } };
    });
    cleanups.push(() => api.close());
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: api.url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'u', user: { token: 'api-token' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    const c = await collector([`--kubeconfig=${kubeconfig}`, '--interval=100ms'], { NODE_NAME: NODE });
    await ready(c);
    expect((await getJsonStatus(`${c.url}/usage`)).body.group).toBe('spark-executor-large');
    const paths = new Set(api.requests.map((r) => r.path));
    expect(paths).toEqual(new Set([`/api/v1/nodes/${NODE}/proxy/stats/summary`, `/api/v1/nodes/${NODE}`]));
    expect(api.requests.every((r) => r.authorization === 'Bearer api-token')).toBe(true);
  });

  it('exits 1 with a clear message when there is no way to reach the API server', async () => {
    const stderr = new Capture();
    const code = await runCollectCommand([`--node-name=${NODE}`], {
      stdout: new Capture(),
      stderr,
      isTTY: false,
      env: {},
    });
    expect(code).toBe(1);
    expect(stderr.text).toMatch(/no API server access for the proxy path: pass --kubelet-url, --kubeconfig/);
  });

  it('exits 2 on bad flags', async () => {
    const stderr = new Capture();
    const code = await runCollectCommand(['--port=http'], {
      stdout: new Capture(),
      stderr,
      isTTY: false,
      env: { NODE_NAME: 'n' },
    });
    expect(code).toBe(2);
    expect(stderr.text).toMatch(/--port must be a port number/);
  });
});

describe('nodecast collect as a process', () => {
  it('shuts down cleanly on SIGTERM', async () => {
    const k = await kubelet({ summary: () => summary });
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const script = `import('./agent/cli/collect-command.ts').then((m) =>
      m.runCollectCommand(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, isTTY: false }))
      .then((code) => { process.exitCode = code; });`;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        script,
        '--',
        `--node-name=${NODE}`,
        `--kubelet-url=${k.url}`,
        '--port=0',
        '--host=127.0.0.1',
      ],
      { cwd: root, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await eventually(
      () => /serving (http:\/\/[^/\s]+)\/usage/.exec(out)?.[1],
      10_000,
      'the collector to listen',
    );
    await eventually(async () => (await getJsonStatus(`${url}/usage`)).status === 200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toContain('"signal":"SIGTERM"');
  });
});
