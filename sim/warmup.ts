/**
 * History for the demo's forecaster: replays the days before the demo starts through the
 * simulator with the reactive policy at full speed and records each group's demand as the agent
 * would (one sample per step, the latest in a step wins), so `npm start` shows forecasts from
 * its first minute instead of after a simulated day.
 */
import type { Config } from '../agent/config/types.js';
import type { Plan } from '../agent/decide/plan.js';
import { reactivePolicy } from './policies/reactive.js';
import type { SimPolicy } from './policies/policy.js';
import { Simulation } from './simulation.js';
import { generateTrace } from './trace-generate.js';

const DAY_MS = 86_400_000;

export interface HistoryRow {
  readonly group: string;
  readonly t: number;
  readonly value: number;
}

/** Demand samples per group over [end - days, end), at the config's forecast step. */
export async function warmUpHistory(
  config: Config,
  opts: { days: number; seed: number; end: number },
): Promise<HistoryRow[]> {
  const start = opts.end - opts.days * DAY_MS;
  const stepMs = config.forecast.stepSeconds * 1000;
  const samples = new Map<string, HistoryRow>();
  const record = (plan: Plan): void => {
    const t = Math.floor(plan.at / stepMs) * stepMs;
    for (const d of plan.decisions)
      samples.set(`${d.group}@${t}`, { group: d.group, t, value: d.demandNodes });
  };
  const reactive = reactivePolicy(config);
  const policy: SimPolicy = {
    ...reactive,
    name: 'warm-up',
    onTick: (snapshot, now) => {
      const result = reactive.onTick(snapshot, now);
      record(result.plan);
      return result;
    },
  };
  const jobs = generateTrace({ days: opts.days, seed: opts.seed + 1_000, start });
  const sim = new Simulation(jobs, policy, { config, seed: opts.seed, start });
  await sim.runUntil(opts.end - 1);
  return [...samples.values()].sort((a, b) => a.t - b.t);
}
