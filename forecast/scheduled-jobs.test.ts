import { describe, expect, it } from 'vitest';
import { ScheduledDemand, ScheduledJobError, executorsPerNode, jobNodes } from './scheduled-jobs.js';

const GI = 2 ** 30;
const SHAPE = { cpu: 16, memoryBytes: 64 * GI, pods: 110 };
const NIGHTLY = {
  name: 'nightly-etl',
  cron: '0 2 * * *',
  executors: 10,
  executorCpu: 4,
  executorMemoryBytes: 8 * GI,
  durationSeconds: 1800,
};

describe('packing executors onto the group shape', () => {
  it('is limited by cpu, memory or pods, whichever is tightest', () => {
    expect(executorsPerNode(SHAPE, 4, 8 * GI)).toBe(4);
    expect(executorsPerNode(SHAPE, 1, 32 * GI)).toBe(2);
    expect(executorsPerNode({ ...SHAPE, pods: 3 }, 1, GI)).toBe(3);
    expect(jobNodes(NIGHTLY, SHAPE)).toBe(3);
  });

  it('rejects an executor larger than a node, naming the job', () => {
    expect(() => jobNodes({ ...NIGHTLY, executorCpu: 32 }, SHAPE)).toThrow(/"nightly-etl".*does not fit/);
  });
});

describe('ScheduledDemand', () => {
  const demand = new ScheduledDemand([NIGHTLY], SHAPE);

  it('adds the job demand from its next cron run for its duration', () => {
    const now = Date.UTC(2024, 0, 1, 1, 50, 30);
    const first = Date.UTC(2024, 0, 1, 1, 51);
    const path = demand.demandPath(now, first, 60_000, 60);
    // 01:51 ... 01:59 nothing; 02:00 ... 02:29 three nodes; 02:30 on nothing.
    expect(Array.from(path.subarray(0, 9)).every((v) => v === 0)).toBe(true);
    expect(Array.from(path.subarray(9, 39)).every((v) => v === 3)).toBe(true);
    expect(Array.from(path.subarray(39)).every((v) => v === 0)).toBe(true);
  });

  it('ignores a run that already started (its demand is in the observed history)', () => {
    const now = Date.UTC(2024, 0, 1, 2, 10);
    expect(Array.from(demand.demandPath(now, now + 60_000, 60_000, 30)).every((v) => v === 0)).toBe(true);
    const runs = demand.runsStarting(now, now + 2 * 86_400_000);
    expect(runs.map((r) => new Date(r.start).toISOString())).toEqual([
      '2024-01-02T02:00:00.000Z',
      '2024-01-03T02:00:00.000Z',
    ]);
  });

  it('sums overlapping jobs', () => {
    const two = new ScheduledDemand(
      [NIGHTLY, { ...NIGHTLY, name: 'b', cron: '15 2 * * *', executors: 4 }],
      SHAPE,
    );
    const at = Date.UTC(2024, 0, 1, 2, 20);
    const path = two.demandPath(Date.UTC(2024, 0, 1, 1), at, 60_000, 1);
    expect(path[0]).toBe(4);
  });

  it('rejects a bad cron expression, naming the job', () => {
    expect(() => new ScheduledDemand([{ ...NIGHTLY, cron: '61 * * * *' }], SHAPE)).toThrow(ScheduledJobError);
    expect(() => new ScheduledDemand([{ ...NIGHTLY, cron: 'daily' }], SHAPE)).toThrow(
      /"nightly-etl": bad cron "daily"/,
    );
  });
});

describe('ScheduledDemand: ScheduledSparkApplication semantics', () => {
  // Every 20 minutes, each run lasts 30: runs overlap unless the policy forbids it.
  const overlapping = { ...NIGHTLY, name: 'etl/every-20', cron: '*/20 * * * *', durationSeconds: 1800 };
  const now = Date.UTC(2024, 0, 1, 0, 5);
  const until = Date.UTC(2024, 0, 1, 1, 30);
  const iso = (t: number) => new Date(t).toISOString().slice(11, 16);
  const spans = (policy?: 'Allow' | 'Forbid' | 'Replace') =>
    new ScheduledDemand([{ ...overlapping, ...(policy ? { concurrencyPolicy: policy } : {}) }], SHAPE)
      .runsStarting(now, until)
      .map((r) => `${iso(r.start)}-${iso(r.end)}`);

  it('Allow (the default) lets runs overlap', () => {
    expect(spans()).toEqual(['00:20-00:50', '00:40-01:10', '01:00-01:30', '01:20-01:50']);
    expect(spans('Allow')).toEqual(spans());
  });

  it('Forbid skips a run due while the previous one is going', () => {
    expect(spans('Forbid')).toEqual(['00:20-00:50', '01:00-01:30']);
  });

  it('Replace ends the previous run when the next one starts', () => {
    expect(spans('Replace')).toEqual(['00:20-00:40', '00:40-01:00', '01:00-01:20', '01:20-01:50']);
  });

  it('never counts two runs at once under Forbid or Replace', () => {
    const first = Date.UTC(2024, 0, 1, 0, 6);
    for (const policy of ['Forbid', 'Replace'] as const) {
      const d = new ScheduledDemand([{ ...overlapping, concurrencyPolicy: policy }], SHAPE);
      expect(Math.max(...d.demandPath(now, first, 60_000, 80))).toBe(3);
    }
    const allow = new ScheduledDemand([overlapping], SHAPE);
    expect(Math.max(...allow.demandPath(now, first, 60_000, 80))).toBe(6);
  });

  it('reads the cron in the job time zone', () => {
    const paris = new ScheduledDemand([{ ...NIGHTLY, timeZone: 'Europe/Paris' }], SHAPE);
    const runs = paris.runsStarting(Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2));
    expect(runs.map((r) => new Date(r.start).toISOString())).toEqual(['2024-01-01T01:00:00.000Z']);
  });

  it('counts the start executors on the expected path and maxExecutors on the upper path', () => {
    const dynamic = new ScheduledDemand([{ ...NIGHTLY, executors: 4, maxExecutors: 20 }], SHAPE);
    const t = Date.UTC(2024, 0, 1, 1, 59);
    const first = Date.UTC(2024, 0, 1, 2, 0);
    expect(dynamic.demandPath(t, first, 60_000, 1)[0]).toBe(1);
    expect(dynamic.demandPath(t, first, 60_000, 1, 'upper')[0]).toBe(5);
    expect(() => new ScheduledDemand([{ ...NIGHTLY, maxExecutors: 2 }], SHAPE)).toThrow(
      /"nightly-etl".*executors <= maxExecutors/,
    );
  });
});
