/**
 * Start-up errors: `nodecast start` exits non-zero naming the config field, and leaves nothing
 * running. The CLI runs in a child process against the Kubernetes test API server: the child
 * exiting by itself shows no watch, socket or timer was left open; the server's open-watch count
 * shows the watches were closed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../agent/clock.js';
import { silentLogger } from '../../agent/logger.js';
import { startAgent } from '../../agent/runtime/agent.js';
import { StartupError } from '../../agent/runtime/startup-checks.js';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { group, testConfig } from '../fakes/spark-cluster.js';

const CLI = new URL('../../agent/cli.ts', import.meta.url).pathname;
const EXIT_WITHIN_MS = 20_000;

let api: KubeApiServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  api = await startKubeApiServer();
  dir = mkdtempSync(join(tmpdir(), 'nodecast-startup-'));
  kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function configFile(name: string, extra: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `clusterName: test
server: { host: 127.0.0.1, port: 0 }
nodeGroups:
  - name: spark-executor
    role: executor
    nodeSelector: { nodecast.io/node-group: spark-executor }
    min: 0
    max: 10
    shape: { cpu: "16", memory: 64Gi, pods: 110 }
leaderElection: { enabled: false }
${extra}
`,
  );
  return path;
}

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `nodecast start ...args`; fails the test if the process is still running after the bound. */
function runStart(args: string[]): Promise<Exit> {
  const env = { ...process.env };
  delete env.KUBECONFIG;
  delete env.NODECAST_CONFIG;
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start', ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nodecast start still running after ${EXIT_WITHIN_MS} ms: ${stderr}`));
    }, EXIT_WITHIN_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

const listening = (port: number): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(port, '127.0.0.1', () => resolve(s));
  });

describe('nodecast start refuses bad start-up settings', () => {
  it('a missing tokens file: exits 1 naming api.tokensFile and the path', async () => {
    const config = configFile(
      'missing-tokens',
      `dataDir: ${join(dir, 'data-1')}\napi: { tokensFile: /nonexistent/tokens }`,
    );
    const exit = await runStart(['--config', config, '--kubeconfig', kubeconfig]);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(
      'api.tokensFile: cannot read "/nonexistent/tokens": no such file or directory',
    );
    expect(exit.stderr).not.toMatch(/\n\s+at /); // a message, not a stack
  });

  it('a malformed tokens file: exits 1 naming api.tokensFile, the entry and its line', async () => {
    const tokens = join(dir, 'tokens.yaml');
    writeFileSync(tokens, '- name: ci\n  token: short\n  scopes: [write]\n');
    const config = configFile(
      'bad-tokens',
      `dataDir: ${join(dir, 'data-2')}\napi: { tokensFile: ${tokens} }`,
    );
    const exit = await runStart(['--config', config, '--kubeconfig', kubeconfig]);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(`api.tokensFile: ${tokens}[0] (line 1, column 3).token: must be a string`);
  });

  it('a missing tokens file in the simulator demo: exits 1 before the simulator starts', async () => {
    const config = configFile('demo-tokens', 'api: { tokensFile: /nonexistent/tokens }');
    const exit = await runStart(['--config', config]);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('api.tokensFile: cannot read "/nonexistent/tokens"');
  });

  it('a data dir that cannot be created: exits 1 naming dataDir', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const config = configFile('bad-data-dir', `dataDir: ${join(file, 'data')}`);
    const exit = await runStart(['--config', config, '--kubeconfig', kubeconfig]);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(
      `dataDir: cannot write to "${join(file, 'data')}": a path component is not a directory`,
    );
  });

  it('overrides in Kubernetes without the ForecastOverride CRD: exits 1 naming overrides.store, watches closed', async () => {
    const config = configFile(
      'no-crd',
      `dataDir: ${join(dir, 'data-crd')}\noverrides: { store: kubernetes, namespace: nodecast }`,
    );
    const exit = await runStart(['--config', config, '--kubeconfig', kubeconfig]);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(
      'overrides.store: cannot list forecastoverrides.nodecast.io in namespace nodecast',
    );
    expect(exit.stderr).toContain('forecastoverride-crd.yaml');
    await new Promise((r) => setTimeout(r, 200));
    expect(api.openWatchCount()).toBe(0);
  });

  it('a data dir that is a file: exits 1 naming dataDir', async () => {
    const file = join(dir, 'another-file');
    writeFileSync(file, 'not a directory');
    const exit = await runStart([
      '--config',
      configFile('file-data-dir', `dataDir: ${file}`),
      '--kubeconfig',
      kubeconfig,
    ]);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(`dataDir: cannot write to "${file}"`);
  });

  it('a port in use, found after the watches opened: exits 1 naming server.port, watches closed', async () => {
    const busy = await listening(0);
    const port = (busy.address() as { port: number }).port;
    try {
      const config = configFile('busy-port', `dataDir: ${join(dir, 'data-3')}`);
      const exit = await runStart(['--config', config, '--kubeconfig', kubeconfig, '--port', String(port)]);
      expect(exit.code).toBe(1);
      expect(exit.stderr).toContain(
        `server.port: cannot listen on 127.0.0.1:${port}: address already in use`,
      );
    } finally {
      busy.close();
    }
  });
});

describe('startAgent closes what it opened when start-up fails', () => {
  const options = (dataDir: string, port: number, tokensFile?: string) => ({
    config: {
      ...testConfig({ nodeGroups: [group('spark-executor', 'executor', { min: 0 })] }),
      dataDir,
      server: { host: '127.0.0.1', port },
      api: tokensFile ? { tokensFile } : {},
    },
    kubeConfig: api.kubeConfig(),
    clock: systemClock,
    identity: 'startup-test',
    logger: silentLogger,
    tracer: trace.getTracer('test'),
    version: 'test',
  });

  it('a bad tokens file rejects before any watch opens', async () => {
    const watchesBefore = api.openWatchCount();
    await expect(startAgent(options(join(dir, 'data-4'), 0, '/nonexistent/tokens'))).rejects.toThrow(
      new StartupError('api.tokensFile', 'cannot read "/nonexistent/tokens": no such file or directory'),
    );
    expect(api.openWatchCount()).toBe(watchesBefore);
  });

  it('a port in use rejects and the watches it had opened are closed', async () => {
    const busy = await listening(0);
    const port = (busy.address() as { port: number }).port;
    const watchesBefore = api.openWatchCount();
    try {
      const failed = startAgent(options(join(dir, 'data-5'), port));
      await expect(failed).rejects.toBeInstanceOf(StartupError);
      await expect(failed).rejects.toMatchObject({ field: 'server.port' });
      // The server sees the client's watch connections end shortly after the client aborts them.
      const deadline = Date.now() + 3000;
      while (api.openWatchCount() > watchesBefore && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(api.openWatchCount()).toBe(watchesBefore);
    } finally {
      busy.close();
    }
  });
});
