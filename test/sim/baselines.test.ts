import { describe, expect, it } from 'vitest';
import { observeGroups } from '../../agent/observe/group-observation.js';
import { DemandTrace } from '../../sim/policies/demand-trace.js';
import { headroomPolicy, oraclePolicy, reactivePolicy } from '../../sim/policies/nodecast.js';
import { runPolicy, sizingRun } from '../../sim/run-policies.js';
import type { TraceJob } from '../../sim/trace-types.js';
import { job, simulation, T0, testConfig } from './helpers.js';

const EXECUTOR = 'spark-executor';
const MIN = 60_000;
const config = testConfig({ executorMin: 1, executorMax: 40 });

/** Six 8-executor jobs (12 executor nodes) for 20 minutes from 2 h in; nothing before. */
const burst: TraceJob[] = Array.from({ length: 6 }, (_, i) =>
  job(`burst-${i}`, 7200 + i * 20, { executors: 8, durationSeconds: 1200 }),
);

describe('DemandTrace', () => {
  it('answers the highest demand over a window, holding the last value over gaps', () => {
    const trace = new DemandTrace(T0, 10_000);
    trace.record('g', T0, 1);
    trace.record('g', T0 + 10_000, 5);
    trace.record('g', T0 + 50_000, 2); // 20..40 s were not sampled: they keep 5
    expect(trace.max('g', T0, T0)).toBe(1);
    expect(trace.max('g', T0 + 20_000, T0 + 30_000)).toBe(5);
    expect(trace.max('g', T0 + 50_000, T0 + 90_000)).toBe(2);
    expect(trace.max('other', T0, T0 + 90_000)).toBe(0);
  });
});

describe('oracle', () => {
  it('pre-scales for a burst it reads from the future, where reactive waits for pending pods', async () => {
    const ctx = { config, jobs: burst, options: { config, start: T0 } };
    const { demand } = await sizingRun(ctx);
    expect(demand.max(EXECUTOR, T0 + 7200_000, T0 + 7400_000)).toBeGreaterThanOrEqual(12);
    const oracle = simulation(burst, oraclePolicy(config, demand), config);
    const reactive = simulation(burst, reactivePolicy(config), config);
    const justBefore = T0 + 7200_000 - 10_000;
    await oracle.runUntil(justBefore);
    await reactive.runUntil(justBefore);
    // Already ordered for most of the burst before its first job is submitted...
    expect(oracle.snapshot().groups.get(EXECUTOR)!.targetSize).toBeGreaterThanOrEqual(8);
    expect(reactive.snapshot().groups.get(EXECUTOR)!.targetSize).toBe(1);
    // ...so once the last job is in, its nodes are Ready while reactive's are still coming.
    const ready = (s: typeof oracle) =>
      [...s.snapshot().nodes.values()].filter((n) => n.group === EXECUTOR && n.ready).length;
    await oracle.runUntil(T0 + 7320_000);
    await reactive.runUntil(T0 + 7320_000);
    expect(ready(oracle)).toBeGreaterThanOrEqual(12);
    expect(ready(reactive)).toBeLessThan(12);
  });

  it('its pods wait less than reactive ones, at the cost of the pre-scaled minutes', async () => {
    const options = { config, start: T0 };
    const oracle = await runPolicy('oracle', burst, options);
    const reactive = await runPolicy('reactive', burst, options);
    expect(oracle.executorPendingSeconds.p95!).toBeLessThan(reactive.executorPendingSeconds.p95! / 4);
    expect(oracle.nodeHours).toBeGreaterThan(reactive.nodeHours);
  });
});

describe('headroom-N', () => {
  it('keeps N spare executor nodes above demand', async () => {
    const jobs = [job('steady', 60, { executors: 4, durationSeconds: 7200 })];
    const sim = simulation(jobs, headroomPolicy(config, 3), config);
    await sim.runUntil(T0 + 60 * MIN);
    const snapshot = sim.snapshot();
    const demand = observeGroups(snapshot, config.nodeGroups).get(EXECUTOR)!.demandNodes;
    expect(demand).toBe(1);
    expect(snapshot.groups.get(EXECUTOR)!.targetSize).toBe(demand + 3);
    const ready = [...snapshot.nodes.values()].filter((n) => n.group === EXECUTOR && n.ready);
    expect(ready).toHaveLength(4);
  });

  it('is a policy name simulate accepts for any N, named in its report', async () => {
    const report = await runPolicy('headroom-2', burst, { config, start: T0 });
    expect(report.policy).toBe('headroom-2');
    await expect(runPolicy('headroom-x', burst, { config, start: T0 })).rejects.toThrow(/unknown policy/);
  });
});
