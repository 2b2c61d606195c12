import { describe, expect, it } from 'vitest';
import { collectFromCollectors, mapLimit, type CollectorEndpoint } from './collector-source.js';
import { toUsageReportJson, type NodeUsageReport } from './usage-report.js';

const report = (node: string, pods: string[]): NodeUsageReport => ({
  node,
  group: 'spark-executor',
  collectedAt: Date.UTC(2024, 4, 14, 9, 30),
  usage: { cpu: 2, memoryBytes: 4096 },
  pods: pods.map((name) => ({ namespace: 'spark', name, cpu: 0.5, memoryBytes: 1024 })),
  skippedPods: [],
});

describe('mapLimit', () => {
  it('never runs more than the limit at once and keeps input order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it('handles an empty list', async () => {
    expect(await mapLimit([], 4, async (x) => x)).toEqual([]);
  });
});

describe('collectFromCollectors', () => {
  const endpoints: CollectorEndpoint[] = [
    { pod: 'nodecast/c-a', url: 'http://a/usage' },
    { pod: 'nodecast/c-b', url: 'http://b/usage' },
    { pod: 'nodecast/c-c', url: 'http://c/usage' },
  ];
  const answers: Record<string, () => unknown> = {
    'http://a/usage': () => toUsageReportJson(report('node-a', ['e1', 'e2'])),
    'http://b/usage': () => ({ kind: 'NodeUsage', node: 'node-b' }),
    'http://c/usage': () => {
      throw new Error('timed out after 5000 ms');
    },
  };

  it('merges the good reports and names each failing collector', async () => {
    const { samples, skipped } = await collectFromCollectors({
      snapshot: () => undefined,
      discover: async () => endpoints,
      fetchJson: async (url) => answers[url]!(),
    });
    expect(samples.nodes).toEqual([{ node: 'node-a', cpu: 2, memoryBytes: 4096 }]);
    expect(samples.pods.map((p) => p.name)).toEqual(['e1', 'e2']);
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/collector nodecast\/c-b.*collectedAt is missing/);
    expect(skipped[1]).toMatch(/collector nodecast\/c-c: timed out/);
  });

  it('fails the poll when every collector fails', async () => {
    await expect(
      collectFromCollectors({
        snapshot: () => undefined,
        discover: async () => endpoints.slice(2),
        fetchJson: async (url) => answers[url]!(),
      }),
    ).rejects.toThrow(/all 1 collectors failed; first: collector nodecast\/c-c/);
  });

  it('with no collectors returns no samples (every node then reads as unsampled)', async () => {
    const { samples } = await collectFromCollectors({ snapshot: () => undefined, discover: async () => [] });
    expect(samples).toEqual({ pods: [], nodes: [] });
  });
});
