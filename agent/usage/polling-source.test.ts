import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { MemoryLogger } from '../logger.js';
import type { ClusterSnapshot } from '../state/snapshot.js';
import { ManualTimers } from '../../test/fakes/manual-timers.js';
import { aRunningExecutor, aSnapshot, GiB } from '../../test/fixtures/snapshot-builder.js';
import { PollingUsageSource, type CollectedSamples } from './polling-source.js';

const snapshot = aSnapshot()
  .withNodes('spark-executor', 1)
  .withPods(aRunningExecutor('spark-executor-0', { name: 'e1', queue: 'etl' }))
  .build();

const samples = (cpu: number): CollectedSamples => ({
  samples: {
    pods: [{ namespace: 'spark', name: 'e1', cpu, memoryBytes: GiB }],
    nodes: [{ node: 'spark-executor-0', cpu: cpu + 0.5, memoryBytes: 2 * GiB }],
  },
  skipped: [],
});

/** A source whose backend answers from a queue of scripted results. */
function harness(opts: { snapshot?: () => ClusterSnapshot | undefined } = {}) {
  const clock = new ManualClock(1_000_000);
  const timers = new ManualTimers(clock);
  const logger = new MemoryLogger();
  const script: (CollectedSamples | Error)[] = [];
  let calls = 0;
  const source = new PollingUsageSource(
    'metrics-server',
    async () => {
      calls++;
      const next = script.shift();
      if (!next) throw new Error('script exhausted');
      if (next instanceof Error) throw next;
      return next;
    },
    { snapshot: opts.snapshot ?? (() => snapshot), clock, timers, logger, intervalMs: 30_000 },
  );
  return { clock, timers, logger, script, source, calls: () => calls };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('PollingUsageSource', () => {
  it('serves the last poll by group and queue', async () => {
    const h = harness();
    h.script.push(samples(3));
    await h.source.pollOnce();
    expect(h.source.groups().get('spark-executor')).toEqual({ cpu: 3.5, memoryBytes: 2 * GiB });
    expect(h.source.queues().get('etl')).toEqual({ cpu: 3, memoryBytes: GiB });
    expect(h.source.status()).toMatchObject({ polls: 1, errors: 0, lastSuccessAt: 1_000_000 });
  });

  it('counts and logs a failed poll, never throws, and keeps serving the previous result while fresh', async () => {
    const h = harness();
    h.script.push(samples(3), new Error('metrics API 503'));
    await h.source.pollOnce();
    h.clock.advance(30_000);
    await h.source.pollOnce();
    expect(h.source.status()).toMatchObject({ polls: 2, errors: 1, lastError: 'metrics API 503' });
    expect(h.logger.entries.some((e) => e.level === 'warn' && e.fields?.error === 'metrics API 503')).toBe(
      true,
    );
    expect(h.source.groups().get('spark-executor')?.cpu).toBe(3.5);
  });

  it('withholds results older than three intervals instead of exporting them as current', async () => {
    const h = harness();
    h.script.push(samples(3));
    await h.source.pollOnce();
    h.clock.advance(90_000);
    expect(h.source.groups().size).toBe(1);
    h.clock.advance(1);
    expect(h.source.groups().size).toBe(0);
    expect(h.source.queues().size).toBe(0);
  });

  it('keeps nothing while the cluster snapshot is not ready', async () => {
    const h = harness({ snapshot: () => undefined });
    h.script.push(samples(3));
    await h.source.pollOnce();
    expect(h.source.groups().size).toBe(0);
    expect(h.source.status()).toMatchObject({
      errors: 0,
      lastSuccessAt: null,
      lastError: expect.stringMatching(/snapshot/),
    });
  });

  it('polls at start and then every interval after the previous poll, until stopped', async () => {
    const h = harness();
    h.script.push(samples(1), samples(2), samples(3));
    h.source.start();
    await flush();
    expect(h.calls()).toBe(1);
    h.timers.advance(29_999);
    await flush();
    expect(h.calls()).toBe(1);
    h.timers.advance(1);
    await flush();
    expect(h.calls()).toBe(2);
    expect(h.source.queues().get('etl')?.cpu).toBe(2);
    await h.source.stop();
    h.timers.advance(60_000);
    await flush();
    expect(h.calls()).toBe(2);
    expect(h.timers.pending()).toBe(0);
  });

  it('reports the counts of unknown pods and nodes from the last poll', async () => {
    const h = harness();
    h.script.push({
      samples: {
        pods: [{ namespace: 'x', name: 'gone', cpu: 1, memoryBytes: 1 }],
        nodes: [{ node: 'gone', cpu: 1, memoryBytes: 1 }],
      },
      skipped: ['items[4].metadata.name is missing'],
    });
    await h.source.pollOnce();
    expect(h.source.status()).toMatchObject({
      unknownPods: 1,
      unknownNodes: 1,
      unsampledNodes: 1,
      skippedItems: 1,
    });
  });
});
