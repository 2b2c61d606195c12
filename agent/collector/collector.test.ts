import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { MemoryLogger } from '../logger.js';
import { NodeCollector } from './collector.js';
import { CollectorMetrics } from './collector-metrics.js';
import { buildCollectorServer } from './collector-server.js';
import type { SummaryFetcher } from './kubelet-client.js';

const SUMMARY = JSON.parse(
  readFileSync(new URL('../../test/fixtures/kubelet-summary.json', import.meta.url), 'utf8'),
);
const NODE = SUMMARY.node.nodeName as string;

/** A fetcher answering from a script: a document, or an Error to throw. */
function scripted(...answers: unknown[]): SummaryFetcher & { calls: number } {
  return {
    describe: 'scripted kubelet',
    calls: 0,
    async fetchSummary() {
      this.calls++;
      const next = answers.length > 1 ? answers.shift() : answers[0];
      if (next instanceof Error) throw next;
      return structuredClone(next);
    },
  };
}

function collectorWith(
  fetcher: SummaryFetcher,
  extra: Partial<ConstructorParameters<typeof NodeCollector>[0]> = {},
) {
  const clock = new ManualClock(Date.UTC(2024, 4, 14, 9, 30, 12));
  const metrics = new CollectorMetrics();
  const logger = new MemoryLogger();
  const collector = new NodeCollector({
    fetcher,
    nodeName: NODE,
    metrics,
    groupRule: { groupLabel: 'nodecast.io/node-group' },
    intervalMs: 15_000,
    clock,
    logger,
    ...extra,
  });
  const app = buildCollectorServer({ latest: () => collector.latest(), metrics });
  return { clock, metrics, logger, collector, app };
}

describe('NodeCollector and its endpoints', () => {
  it('serves 503 on /usage and /readyz before the first read', async () => {
    const { app } = collectorWith(scripted(SUMMARY));
    const res = await app.inject('/usage');
    expect(res.statusCode).toBe(503);
    expect(res.json().reason).toBe('no kubelet summary read yet');
    expect((await app.inject('/readyz')).statusCode).toBe(503);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });

  it('serves the node and pod usage as JSON and node-level metrics labelled by group', async () => {
    const labels = { 'nodecast.io/node-group': 'spark-executor', 'kubernetes.io/os': 'linux' };
    const { app, collector } = collectorWith(scripted(SUMMARY), { nodeLabels: async () => labels });
    await collector.collect();
    const usage = (await app.inject('/usage')).json();
    expect(usage).toMatchObject({ kind: 'NodeUsage', node: NODE, group: 'spark-executor' });
    expect(usage.usage.cpu).toBeCloseTo(SUMMARY.node.cpu.usageNanoCores / 1e9, 9);
    expect(usage.pods).toHaveLength(SUMMARY.pods.length - 1);
    expect(usage.skippedPods[0].reason).toBe('pods[3].cpu.usageNanoCores is missing');

    const text = (await app.inject('/metrics')).body;
    const line = text.split('\n').find((l) => l.startsWith('nodecast_collector_node_used_cpu_cores{'));
    expect(line).toBe(
      `nodecast_collector_node_used_cpu_cores{node="${NODE}",group="spark-executor"} ${SUMMARY.node.cpu.usageNanoCores / 1e9}`,
    );
    expect(text).toContain('nodecast_collector_collections_total{result="success"} 1');
    // Bounded labels: no pod names in any series.
    for (const pod of SUMMARY.pods) expect(text).not.toContain(pod.podRef.name);
  });

  it('keeps serving the last good report through a failed read, until it is three intervals old', async () => {
    const { app, collector, clock, logger } = collectorWith(
      scripted(SUMMARY, new Error('connect ECONNREFUSED')),
    );
    await collector.collect();
    clock.advance(15_000);
    await collector.collect();
    expect((await app.inject('/usage')).statusCode).toBe(200);
    expect(logger.entries.some((e) => e.level === 'warn' && e.fields?.error === 'connect ECONNREFUSED')).toBe(
      true,
    );
    expect((await app.inject('/metrics')).body).toContain(
      'nodecast_collector_collections_total{result="error"} 1',
    );
    clock.advance(30_001);
    const stale = await app.inject('/usage');
    expect(stale.statusCode).toBe(503);
    expect(stale.json().reason).toMatch(/45 s old; last error: connect ECONNREFUSED/);
  });

  it('reports a malformed summary by its field and serves nothing from it', async () => {
    const broken = structuredClone(SUMMARY);
    delete broken.node.memory.workingSetBytes;
    const { app, collector } = collectorWith(scripted(broken));
    await collector.collect();
    const res = await app.inject('/usage');
    expect(res.statusCode).toBe(503);
    expect(res.json().reason).toBe('kubelet summary: node.memory.workingSetBytes is missing');
  });

  it('retries reading the node labels until it works', async () => {
    let attempts = 0;
    const nodeLabels = async () => {
      if (++attempts === 1) throw new Error('nodes "x" is forbidden');
      return { 'karpenter.sh/nodepool': 'spark-executor' };
    };
    const { app, collector } = collectorWith(scripted(SUMMARY), { nodeLabels });
    await collector.collect();
    expect((await app.inject('/usage')).json().group).toBeNull();
    await collector.collect();
    await collector.collect();
    expect((await app.inject('/usage')).json().group).toBe('spark-executor');
    expect(attempts).toBe(2);
    const text = (await app.inject('/metrics')).body;
    expect(text).not.toContain('group=""');
  });
});
