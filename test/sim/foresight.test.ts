import { describe, expect, it } from 'vitest';
import { DemandTrace } from '../../sim/policies/demand-trace.js';
import { shapedSpare, unscheduledRateShape } from '../../sim/policies/foresight.js';
import { oraclePolicy } from '../../sim/policies/nodecast.js';
import {
  foresightFactory,
  foresightKnowledge,
  policyFactory,
  runPolicy,
  sizingRun,
  type PolicyContext,
} from '../../sim/run-policies.js';
import { generateTrace, isScheduledJob } from '../../sim/trace-generate.js';
import type { TraceJob } from '../../sim/trace-types.js';
import { job, simulation, T0, testConfig } from './helpers.js';

const EXECUTOR = 'spark-executor';
const HOUR = 3_600_000;
const config = testConfig({ executorMin: 1, executorMax: 40 });

/** At 2 h: a scheduled ETL job (8 executor nodes) and an unannounced ad hoc one (8 more). */
const mixed: TraceJob[] = [
  job('etl-hourly-00001', 7200, { executors: 32, durationSeconds: 1800 }),
  job('adhoc-00001', 7200, { executors: 32, durationSeconds: 1800, queue: 'adhoc' }),
];

const targetSize = (sim: ReturnType<typeof simulation>) => sim.snapshot().groups.get(EXECUTOR)!.targetSize;

describe('unscheduledRateShape', () => {
  it('is 1 at the busiest hour of the week for unscheduled demand, a fraction elsewhere, 0 without any', () => {
    const all = new DemandTrace(T0, HOUR);
    const scheduled = new DemandTrace(T0, HOUR);
    // T0 is a Monday: 10 unscheduled nodes at 01:00, 5 at 02:00; the scheduled 20 at 03:00 do not count.
    [0, 10, 5, 20, 0].forEach((v, h) => all.record(EXECUTOR, T0 + h * HOUR, v));
    [0, 0, 0, 20, 0].forEach((v, h) => scheduled.record(EXECUTOR, T0 + h * HOUR, v));
    const shape = unscheduledRateShape(all, scheduled, EXECUTOR);
    expect(shape(T0 + HOUR + 30 * 60_000)).toBe(1);
    expect(shape(T0 + 2 * HOUR)).toBe(0.5);
    expect(shape(T0 + 3 * HOUR)).toBe(0);
    // The same hour a week later reads the same bucket.
    expect(shape(T0 + 7 * 24 * HOUR + HOUR)).toBe(1);
    const spare = shapedSpare(new Map([[EXECUTOR, shape]]), 3);
    expect(spare(EXECUTOR, T0 + HOUR)).toBe(3);
    expect(spare(EXECUTOR, T0 + 2 * HOUR)).toBe(2);
    expect(spare('other', T0 + HOUR)).toBe(0);
    expect(unscheduledRateShape(scheduled, scheduled, EXECUTOR)(T0 + 3 * HOUR)).toBe(0);
  });
});

describe('foresight-N', () => {
  const ctx: PolicyContext = { config, jobs: mixed, options: { config, start: T0 } };

  it('pre-scales for the scheduled job only; the oracle also for the unannounced one', async () => {
    const knowledge = await foresightKnowledge(ctx);
    expect(knowledge.scheduled.max(EXECUTOR, T0 + 7200_000, T0 + 7400_000)).toBe(8);
    const foresight = simulation(mixed, await foresightFactory(0, Promise.resolve(knowledge))(ctx), config);
    const oracle = simulation(mixed, oraclePolicy(config, (await sizingRun(ctx)).demand), config);
    const justBefore = T0 + 7200_000 - 10_000;
    await foresight.runUntil(justBefore);
    await oracle.runUntil(justBefore);
    expect(targetSize(foresight)).toBeGreaterThanOrEqual(8);
    expect(targetSize(foresight)).toBeLessThan(12);
    expect(targetSize(oracle)).toBeGreaterThanOrEqual(16);
  });

  it('keeps the unscheduled work it has seen, plus N spare nodes at its busiest hour', async () => {
    const adhoc = [job('adhoc-00001', 600, { executors: 8, durationSeconds: 7200, queue: 'adhoc' })];
    const only = { ...ctx, jobs: adhoc };
    const sim = simulation(adhoc, await foresightFactory(3)(only), config);
    await sim.runUntil(T0 + 40 * 60_000);
    // Demand 2 nodes; the ad hoc job runs in every sampled hour, so all of them are "busiest".
    expect(targetSize(sim)).toBe(2 + 3);
  });

  it('waits less than reactive and more than the oracle on a trace with both kinds of job', async () => {
    const options = { config, start: T0 };
    const [reactive, foresight, oracle] = await Promise.all(
      ['reactive', 'foresight-0', 'oracle'].map((p) => runPolicy(p, mixed, options)),
    );
    expect(foresight.policy).toBe('foresight-0');
    expect(foresight.executorPendingSeconds.p50!).toBeLessThan(reactive.executorPendingSeconds.p50!);
    expect(foresight.executorPendingSeconds.p95!).toBeGreaterThan(oracle.executorPendingSeconds.p95!);
  });

  it('is a policy name for any N', () => {
    expect(policyFactory('foresight-12')).toBeTypeOf('function');
    expect(policyFactory('foresight-')).toBeUndefined();
  });
});

describe('isScheduledJob', () => {
  it("marks the generator's daily and hourly ETL, and nothing else", () => {
    const jobs = generateTrace({ days: 2, seed: 4 });
    const kinds = new Set(jobs.filter(isScheduledJob).map((j) => j.app.replace(/-\d+$/, '')));
    expect([...kinds].sort()).toEqual(['etl-daily', 'etl-hourly']);
    expect(jobs.filter((j) => !isScheduledJob(j)).every((j) => j.queue !== 'etl')).toBe(true);
    expect(isScheduledJob({ app: 'series-000001' })).toBe(false);
  });
});
