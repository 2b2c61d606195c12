/**
 * The metrics-server source through real client-node (Metrics, ApisApi discovery) against the test
 * API server with metrics.k8s.io installed at run time (test/kube-api/metrics-api.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../agent/clock.js';
import { MemoryLogger } from '../../agent/logger.js';
import { createUsageSource, hasMetricsApi } from '../../agent/usage/select-source.js';
import { installMetricsApi, setNodeMetrics, setPodMetrics } from '../../sim/kube-api/metrics-api.js';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { aRunningDriver, aRunningExecutor, aSnapshot, GiB } from '../fixtures/snapshot-builder.js';

const MiB = 2 ** 20;
let api: KubeApiServer;
beforeEach(async () => {
  api = await startKubeApiServer();
});
afterEach(async () => {
  await api.close();
});

const snapshot = aSnapshot()
  .withNodes('spark-executor', 2)
  .withNodes('spark-driver', 1)
  .withPods(
    aRunningExecutor('spark-executor-0', { namespace: 'spark', name: 'etl-exec-1', queue: 'etl' }),
    aRunningExecutor('spark-executor-1', { namespace: 'spark', name: 'adhoc-exec-1', queue: 'adhoc' }),
    aRunningDriver('spark-driver-0', { namespace: 'spark', name: 'etl-driver', queue: 'etl' }),
  )
  .build();

async function chooseSource(logger = new MemoryLogger()) {
  const clock = new ManualClock(Date.now());
  const choice = await createUsageSource({ kc: api.kubeConfig(), snapshot: () => snapshot, clock, logger });
  return { ...choice, clock, logger };
}

describe('metrics-server usage source', () => {
  it('is not chosen while metrics.k8s.io is not served (and no collectors run)', async () => {
    expect(await hasMetricsApi(api.kubeConfig())).toBe(false);
    const { source, reason } = await chooseSource();
    expect(source).toBeNull();
    expect(reason).toMatch(/metrics.k8s.io is not served/);
  });

  it('reads PodMetrics and NodeMetrics lists and attributes them', async () => {
    installMetricsApi(api);
    setPodMetrics(api, {
      namespace: 'spark',
      name: 'etl-exec-1',
      containers: { 'spark-kubernetes-executor': ['3123456789n', '11534336Ki'] },
    });
    setPodMetrics(api, {
      namespace: 'spark',
      name: 'adhoc-exec-1',
      containers: { executor: ['250m', '2Gi'] },
    });
    setPodMetrics(api, {
      namespace: 'spark',
      name: 'etl-driver',
      containers: { 'spark-kubernetes-driver': ['400m', '1536Mi'], istio: ['12m', '64Mi'] },
    });
    setPodMetrics(api, {
      namespace: 'kube-system',
      name: 'coredns-1',
      containers: { coredns: ['3m', '20Mi'] },
    });
    setNodeMetrics(api, 'spark-executor-0', ['3600m', '13Gi']);
    setNodeMetrics(api, 'spark-executor-1', ['700m', '3Gi']);
    setNodeMetrics(api, 'spark-driver-0', ['650m', '2Gi']);

    const { source, reason } = await chooseSource();
    expect(reason).toMatch(/^metrics-server/);
    await source!.pollOnce();
    expect(source!.status()).toMatchObject({ errors: 0, skippedItems: 0, unknownPods: 1, unknownNodes: 0 });
    expect(source!.groups().get('spark-executor')?.cpu).toBeCloseTo(4.3, 9);
    expect(source!.groups().get('spark-executor')?.memoryBytes).toBe(16 * GiB);
    expect(source!.groups().get('spark-driver')).toEqual({ cpu: 0.65, memoryBytes: 2 * GiB });
    expect(source!.queues().get('etl')?.cpu).toBeCloseTo(3.123456789 + 0.412, 9);
    expect(source!.queues().get('etl')?.memoryBytes).toBe(11534336 * 1024 + 1600 * MiB);
    expect(source!.queues().get('adhoc')).toEqual({ cpu: 0.25, memoryBytes: 2 * GiB });
    expect(api.requestCount({ path: '/apis/metrics.k8s.io/v1beta1/pods' })).toBe(1);
  });

  it('logs and counts a failing metrics API, never throws, and recovers on the next poll', async () => {
    installMetricsApi(api);
    setPodMetrics(api, { namespace: 'spark', name: 'etl-exec-1', containers: { executor: ['1', '1Gi'] } });
    const { source, logger } = await chooseSource();
    api.failNext('GET', '/apis/metrics.k8s.io/v1beta1/pods', 503, {
      message: 'the server is currently unable to handle the request',
    });
    await source!.pollOnce();
    expect(source!.status()).toMatchObject({ errors: 1, lastSuccessAt: null });
    expect(source!.status().lastError).toMatch(/listing PodMetrics: HTTP 503/);
    expect(logger.entries.some((e) => e.level === 'warn' && /usage poll failed/.test(e.message))).toBe(true);
    expect(source!.queues().size).toBe(0);
    await source!.pollOnce();
    expect(source!.queues().get('etl')).toEqual({ cpu: 1, memoryBytes: GiB });
  });

  it('skips a malformed PodMetrics item, naming it, and keeps the rest', async () => {
    installMetricsApi(api);
    setPodMetrics(api, { namespace: 'spark', name: 'etl-exec-1', containers: { executor: ['1', '1Gi'] } });
    setPodMetrics(api, {
      namespace: 'spark',
      name: 'adhoc-exec-1',
      containers: { executor: ['a lot', '1Gi'] },
    });
    const { source, logger } = await chooseSource();
    await source!.pollOnce();
    expect(source!.status()).toMatchObject({ errors: 0, skippedItems: 1 });
    expect(JSON.stringify(logger.entries)).toMatch(
      /items\[0\]\.containers\[0\]\.usage\.cpu is not a Kubernetes quantity/,
    );
    expect(source!.queues().get('etl')).toEqual({ cpu: 1, memoryBytes: GiB });
  });
});
