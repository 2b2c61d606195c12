/**
 * The agent's collector source against two collectors found through the test API server: one a
 * real `nodecast collect` reading a fake kubelet (the fixture summary), one a fake serving a
 * hand-written /usage. Their node and pod samples are attributed to groups and queues with the
 * cluster snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../agent/clock.js';
import { MemoryLogger } from '../../agent/logger.js';
import { createCollectorSource, kubeCollectorDiscovery } from '../../agent/usage/collector-source.js';
import { toUsageReportJson } from '../../agent/usage/usage-report.js';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { aNode, aRunningDriver, aRunningExecutor, aSnapshot, GiB } from '../fixtures/snapshot-builder.js';
import { eventually } from './kube-helpers.js';
import {
  getJsonStatus,
  readSummary,
  startCollector,
  startFakeKubelet,
  startJsonServer,
  type JsonServer,
  type RunningCollector,
} from './usage-harness.js';

const summary = readSummary() as unknown as {
  node: { nodeName: string; cpu: { usageNanoCores: number }; memory: { workingSetBytes: number } };
  pods: {
    podRef: { name: string; namespace: string };
    cpu: { usageNanoCores?: number };
    memory: { workingSetBytes: number };
  }[];
};
const NODE_A = summary.node.nodeName;
const NODE_B = 'ip-10-0-40-2.ec2.internal';
const podA = (name: string) => summary.pods.find((p) => p.podRef.name === name)!;

let api: KubeApiServer;
let kubelet: JsonServer;
let real: RunningCollector;
let fake: JsonServer;
let slowDelayMs = 0;

function collectorPod(name: string, node: string, port: number, phase = 'Running') {
  return {
    metadata: { name, namespace: 'nodecast', labels: { 'app.kubernetes.io/name': 'nodecast-collector' } },
    spec: {
      nodeName: node,
      containers: [{ name: 'collector', ports: [{ name: 'http', containerPort: port }] }],
    },
    status: { phase, podIP: '127.0.0.1' },
  };
}

beforeAll(async () => {
  api = await startKubeApiServer();
  kubelet = await startFakeKubelet({ summary: () => summary });
  real = await startCollector([
    `--node-name=${NODE_A}`,
    `--kubelet-url=${kubelet.url}`,
    '--group=spark-executor',
  ]);
  fake = await startJsonServer(() => ({
    status: 200,
    delayMs: slowDelayMs,
    body: toUsageReportJson({
      node: NODE_B,
      group: 'spark-driver',
      collectedAt: Date.now(),
      usage: { cpu: 1.5, memoryBytes: 6 * GiB },
      pods: [{ namespace: 'spark-etl', name: 'nightly-orders-driver', cpu: 0.9, memoryBytes: 3 * GiB }],
      skippedPods: [],
    }),
  }));
  api.create('pods', collectorPod('collector-a', NODE_A, Number(new URL(real.url).port)));
  api.create('pods', collectorPod('collector-b', NODE_B, Number(new URL(fake.url).port)));
  api.create('pods', collectorPod('collector-c', 'node-still-starting', 1, 'Pending'));
  api.create('pods', {
    metadata: { name: 'unrelated', namespace: 'nodecast' },
    status: { phase: 'Running', podIP: '127.0.0.1' },
  });
  await eventually(async () => (await getJsonStatus(`${real.url}/usage`)).status === 200);
});

afterAll(async () => {
  await real?.stop();
  await Promise.all([fake?.close(), kubelet?.close(), api?.close()]);
});

const snapshot = aSnapshot()
  .withNode(aNode({ name: NODE_A, group: 'spark-executor' }))
  .withNode(aNode({ name: NODE_B, group: 'spark-driver' }))
  .withPods(
    aRunningExecutor(NODE_A, {
      namespace: 'spark-etl',
      name: 'nightly-orders-7f3c2a9e1b-exec-1',
      queue: 'etl',
    }),
    aRunningExecutor(NODE_A, {
      namespace: 'spark-etl',
      name: 'nightly-orders-7f3c2a9e1b-exec-2',
      queue: 'etl',
    }),
    aRunningExecutor(NODE_A, {
      namespace: 'spark-adhoc',
      name: 'notebook-4d91e07c55-exec-3',
      queue: 'adhoc',
    }),
    aRunningDriver(NODE_B, { namespace: 'spark-etl', name: 'nightly-orders-driver', queue: 'etl' }),
  )
  .build();

function source(timeoutMs = 2000) {
  const logger = new MemoryLogger();
  const s = createCollectorSource({
    discover: kubeCollectorDiscovery(api.kubeConfig(), { namespace: 'nodecast' }),
    snapshot: () => snapshot,
    known: { queues: ['etl', 'adhoc', 'ml'] },
    timeoutMs,
    clock: new ManualClock(Date.now()),
    logger,
  });
  return { s, logger };
}

describe('collector source', () => {
  it('discovers running collectors and attributes their samples to groups and queues', async () => {
    const { s } = source();
    await s.pollOnce();
    const cores = (n: number | undefined) => (n ?? 0) / 1e9;
    expect(s.groups().get('spark-executor')?.cpu).toBeCloseTo(cores(summary.node.cpu.usageNanoCores), 9);
    expect(s.groups().get('spark-executor')?.memoryBytes).toBe(summary.node.memory.workingSetBytes);
    expect(s.groups().get('spark-driver')).toEqual({ cpu: 1.5, memoryBytes: 6 * GiB });

    const etl = ['nightly-orders-7f3c2a9e1b-exec-1', 'nightly-orders-7f3c2a9e1b-exec-2'].map(podA);
    expect(s.queues().get('etl')?.cpu).toBeCloseTo(
      etl.reduce((t, p) => t + cores(p.cpu.usageNanoCores), 0.9),
      9,
    );
    expect(s.queues().get('adhoc')?.cpu).toBeCloseTo(
      cores(podA('notebook-4d91e07c55-exec-3').cpu.usageNanoCores),
      9,
    );
    expect(s.queues().get('ml')).toEqual({ cpu: 0, memoryBytes: 0 });
    // System pods on node A (kube-proxy, fluent-bit, the collector) are not in the snapshot here.
    expect(s.status()).toMatchObject({ errors: 0, skippedItems: 0, unknownPods: 4, unsampledNodes: 0 });
  });

  it('times a slow collector out, names it, and keeps the other one', async () => {
    const { s, logger } = source(200);
    slowDelayMs = 1000;
    try {
      await s.pollOnce();
    } finally {
      slowDelayMs = 0;
    }
    expect(s.groups().has('spark-executor')).toBe(true);
    expect(s.groups().has('spark-driver')).toBe(false);
    expect(s.status()).toMatchObject({ errors: 0, skippedItems: 1, unsampledNodes: 1 });
    const warn = logger.entries.find((e) => e.level === 'warn');
    expect(JSON.stringify(warn?.fields)).toMatch(/collector nodecast\/collector-b: .*timed out after 200 ms/);
  });
});
