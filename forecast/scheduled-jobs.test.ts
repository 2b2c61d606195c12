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
