/**
 * The whole agent (watches, loop, scheduler, clusterapi provider, leader election, API) against
 * the Kubernetes test API server with the real client: what production runs, end to end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../agent/clock.js';
import type { Config, NodeGroupConfig } from '../../agent/config/types.js';
import type { TickResult } from '../../agent/loop.js';
import { startAgent, type RunningAgent } from '../../agent/runtime/agent.js';
import { silentLogger } from '../../agent/logger.js';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { group, node, pod, testConfig } from '../fakes/spark-cluster.js';
import { eventually } from './kube-helpers.js';

const NS = 'capi';
const capi = (g: NodeGroupConfig): NodeGroupConfig => ({
  ...g,
  provider: { kind: 'clusterapi', namespace: NS, resource: 'MachineDeployment', name: g.name },
});

function clusterConfig(dataDir: string, leaderElection: boolean): Config {
  const base = testConfig({
    nodeGroups: [
      capi(group('spark-driver', 'driver', { min: 1 })),
      capi(group('spark-executor', 'executor', { min: 1 })),
    ],
  });
  return {
    ...base,
    eventDebounceMs: 100,
    dataDir,
    leaderElection: {
      ...base.leaderElection,
      enabled: leaderElection,
      namespace: 'nodecast',
      leaseDurationSeconds: 2,
      renewDeadlineSeconds: 1.5,
      retryPeriodSeconds: 0.25,
    },
  };
}

function seedCluster(api: KubeApiServer): void {
  for (const g of ['spark-driver', 'spark-executor']) {
    api.create('machinedeployments', {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'MachineDeployment',
      metadata: { name: g, namespace: NS },
      spec: { clusterName: 'c', replicas: 1, selector: { matchLabels: {} }, template: { spec: {} } },
    });
    api.create('nodes', node(`${g}-0`, { group: g }));
  }
}

const replicas = (api: KubeApiServer, g: string): number =>
  (api.get('machinedeployments', g, NS) as { spec: { replicas: number } }).spec.replicas;

const pendingExecutor = (name: string) =>
  pod(name, {
    role: 'executor',
    app: 'app-1',
    queue: 'root.etl',
    cpu: '8',
    memory: '16Gi',
    pending: { reason: 'Unschedulable', since: new Date().toISOString() },
  });

describe('agent against the Kubernetes test API server', () => {
  let api: KubeApiServer;
  let dir: string;
  const agents: RunningAgent[] = [];

  beforeEach(async () => {
    api = await startKubeApiServer();
    dir = mkdtempSync(join(tmpdir(), 'nodecast-e2e-'));
    seedCluster(api);
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (name: string, leaderElection: boolean, seen: TickResult[] = []) => {
    const agent = await startAgent({
      config: clusterConfig(join(dir, name), leaderElection),
      kubeConfig: api.kubeConfig(),
      clock: systemClock,
      identity: name,
      logger: silentLogger,
      tracer: trace.getTracer('test'),
      version: 'test',
      listeners: [{ onTick: (r) => void seen.push(r) }],
    });
    agents.push(agent);
    return agent;
  };

  it('scales out through the clusterapi provider within one second of pods going pending', async () => {
    const agent = await start('solo', false);
    await eventually(() => agent.loop.last && !agent.loop.last.skipped, 5000, 'a first synced tick');
    // The periodic tick is 10 s away: only the event-driven path can act within a second.
    const created = Date.now();
    for (let i = 0; i < 6; i++) api.create('pods', pendingExecutor(`exec-${i}`));
    await eventually(() => replicas(api, 'spark-executor') > 1, 1000, 'a scale-out within 1 s');
    expect(Date.now() - created).toBeLessThan(1000);
    // 6 x 8 cpu on 16-cpu nodes: 3 nodes, one of which exists.
    expect(replicas(api, 'spark-executor')).toBe(4);
    // The API serves the tick that acted (loop.last is set once the tick, actuation included, ends).
    await eventually(
      () => agent.loop.last?.plan?.decisions.some((d) => d.target === 4),
      2000,
      'the tick to end',
    );
    const res = await agent.server.inject({ method: 'GET', url: '/api/v1/nodegroups/spark-executor' });
    expect(res.json()).toMatchObject({
      target: 4,
      lastReasons: expect.arrayContaining([expect.objectContaining({ code: 'pending-pods' })]),
    });
  });

  it('with two agents exactly one actuates; the standby takes over when the leader dies', async () => {
    const seenA: TickResult[] = [];
    const seenB: TickResult[] = [];
    const a = await start('agent-a', true, seenA);
    await eventually(() => a.isLeader(), 6000, 'agent-a to lead');
    const b = await start('agent-b', true, seenB);

    // Never two leaders, sampled while both run and work arrives.
    let both = 0;
    const sampler = setInterval(() => (both += a.isLeader() && b.isLeader() ? 1 : 0), 10);
    for (let i = 0; i < 4; i++) api.create('pods', pendingExecutor(`wave1-${i}`));
    await eventually(() => replicas(api, 'spark-executor') === 3, 6000, 'the leader to scale out');
    await eventually(() => seenB.some((r) => r.plan && !r.skipped), 6000, 'the standby to decide');
    expect(b.isLeader()).toBe(false);
    expect(seenB.filter((r) => r.actuation.length > 0)).toEqual([]);

    // The leader dies without releasing its Lease: the standby must wait out the lease, then lead.
    const killedAt = Date.now();
    await a.stop({ release: false });
    await eventually(() => b.isLeader(), 8000, 'agent-b to take over');
    const takeover = Date.now() - killedAt;
    // Lease duration (2 s) plus a retry period, with slack for timers on a loaded CI machine.
    expect(takeover).toBeLessThan(2000 + 250 + 2500);
    clearInterval(sampler);
    expect(both).toBe(0);

    for (let i = 0; i < 4; i++) api.create('pods', pendingExecutor(`wave2-${i}`));
    await eventually(() => replicas(api, 'spark-executor') === 5, 6000, 'the new leader to scale out');
    // The replicas change mid-tick; the tick's result is recorded when it ends.
    await eventually(
      () => seenB.some((r) => r.leader && r.actuation.some((x) => x.outcome === 'applied')),
      3000,
      'the new leader to record its applied scale-out',
    );
  });
});
