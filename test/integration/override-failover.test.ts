/**
 * Overrides survive failover: two real `nodecast start` processes with leader election against
 * the Kubernetes test API server, overrides kept as ForecastOverride objects. Overrides posted to
 * either replica apply on the leader; after `kill -9` of the leader the new leader applies every
 * acknowledged override; the real kubectl lists them.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { node } from '../fakes/spark-cluster.js';
import { eventually } from './kube-helpers.js';

const CLI = new URL('../../agent/cli.ts', import.meta.url).pathname;
const CRD = new URL('../../deploy/forecastoverride-crd.yaml', import.meta.url).pathname;
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const kubectlFound = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlFound && process.env.CI === 'true')
  throw new Error(`kubectl ("${KUBECTL}") is required under CI=true`);

const CAPI = 'capi';
const groupYaml = (name: string, role: string, min: number, max: number) => `
  - name: ${name}
    role: ${role}
    nodeSelector: { nodecast.io/node-group: ${name} }
    min: ${min}
    max: ${max}
    shape: { cpu: 16, memory: 64Gi, pods: 110 }
    scaleIn: { enabled: false }
    scaleOutCooldown: 0s
    provider: { kind: clusterapi, namespace: ${CAPI}, resource: MachineDeployment, name: ${name} }`;

const config = (dataDir: string, port: number) => `
clusterName: failover
tickSeconds: 1
eventDebounceMs: 100
server: { host: 127.0.0.1, port: ${port} }
dataDir: ${dataDir}
nodeGroups:${groupYaml('spark-driver', 'driver', 1, 20)}${groupYaml('spark-executor', 'executor', 1, 50)}
queues:
  - { name: etl, executorGroup: spark-executor }
overrides: { store: kubernetes, namespace: nodecast, timeout: 3s }
leaderElection: { enabled: true, namespace: nodecast, leaseDuration: 3s, renewDeadline: 2s, retryPeriod: 500ms }
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Agent {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

describe.skipIf(!kubectlFound)('overrides across leader failover (ForecastOverride objects)', () => {
  let api: KubeApiServer;
  let dir: string;
  let kubeconfig: string;
  const agents: Agent[] = [];

  beforeAll(async () => {
    api = await startKubeApiServer();
    dir = mkdtempSync(join(tmpdir(), 'nodecast-failover-'));
    kubeconfig = join(dir, 'kubeconfig.yaml');
    api.writeKubeconfig(kubeconfig);
    api.create('customresourcedefinitions', parse(readFileSync(CRD, 'utf8')));
    api.create('namespaces', { metadata: { name: 'nodecast' } });
    for (const g of ['spark-driver', 'spark-executor']) {
      api.create('machinedeployments', {
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'MachineDeployment',
        metadata: { name: g, namespace: CAPI },
        spec: { clusterName: 'c', replicas: 1, selector: { matchLabels: {} }, template: { spec: {} } },
      });
      api.create('nodes', node(`${g}-0`, { group: g }));
    }
  });
  afterAll(async () => {
    for (const a of agents)
      if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (name: string): Promise<Agent> => {
    const port = await freePort();
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, config(join(dir, `${name}-data`), port));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'start', '--config', file, '--kubeconfig', kubeconfig],
      {
        env: { ...process.env, POD_NAME: name, KUBECONFIG: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const agent = { name, child, url: `http://127.0.0.1:${port}`, output: () => out };
    agents.push(agent);
    try {
      await eventually(
        async () => (await fetch(`${agent.url}/healthz`).catch(() => undefined))?.ok === true,
        20_000,
        `${name} to listen`,
      );
    } catch (err) {
      throw new Error(`${String(err)}; output: ${out.slice(-3000)}`, { cause: err });
    }
    return agent;
  };

  const holder = (): string | undefined =>
    (api.get('leases', 'nodecast-leader', 'nodecast') as { spec?: { holderIdentity?: string } } | undefined)
      ?.spec?.holderIdentity;
  const replicas = (): number =>
    (api.get('machinedeployments', 'spark-executor', CAPI) as { spec: { replicas: number } }).spec.replicas;
  const post = async (agent: Agent, value: number) => {
    const res = await fetch(`${agent.url}/api/v1/overrides`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        group: 'spark-executor',
        kind: 'floor',
        value,
        reason: `floor ${value} via ${agent.name}`,
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  it('applies overrides posted to either replica, and every acknowledged one after kill -9 of the leader', async () => {
    const a = await start('agent-a');
    await eventually(() => holder() === 'agent-a', 15_000, 'agent-a to lead');
    const b = await start('agent-b');

    // Posted to the standby: the leader applies it.
    const first = await post(b, 4);
    await eventually(() => replicas() === 4, 10_000, 'the leader to apply the floor posted to the standby');
    // Posted to the leader: the standby sees it too (its informer), before any failover.
    const second = await post(a, 6);
    await eventually(
      async () => {
        const res = await fetch(`${b.url}/api/v1/overrides`);
        const ids = ((await res.json()) as { items: { id: string }[] }).items.map((o) => o.id);
        return ids.includes(first) && ids.includes(second);
      },
      5000,
      'the standby to list both overrides',
    );
    await eventually(() => replicas() === 6, 10_000, 'the leader to apply the higher floor');

    // The leader dies without a word; the standby takes over and keeps every acknowledged override.
    const exited = once(a.child, 'exit');
    a.child.kill('SIGKILL');
    await exited;
    const third = await post(b, 8);
    await eventually(() => holder() === 'agent-b', 15_000, 'agent-b to take over');
    await eventually(() => replicas() === 8, 10_000, 'the new leader to apply the newest floor');
    const listed = (
      (await (await fetch(`${b.url}/api/v1/overrides`)).json()) as {
        items: { id: string; createdBy: string }[];
      }
    ).items;
    expect(listed.map((o) => o.id).sort()).toEqual([first, second, third].sort());

    // Deleting on the new leader drops the floor back to the next one.
    const del = await fetch(`${b.url}/api/v1/overrides/${third}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    await eventually(
      () => {
        const o = api.get('forecastoverrides.nodecast.io', third, 'nodecast') as {
          spec: { deletedAt?: string };
        };
        return o.spec.deletedAt !== undefined;
      },
      5000,
      'the soft delete to reach the object',
    );

    // The real kubectl lists the objects with the CRD's columns.
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
      execFile(
        KUBECTL,
        [
          '--kubeconfig',
          kubeconfig,
          '--cache-dir',
          join(dir, 'kcache'),
          'get',
          'forecastoverrides',
          '-n',
          'nodecast',
        ],
        { timeout: 20_000, env: { ...process.env, KUBECONFIG: '' } },
        (err, out, stderr) =>
          err ? reject(new Error(`kubectl: ${stderr || err}`)) : resolve({ stdout: out }),
      ),
    );
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+GROUP\s+KIND\s+VALUE/);
    for (const id of [first, second, third]) expect(stdout).toContain(id);
    expect(lines.find((l) => l.startsWith(first))).toMatch(/spark-executor\s+floor\s+4/);
  }, 120_000);
});
