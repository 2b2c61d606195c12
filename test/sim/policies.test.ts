import { describe, expect, it } from 'vitest';
import { atMaxPolicy, staticPolicy } from '../../sim/policies/static.js';
import type { SimReport } from '../../sim/report.js';
import { runPolicy, sizeStaticFleet } from '../../sim/run-policies.js';
import { Simulation } from '../../sim/simulation.js';
import { generateTrace } from '../../sim/trace-generate.js';
import { testConfig } from './helpers.js';

const config = testConfig();
// A weekday morning (Tuesday 2024-01-02, 07:00-11:00 UTC): office hours ramp up, hourly jobs.
const day = Date.UTC(2024, 0, 2);
const jobs = generateTrace({ days: 1, seed: 5, start: day }).filter(
  (j) => j.submitTime >= day + 7 * 3_600_000 && j.submitTime < day + 11 * 3_600_000,
);
const short = jobs.filter((j) => j.submitTime < day + 9 * 3_600_000);
const withoutWallTime = ({ wallSeconds: _wall, ...rest }: SimReport) => rest;

describe('static sizing', () => {
  it('sizes each group to the peak busy nodes of an at-max run, which it then reproduces exactly', async () => {
    const sizes = await sizeStaticFleet({ config, jobs, options: { config } });
    const atMax = new Simulation(jobs, atMaxPolicy(), { config });
    const fixed = new Simulation(jobs, staticPolicy(sizes), { config });
    await atMax.run();
    const report = await fixed.run();
    const executors = sizes.get('spark-executor') ?? 0;
    expect(executors).toBeGreaterThan(10);
    expect(executors).toBeLessThan(200);
    expect(report.peakNodesByGroup['spark-executor']).toBe(executors);
    expect(fixed.metrics.executorPendingSeconds).toEqual(atMax.metrics.executorPendingSeconds);
    expect(fixed.metrics.slowdowns).toEqual(atMax.metrics.slowdowns);
  });
});

describe('policies over a day', () => {
  it('reactive (the real decide) completes every job with far fewer node-hours than static', async () => {
    const fixed = await runPolicy('static', jobs, { config });
    const reactive = await runPolicy('reactive', jobs, { config });
    expect(reactive.jobsCompleted).toBe(jobs.length);
    expect(reactive.nodeHours).toBeLessThan(0.8 * fixed.nodeHours);
    expect(reactive.executorNodesRemovedWhileBusy).toBe(0);
    expect(reactive.evictions).toBe(0);
    expect(reactive.scaleOutLatencySeconds.count).toBeGreaterThan(0);
    expect(reactive.jobSlowdown.mean).toBeGreaterThanOrEqual(1);
  });

  it('is deterministic: same seed, identical report; another seed, other provisioning delays', async () => {
    const a = await runPolicy('reactive', short, { config, seed: 7 });
    const b = await runPolicy('reactive', short, { config, seed: 7 });
    const c = await runPolicy('reactive', short, { config, seed: 8 });
    expect(withoutWallTime(a)).toEqual(withoutWallTime(b));
    expect(c.scaleOutLatencySeconds).not.toEqual(a.scaleOutLatencySeconds);
  });

  it('the cluster-autoscaler baseline completes every job and never deletes a busy node', async () => {
    const report = await runPolicy('ca', jobs, { config });
    expect(report.jobsCompleted).toBe(jobs.length);
    expect(report.executorNodesRemovedWhileBusy).toBe(0);
    expect(report.driverNodesRemovedWhileBusy).toBe(0);
  });
});
