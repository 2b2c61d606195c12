/**
 * Every Kubernetes request slower than the timeout (the API server answers after 5 s): the loop
 * keeps its period, and a leader that cannot renew steps down within the lease, its
 * nodecast_is_leader gauge with it (not at some later tick).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../agent/clock.js';
import type { Config, NodeGroupConfig } from '../../agent/config/types.js';
import { silentLogger } from '../../agent/logger.js';
import { startAgent, type RunningAgent } from '../../agent/runtime/agent.js';
import { metricValue } from '../../agent/telemetry/metric-values.js';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { group, node, testConfig } from '../fakes/spark-cluster.js';
import { eventually } from './kube-helpers.js';

const NS = 'capi';
const capi = (g: NodeGroupConfig): NodeGroupConfig => ({
  ...g,
  provider: { kind: 'clusterapi', namespace: NS, resource: 'MachineDeployment', name: g.name },
});

describe('Kubernetes API slower than the request timeout', () => {
  let agent: RunningAgent | undefined;
  let api: KubeApiServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    api?.setLatency(0);
    await agent?.stop();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ticks keep their period and leadership (and its gauge) drops within the lease', async () => {
    api = await startKubeApiServer();
    for (const g of ['spark-driver', 'spark-executor']) {
      api.create('machinedeployments', {
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'MachineDeployment',
        metadata: { name: g, namespace: NS },
        spec: { clusterName: 'c', replicas: 1, selector: { matchLabels: {} }, template: { spec: {} } },
      });
      api.create('nodes', node(`${g}-0`, { group: g }));
    }
    dir = mkdtempSync(join(tmpdir(), 'nodecast-latency-'));
    const base = testConfig({
      nodeGroups: [
        capi(group('spark-driver', 'driver', { min: 1 })),
        capi(group('spark-executor', 'executor', { min: 1 })),
      ],
    });
    const config: Config = {
      ...base,
      tickSeconds: 0.5,
      eventDebounceMs: 100,
      dataDir: dir,
      kubeRequestTimeoutSeconds: 1,
      leaderElection: {
        ...base.leaderElection,
        enabled: true,
        namespace: 'nodecast',
        leaseDurationSeconds: 3,
        renewDeadlineSeconds: 2,
        retryPeriodSeconds: 0.5,
      },
    };
    agent = await startAgent({
      config,
      kubeConfig: api.kubeConfig(),
      clock: systemClock,
      identity: 'slow',
      logger: silentLogger,
      tracer: trace.getTracer('test'),
      version: 'test',
    });
    await eventually(() => agent!.isLeader(), 6000, 'the agent to lead');
    await eventually(
      async () => (await metricValue(agent!.metrics, 'nodecast_is_leader')) === 1,
      3000,
      'the gauge at 1',
    );

    api.setLatency(5000);
    const slowFrom = Date.now();
    const ticksBefore = agent.loop.tickCount;
    // Renewals time out (1 s each); past renewDeadline (2 s) the leader steps down, gauge at once.
    await eventually(() => !agent!.isLeader(), 3000 + 1000, 'the leader to step down within the lease');
    expect(await metricValue(agent.metrics, 'nodecast_is_leader')).toBe(0);
    expect(Date.now() - slowFrom).toBeLessThan(config.leaderElection.leaseDurationSeconds * 1000);
    await new Promise((r) => setTimeout(r, 4000 - (Date.now() - slowFrom)));
    const elapsed = (Date.now() - slowFrom) / 1000;
    // Period 0.5 s: at least 60% of the ticks a free loop would run, though every request hangs.
    expect(agent.loop.tickCount - ticksBefore).toBeGreaterThanOrEqual(Math.floor((elapsed / 0.5) * 0.6));
  }, 30_000);
});
