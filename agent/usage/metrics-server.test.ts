import { describe, expect, it } from 'vitest';
import {
  collectFromMetricsServer,
  parseNodeMetricsList,
  parsePodMetricsList,
  type MetricsApi,
} from './metrics-server.js';

const podMetric = (namespace: string, name: string, containers: [string, string][]) => ({
  metadata: { namespace, name, creationTimestamp: '2024-05-14T09:30:12Z' },
  timestamp: '2024-05-14T09:30:00Z',
  window: '15.012s',
  containers: containers.map(([cpu, memory], i) => ({ name: `c${i}`, usage: { cpu, memory } })),
});

describe('parsePodMetricsList', () => {
  it('sums containers and parses every quantity form metrics-server uses', () => {
    const { items, skipped } = parsePodMetricsList({
      kind: 'PodMetricsList',
      items: [
        podMetric('spark', 'exec-1', [
          ['250m', '1024Ki'],
          ['123456789n', '1Gi'],
        ]),
        podMetric('spark', 'exec-2', [['2', '512Mi']]),
      ],
    });
    expect(skipped).toEqual([]);
    expect(items[0]!.cpu).toBeCloseTo(0.25 + 0.123456789, 12);
    expect(items[0]!.memoryBytes).toBe(1024 * 1024 + 2 ** 30);
    expect(items[1]).toEqual({ namespace: 'spark', name: 'exec-2', cpu: 2, memoryBytes: 512 * 2 ** 20 });
  });

  it('skips a malformed item, naming its field, and keeps the rest', () => {
    const bad = podMetric('spark', 'exec-bad', [['lots', '1Gi']]);
    const noNs = podMetric('spark', 'exec-nons', [['1', '1Gi']]) as {
      metadata: Partial<{ namespace: string }>;
    };
    delete noNs.metadata.namespace;
    const { items, skipped } = parsePodMetricsList({
      items: [podMetric('spark', 'ok', [['1', '1Gi']]), bad, noNs],
    });
    expect(items.map((i) => i.name)).toEqual(['ok']);
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toContain('items[1].containers[0].usage.cpu');
    expect(skipped[0]).toContain('"lots"');
    expect(skipped[1]).toContain('items[2].metadata.namespace is missing');
  });

  it('fails the whole list when it has no items array', () => {
    expect(() => parsePodMetricsList({ kind: 'Status' })).toThrow('items is missing');
  });
});

describe('parseNodeMetricsList', () => {
  it('reads node usage', () => {
    const { items } = parseNodeMetricsList({
      items: [{ metadata: { name: 'n1' }, usage: { cpu: '3500m', memory: '12Gi' } }],
    });
    expect(items).toEqual([{ node: 'n1', cpu: 3.5, memoryBytes: 12 * 2 ** 30 }]);
  });
});

describe('collectFromMetricsServer', () => {
  const pods = { items: [podMetric('spark', 'exec-1', [['1', '1Gi']])] };
  const nodes = { items: [{ metadata: { name: 'n1' }, usage: { cpu: '2', memory: '2Gi' } }] };

  it('returns pod and node samples', async () => {
    const api: MetricsApi = { getPodMetrics: async () => pods, getNodeMetrics: async () => nodes };
    const { samples } = await collectFromMetricsServer(api);
    expect(samples.pods).toHaveLength(1);
    expect(samples.nodes).toEqual([{ node: 'n1', cpu: 2, memoryBytes: 2 * 2 ** 30 }]);
  });

  it('falls back to pods only when NodeMetrics cannot be listed, and says so', async () => {
    const denied = Object.assign(new Error('forbidden'), { code: 403 });
    const api: MetricsApi = { getPodMetrics: async () => pods, getNodeMetrics: () => Promise.reject(denied) };
    const { samples, skipped } = await collectFromMetricsServer(api);
    expect(samples.nodes).toBeUndefined();
    expect(samples.pods).toHaveLength(1);
    expect(skipped[0]).toMatch(/NodeMetrics unavailable.*HTTP 403/);
  });

  it('fails when PodMetrics cannot be listed', async () => {
    const api: MetricsApi = {
      getPodMetrics: () => Promise.reject(new Error('connect ECONNREFUSED')),
      getNodeMetrics: async () => nodes,
    };
    await expect(collectFromMetricsServer(api)).rejects.toThrow('listing PodMetrics: connect ECONNREFUSED');
  });
});
