/**
 * The real kubectl against the test API server: discovery, table printing, watch, scale and a
 * client-side dry-run apply of a sample manifest. kubectl missing: the suite fails under CI=true
 * (CI installs it) and is skipped with a message otherwise.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const available = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!available && process.env.CI === 'true') {
  throw new Error(`kubectl ("${KUBECTL}") is required under CI=true but was not found`);
}
if (!available)
  console.warn(`[kubectl.test] skipped: kubectl ("${KUBECTL}") not found; set CI=true to make this fail`);

const manifests = join(import.meta.dirname, '..', 'fixtures', 'manifests');

describe.skipIf(!available)('kubectl against the test API server', () => {
  let api: KubeApiServer;
  let dir: string;
  let kubeconfig: string;

  const kubectl = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      execFile(
        KUBECTL,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
        { timeout: 20_000, env: { ...process.env, KUBECONFIG: '' } },
        (err, stdout, stderr) =>
          err
            ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err}`))
            : resolve({ stdout, stderr }),
      );
    });

  beforeAll(async () => {
    api = await startKubeApiServer();
    dir = mkdtempSync(join(tmpdir(), 'nodecast-kubectl-'));
    kubeconfig = join(dir, 'kubeconfig.yaml');
    api.writeKubeconfig(kubeconfig);
    api.create('nodes', {
      metadata: { name: 'exec-node-1', labels: { 'node-role.kubernetes.io/worker': '' } },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.1' } },
    });
    api.create('pods', {
      metadata: { name: 'spark-driver-1', namespace: 'spark', labels: { 'spark-role': 'driver' } },
      spec: { nodeName: 'exec-node-1', containers: [{ name: 'spark', image: 'spark' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'spark', ready: true, restartCount: 2 }] },
    });
  });
  afterAll(async () => {
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('get nodes,pods -A prints a row per object with the server-side columns', async () => {
    const { stdout } = await kubectl('get', 'nodes,pods', '-A');
    const lines = stdout.split('\n').map((l) => l.trim().split(/\s+/));
    expect(lines).toContainEqual(expect.arrayContaining(['node/exec-node-1', 'Ready', 'worker', 'v1.32.1']));
    expect(lines).toContainEqual(
      expect.arrayContaining(['spark', 'pod/spark-driver-1', '1/1', 'Running', '2']),
    );
    expect(stdout).toMatch(/NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
  });

  it('get pods -w prints a line when a pod is created through the store', async () => {
    const child = spawn(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'pods', '-n', 'spark', '-w'],
      {
        env: { ...process.env, KUBECONFIG: '' },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(
        () => out.includes('spark-driver-1') && api.openWatchCount() > 0,
        15_000,
        () => out,
      );
      api.create('pods', {
        metadata: { name: 'spark-exec-1', namespace: 'spark' },
        spec: { containers: [{ name: 'spark', image: 'spark' }] },
      });
      await until(
        () => /spark-exec-1\s+0\/1\s+Pending/.test(out),
        10_000,
        () => out,
      );
    } finally {
      child.kill();
    }
  });

  it('scale machinedeployment and deployment set spec.replicas', async () => {
    api.create('machinedeployments', {
      metadata: { name: 'executors', namespace: 'capi' },
      spec: { clusterName: 'c1', replicas: 2 },
    });
    api.create('deployments.apps', {
      metadata: { name: 'agent', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'a' } },
        template: { metadata: { labels: { app: 'a' } } },
      },
    });
    await kubectl('scale', 'machinedeployment/executors', '--replicas=7', '-n', 'capi');
    await kubectl('scale', 'deploy/agent', '--replicas=3');
    expect(api.get('machinedeployments', 'executors', 'capi')?.spec).toMatchObject({ replicas: 7 });
    expect(api.get('deployments.apps', 'agent')?.spec).toMatchObject({ replicas: 3 });
    const { stdout } = await kubectl('get', 'md', '-n', 'capi', '-o', 'jsonpath={.items[0].spec.replicas}');
    expect(stdout).toBe('7');
  });

  it('apply --dry-run=client accepts the sample manifests and changes nothing', async () => {
    // The server has no OpenAPI documents, so kubectl's client-side schema check is turned off.
    const before = api.resourceVersion();
    const { stdout } = await kubectl('apply', '--validate=false', '--dry-run=client', '-f', manifests);
    expect(stdout).toContain('serviceaccount/nodecast created (dry run)');
    expect(stdout).toContain('role.rbac.authorization.k8s.io/nodecast-leader-election created (dry run)');
    expect(stdout).toContain('deployment.apps/nodecast created (dry run)');
    expect(api.resourceVersion()).toBe(before);
    const server = await kubectl('apply', '--validate=false', '--dry-run=server', '-f', manifests);
    expect(server.stdout).toContain('deployment.apps/nodecast created (server dry run)');
    expect(api.get('deployments.apps', 'nodecast', 'nodecast-system')).toBeUndefined();
  });
});

describe.skipIf(!available)('kubectl apply of deploy/', () => {
  it('accepts every manifest in deploy/ with a client-side dry run', async () => {
    const api = await startKubeApiServer();
    const dir = mkdtempSync(join(tmpdir(), 'nodecast-deploy-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig.yaml');
      api.writeKubeconfig(kubeconfig);
      const deployDir = join(import.meta.dirname, '..', '..', 'deploy');
      const expected = readdirSync(deployDir)
        .filter((f) => f.endsWith('.yaml'))
        .flatMap((f) =>
          parseAllDocuments(readFileSync(join(deployDir, f), 'utf8')).map((d) => d.toJS() as Manifest),
        )
        .filter((m) => m?.kind);
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          KUBECTL,
          [
            '--kubeconfig',
            kubeconfig,
            '--cache-dir',
            join(dir, 'cache'),
            'apply',
            '--validate=false',
            '--dry-run=client',
            '-f',
            deployDir,
          ],
          { timeout: 30_000, env: { ...process.env, KUBECONFIG: '' } },
          (err, out, stderr) => (err ? reject(new Error(`kubectl apply: ${stderr || err}`)) : resolve(out)),
        ),
      );
      expect(expected.length).toBeGreaterThanOrEqual(10);
      for (const m of expected) {
        expect(stdout, `${m.kind} ${m.metadata.name}`).toMatch(
          new RegExp(
            `^${m.kind.toLowerCase()}(\\.[a-z0-9.]+)?/${m.metadata.name} created \\(dry run\\)$`,
            'm',
          ),
        );
      }
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface Manifest {
  kind: string;
  metadata: { name: string };
}

async function until(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
