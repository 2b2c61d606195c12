/**
 * `predictive`: the reactive policy plus forecasts, wired exactly as the agent loop wires them
 * (agent/loop.ts): each tick asks the ForecastHub for views at now + lead, runs the real `decide`
 * with them, then feeds the plan's `demandNodes` back into the hub. The lead time is the agent's
 * LeadTime (p90 of measured scale-out latencies + one tick), fed with the simulator's measured
 * scale-out latencies. Until a group has a day of history its forecaster has no model and decide
 * says `forecast-unavailable`: the first day of a trace runs on reactive rules only.
 */
import type { Config } from '../../agent/config/types.js';
import { ForecastHub, type ForecastHubOptions } from '../../agent/runtime/forecast-hub.js';
import { LeadTime } from '../../agent/runtime/lead-time.js';
import type { GroupForecastView } from '../../forecast/view.js';
import type { SimPolicy } from './policy.js';
import { decidePolicy } from './reactive.js';

export interface PredictivePolicyOptions {
  /** Report name (default "predictive"). */
  readonly name?: string;
  /** Demand history to load before the run (e.g. sim/warmup.ts), oldest first. */
  readonly history?: readonly { group: string; t: number; value: number }[];
  /** Hub options (the agent uses the defaults). */
  readonly hub?: ForecastHubOptions;
  /** Receives the hub and lead time (tests and reports read forecaster status from them). */
  readonly onHub?: (hub: ForecastHub, lead: LeadTime) => void;
  /** The views each tick acted on (the HTML report's forecast band). */
  readonly onViews?: (views: ReadonlyMap<string, GroupForecastView>, now: number) => void;
}

export function predictivePolicy(config: Config, options: PredictivePolicyOptions = {}): SimPolicy {
  const lead = new LeadTime(config.tickSeconds);
  const hub = new ForecastHub(config, lead, undefined, options.hub);
  for (const group of hub.groupNames) {
    hub.load(
      group,
      (options.history ?? []).filter((row) => row.group === group),
    );
  }
  options.onHub?.(hub, lead);
  return decidePolicy(config, {
    name: options.name ?? 'predictive',
    inputs: (_snapshot, now) => {
      const forecasts = hub.views(now, []);
      options.onViews?.(forecasts, now);
      return { forecasts, overrides: [] };
    },
    onPlan: (plan, now) => hub.observe(now, new Map(plan.decisions.map((d) => [d.group, d.demandNodes]))),
    onScaleOutLatency: (group, seconds) => lead.record(group, seconds),
  });
}
