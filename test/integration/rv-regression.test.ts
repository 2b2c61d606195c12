/**
 * The API server is replaced by one restored from an older backup (same address, lower
 * resourceVersion, fewer objects). The agent must not act on pods that exist nowhere any more:
 * the watch's "too large resource version" makes it re-list, and nothing is decided until the
 * re-list has dropped them.
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../agent/clock.js';
import type { Config, NodeGroupConfig } from '../../agent/config/types.js';
import { silentLogger } from '../../agent/logger.js';
import { startAgent, type RunningAgent } from '../../agent/runtime/agent.js';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { group, node, pod, testConfig } from '../fakes/spark-cluster.js';
import { eventually } from './kube-helpers.js';

const NS = 'capi';
const capi = (g: NodeGroupConfig): NodeGroupConfig => ({
  ...g,
  provider: { kind: 'clusterapi', namespace: NS, resource: 'MachineDeployment', name: g.name },
});

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

function seed(api: KubeApiServer): void {
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

const replicas = (api: KubeApiServer): number =>
  (api.get('machinedeployments', 'spark-executor', NS) as { spec: { replicas: number } }).spec.replicas;

describe('resourceVersion regression (API server restored from an older backup)', () => {
  let agent: RunningAgent | undefined;
  let api: KubeApiServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await agent?.stop();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('re-lists and never scales out for pods the restored server does not have', async () => {
    const port = await freePort();
    api = await startKubeApiServer({ port });
    seed(api);
    // History the backup will not have: the first server's resourceVersion runs well ahead.
    for (let i = 0; i < 50; i++)
      api.create('configmaps', { metadata: { name: `churn-${i}`, namespace: 'default' } });
    dir = mkdtempSync(join(tmpdir(), 'nodecast-rv-'));
    const base = testConfig({
      nodeGroups: [
        capi(group('spark-driver', 'driver', { min: 1 })),
        capi(group('spark-executor', 'executor', { min: 1 })),
      ],
    });
    const config: Config = { ...base, tickSeconds: 1, eventDebounceMs: 100, dataDir: dir };
    agent = await startAgent({
      config,
      kubeConfig: api.kubeConfig(),
      clock: systemClock,
      identity: 'rv',
      logger: silentLogger,
      tracer: trace.getTracer('test'),
      version: 'test',
    });
    await eventually(() => agent!.loop.last && !agent!.loop.last.skipped, 5000, 'a first synced tick');
    for (let i = 0; i < 6; i++) {
      api.create(
        'pods',
        pod(`exec-${i}`, {
          role: 'executor',
          app: 'app-1',
          queue: 'root.etl',
          cpu: '8',
          memory: '16Gi',
          pending: { reason: 'Unschedulable', since: new Date().toISOString() },
        }),
      );
    }
    await eventually(() => replicas(api!) > 1, 5000, 'the first server to be scaled for its pods');
    expect(agent.state.health().pods).toBe(6);

    // The same address now answers from an older backup: no pods, lower resourceVersion.
    await api.close();
    api = await startKubeApiServer({ port });
    seed(api);
    const restored = api;
    let maxReplicas = 0;
    const sampler = setInterval(() => (maxReplicas = Math.max(maxReplicas, replicas(restored))), 10);
    try {
      await eventually(() => agent!.state.health().pods === 0, 8000, 'the phantom pods to be dropped');
      // Several ticks on the restored server, after the re-list.
      const ticks = agent.loop.tickCount;
      await new Promise((r) => setTimeout(r, 3000));
      expect(agent.loop.tickCount - ticks).toBeGreaterThanOrEqual(2);
    } finally {
      clearInterval(sampler);
    }
    expect(maxReplicas).toBe(1);
    expect(agent.loop.last?.skipped).toBeFalsy();
  }, 30_000);
});
