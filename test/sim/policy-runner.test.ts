import { afterEach, describe, expect, it } from 'vitest';
import type { TickResult } from '../../agent/loop.js';
import { localOverrides } from '../../agent/store/override-backend.js';
import { loopPolicy } from '../../sim/policies/loop-policy.js';
import type { SimPolicy } from '../../sim/policies/policy.js';
import { runPolicy } from '../../sim/run-policies.js';
import { openTempStore } from '../fakes/temp-store.js';
import { job, simulation, T0, testConfig } from './helpers.js';

const EXECUTOR = 'spark-executor';
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('policy runner', () => {
  it('ticks on the timer and, debounced, right after new unschedulable pods', async () => {
    const config = testConfig();
    const ticks: number[] = [];
    const policy: SimPolicy = {
      name: 'recorder',
      tickSeconds: 3600,
      eventDebounceMs: 500,
      tick: (sim) => {
        ticks.push((sim.now - T0) / 1000);
        return Promise.resolve();
      },
    };
    // Two executor nodes hold 8 of the 12 executors: batches at 100 s (5), 101 s (5: 2 do not
    // fit) and 102 s (2 more that do not fit).
    const sim = simulation([job('a', 100, { executors: 12, durationSeconds: 60 })], policy, config);
    await sim.runUntil(T0 + 200_000);
    expect(ticks).toEqual([0, 101.5, 102.5]);
  });

  it("runs the agent's ControlLoop: its ticks are the simulation's, triggers and all", async () => {
    const config = testConfig();
    const seen: TickResult[] = [];
    const policy = loopPolicy(config, {
      name: 'reactive',
      listeners: [{ onTick: (r) => void seen.push(r) }],
    });
    const sim = simulation([job('a', 100, { executors: 12, durationSeconds: 60 })], policy, config);
    await sim.runUntil(T0 + 120_000);
    expect(policy.loop?.tickCount).toBe(sim.metrics.ticks);
    expect(seen.map((r) => r.trigger)).toContain('event');
    // The plan was carried out by the Actuator: its results name the scale-out it applied.
    const applied = seen.flatMap((r) => r.actuation).filter((a) => a.outcome === 'applied');
    expect(applied.some((a) => a.group === EXECUTOR && a.to > a.from)).toBe(true);
  });

  it.each(['reactive', 'predictive'])(
    "%s: an override created in the simulation's store changes the simulated fleet",
    async (policy) => {
      const config = testConfig({ executorMin: 1, executorMax: 40 });
      const { store, cleanup } = openTempStore({ clock: { now: () => T0 } });
      cleanups.push(cleanup);
      const overrides = localOverrides(store);
      const jobs = [job('a', 60, { executors: 4, durationSeconds: 3600 })];
      const options = {
        config,
        start: T0,
        drainSeconds: 7200,
        overrides: (now: number) => overrides.active(now),
      };

      const before = await runPolicy(policy, jobs, options);
      // A floor of 12 executor nodes for the first hour, as an operator would POST it to the API.
      await overrides.create(
        {
          group: EXECUTOR,
          kind: 'floor',
          value: 12,
          start: new Date(T0).toISOString(),
          end: new Date(T0 + 3_600_000).toISOString(),
          reason: 'backfill',
        },
        'test',
      );
      const after = await runPolicy(policy, jobs, options);
      const peak = (r: typeof before) => r.peakNodesByGroup[EXECUTOR];
      expect(peak(before)).toBeLessThan(12);
      expect(peak(after)).toBe(12);
      expect(after.nodeHours).toBeGreaterThan(before.nodeHours);
    },
  );
});
