import { describe, expect, it } from 'vitest';
import type { SimPolicy } from '../../sim/policies/policy.js';
import { steadyPlan } from '../../sim/policies/policy.js';
import { decidePolicy } from '../../sim/policies/reactive.js';
import { job, simulation, T0, testConfig } from './helpers.js';

describe('policy runner', () => {
  it('ticks on the timer and, debounced, right after new unschedulable pods', async () => {
    const config = testConfig();
    const ticks: number[] = [];
    const policy: SimPolicy = {
      name: 'recorder',
      tickSeconds: 3600,
      eventDebounceMs: 500,
      onTick: (snapshot, now) => {
        ticks.push((now - T0) / 1000);
        return { plan: steadyPlan(snapshot, config.nodeGroups, now) };
      },
    };
    // Two executor nodes hold 8 of the 12 executors: batches at 100 s (5), 101 s (5: 2 do not
    // fit) and 102 s (2 more that do not fit).
    const sim = simulation([job('a', 100, { executors: 12, durationSeconds: 60 })], policy, config);
    await sim.runUntil(T0 + 200_000);
    expect(ticks).toEqual([0, 101.5, 102.5]);
  });

  it('passes per-tick decide inputs (forecasts, overrides) from the hook to decide', async () => {
    const config = testConfig();
    let calls = 0;
    const policy = decidePolicy(config, {
      name: 'pinned',
      inputs: () => {
        calls++;
        return { overrides: [{ id: 'o1', group: 'spark-executor', kind: 'pin', value: 7, reason: 'test' }] };
      },
    });
    const sim = simulation([job('a', 3600)], policy, config);
    await sim.runUntil(T0 + 30_000);
    expect(calls).toBeGreaterThan(0);
    expect(sim.snapshot().groups.get('spark-executor')?.targetSize).toBe(7);
  });

  it('calls onStep every step with a snapshot, for demand history', async () => {
    const config = testConfig();
    const steps: number[] = [];
    const policy = decidePolicy(config, {
      stepSeconds: 60,
      onStep: (snapshot, now) => steps.push(now - snapshot.takenAt + (now - T0) / 1000),
    });
    const sim = simulation([job('a', 600)], policy, config);
    await sim.runUntil(T0 + 300_000);
    expect(steps).toEqual([0, 60, 120, 180, 240, 300]);
  });
});
