/**
 * nodecast's policies in the simulator are the agent itself: its ControlLoop (observe -> forecast
 * -> decide -> actuate -> export) and its Actuator (re-validation, clamping, retries) over the sim
 * Provider, on the simulated clock. What differs between reactive, predictive, oracle and headroom
 * is only the ForecastSource the loop is given, so overrides, trust grace, lead time, cooldowns
 * and re-validation behave as they do under `nodecast start` and on a real cluster.
 */
import type { Config } from '../../agent/config/types.js';
import type { ActiveOverride } from '../../agent/decide/plan.js';
import { Actuator } from '../../agent/actuate/actuator.js';
import { ControlLoop, type ForecastSource, type TickListener } from '../../agent/loop.js';
import type { SimHandle, SimPolicy } from './policy.js';

export interface LoopPolicyOptions {
  /** Report name. */
  readonly name: string;
  /** What the loop forecasts with; none: reactive rules only. */
  readonly forecasts?: ForecastSource;
  /** Overrides in force at a time (the simulation's override store). */
  readonly overrides?: (now: number) => readonly ActiveOverride[];
  /** Export-stage listeners (timeline, warm-up history, tests). */
  readonly listeners?: readonly TickListener[];
}

export interface LoopPolicy extends SimPolicy {
  /** The agent's loop, once the simulation has ticked (undefined before). */
  readonly loop: ControlLoop | undefined;
}

export function loopPolicy(config: Config, options: LoopPolicyOptions): LoopPolicy {
  let loop: ControlLoop | undefined;
  let failure: unknown;
  const build = (sim: SimHandle): ControlLoop => {
    const clock = { now: () => sim.now };
    const actuator = new Actuator({
      provider: sim.provider,
      config,
      clock,
      // Simulated time does not pass while the actuator waits; the sim provider never fails anyway.
      sleep: () => Promise.resolve(),
      random: () => 0.5,
    });
    return new ControlLoop({
      config,
      source: {
        health: () => ({ synced: true, stale: false }),
        snapshot: () => sim.snapshot(),
      },
      provider: sim.provider,
      actuator,
      ...(options.forecasts ? { forecasts: options.forecasts } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
      listeners: options.listeners ?? [],
      logger: {
        error: (msg, err) => {
          failure ??= new Error(`${msg}: ${err instanceof Error ? err.message : String(err)}`);
        },
      },
    });
  };
  return {
    name: options.name,
    tickSeconds: config.tickSeconds,
    eventDebounceMs: config.eventDebounceMs,
    get loop() {
      return loop;
    },
    async tick(sim, trigger) {
      loop ??= build(sim);
      await loop.runOnce(sim.now, trigger);
      // A failing tick or listener is a bug the simulation must surface, not a skipped tick.
      if (failure) throw failure;
    },
  };
}
