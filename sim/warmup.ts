/**
 * History for the demo's forecaster: replays the days before the demo starts through the
 * simulator with the reactive policy (the agent's loop) at full speed and records each group's
 * demand as the observe stage measured it (one sample per step, the latest in a step wins), so
 * `npm start` shows forecasts from its first minute instead of after a simulated day.
 */
import type { Config } from '../agent/config/types.js';
import type { TickListener } from '../agent/loop.js';
import { reactivePolicy } from './policies/nodecast.js';
import { Simulation } from './simulation.js';
import { generateTrace } from './trace-generate.js';
import type { TraceJob } from './trace-types.js';

const DAY_MS = 86_400_000;

export interface HistoryRow {
  readonly group: string;
  readonly t: number;
  readonly value: number;
}

/** Demand samples per group over [end - days, end), at the config's forecast step. */
export async function warmUpHistory(
  config: Config,
  opts: {
    days: number;
    seed: number;
    end: number;
    /** The workload of the days before (a real series' earlier days); default a generated one. */
    jobs?: readonly TraceJob[];
  },
): Promise<HistoryRow[]> {
  const start = opts.end - opts.days * DAY_MS;
  const stepMs = config.forecast.stepSeconds * 1000;
  const samples = new Map<string, HistoryRow>();
  const recorder: TickListener = {
    onTick: (result) => {
      const t = Math.floor(result.at / stepMs) * stepMs;
      for (const [group, value] of result.observed?.demandNodes ?? [])
        samples.set(`${group}@${t}`, { group, t, value });
    },
  };
  const policy = reactivePolicy(config, { name: 'warm-up', listeners: [recorder] });
  const jobs =
    opts.jobs?.filter((j) => j.submitTime >= start && j.submitTime < opts.end) ??
    generateTrace({ days: opts.days, seed: opts.seed + 1_000, start });
  const sim = new Simulation(jobs, policy, { config, seed: opts.seed, start });
  await sim.runUntil(opts.end - 1);
  return [...samples.values()].sort((a, b) => a.t - b.t);
}
