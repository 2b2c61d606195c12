import { describe, expect, it } from 'vitest';
import { catalog, exportedSeriesNames, LATENCY_BUCKETS, metricDefinitions } from './catalog.js';

const BOUNDED_LABELS = new Set([
  'group',
  'role',
  'queue',
  'reason',
  'state',
  'stage',
  'model',
  'mode',
  'kind',
]);
const BUILD_LABELS = new Set(['version', 'node_version', 'commit']);

describe('metrics catalog', () => {
  it('names every metric once, with the nodecast_ prefix and snake case', () => {
    const names = metricDefinitions.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^nodecast_[a-z0-9_]+$/);
  });

  it('puts _total on counters and only on counters', () => {
    for (const def of metricDefinitions) {
      expect(def.name.endsWith('_total'), def.name).toBe(def.type === 'counter');
    }
  });

  it('uses only bounded labels (build info excepted) and never pod or node names', () => {
    for (const def of metricDefinitions) {
      const allowed = def === catalog.buildInfo ? BUILD_LABELS : BOUNDED_LABELS;
      for (const label of def.labels) expect(allowed.has(label), `${def.name}{${label}}`).toBe(true);
    }
  });

  it('gives histograms base units and increasing buckets', () => {
    const histograms = metricDefinitions.filter((d) => d.type === 'histogram');
    expect(histograms.length).toBeGreaterThanOrEqual(3);
    for (const def of histograms) {
      expect(def.name).toMatch(/_seconds$/);
      const b = def.buckets ?? [];
      expect(b.length).toBeGreaterThan(3);
      for (let i = 1; i < b.length; i++) expect(b[i]).toBeGreaterThan(b[i - 1] ?? Infinity);
    }
  });

  it('lets latency histograms reach 30 minutes and keep exemplars', () => {
    expect(Math.max(...LATENCY_BUCKETS)).toBe(1800);
    for (const def of [catalog.scaleOutLatency, catalog.podPendingTime]) {
      expect(def.buckets).toEqual(LATENCY_BUCKETS);
      expect(def.exemplars).toBe(true);
    }
  });

  it('exports _bucket, _sum and _count series for histograms and plain names otherwise', () => {
    const names = exportedSeriesNames();
    expect(names.has('nodecast_scale_out_latency_seconds_bucket')).toBe(true);
    expect(names.has('nodecast_scale_out_latency_seconds_count')).toBe(true);
    expect(names.has('nodecast_scale_out_latency_seconds')).toBe(false);
    expect(names.has('nodecast_ticks_total')).toBe(true);
    expect(names.size).toBe(
      metricDefinitions.length + 2 * metricDefinitions.filter((d) => d.type === 'histogram').length,
    );
  });
});
