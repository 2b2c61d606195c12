/**
 * nodecast's policies as the simulator runs them: every one is the agent's ControlLoop and
 * Actuator (loop-policy.ts), differing only in the ForecastSource:
 * - reactive: none;
 * - predictive: the agent's ForecastHub (one forecaster per executor group, the measured lead);
 * - oracle: the trace's real future demand (oracle.ts);
 * - headroom-N: demand now + N spare nodes (headroom.ts);
 * - foresight-N: the causal bound, everything an agent could know of the future (foresight.ts).
 */
import type { Config, GroupForecastConfig } from '../../agent/config/types.js';
import type { ActiveOverride, GroupForecastView } from '../../agent/decide/plan.js';
import type { ForecastSource, TickListener } from '../../agent/loop.js';
import { ForecastHub, type ForecastHubOptions } from '../../agent/runtime/forecast-hub.js';
import { LeadTime } from '../../agent/runtime/lead-time.js';
import type { DemandTrace } from './demand-trace.js';
import { ForesightForecasts, type ForesightInputs } from './foresight.js';
import { HeadroomForecasts } from './headroom.js';
import { loopPolicy, type LoopPolicy } from './loop-policy.js';
import { OracleForecasts } from './oracle.js';

export interface NodecastPolicyOptions {
  /** Report name (defaults per policy). */
  readonly name?: string;
  /** Overrides in force at a time (the simulation's override store). */
  readonly overrides?: (now: number) => readonly ActiveOverride[];
  /** The views each tick acted on (the HTML report's forecast band). */
  readonly onViews?: (views: ReadonlyMap<string, GroupForecastView>, now: number) => void;
  /** More export-stage listeners. */
  readonly listeners?: readonly TickListener[];
}

export interface PredictivePolicyOptions extends NodecastPolicyOptions {
  /** Demand history to load before the run (e.g. sim/warmup.ts), oldest first. */
  readonly history?: readonly { group: string; t: number; value: number }[];
  /** Hub options (the agent uses the defaults). */
  readonly hub?: ForecastHubOptions;
  /** Receives the hub and lead time (tests and reports read forecaster status from them). */
  readonly onHub?: (hub: ForecastHub, lead: LeadTime) => void;
}

function listenersOf(options: NodecastPolicyOptions): TickListener[] {
  const { onViews } = options;
  const views: TickListener | undefined = onViews && {
    onTick: (r) => {
      if (r.forecasts) onViews(r.forecasts, r.at);
    },
  };
  return [...(views ? [views] : []), ...(options.listeners ?? [])];
}

function loopOf(
  config: Config,
  name: string,
  options: NodecastPolicyOptions,
  forecasts?: ForecastSource,
): LoopPolicy {
  return loopPolicy(config, {
    name: options.name ?? name,
    ...(forecasts ? { forecasts } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    listeners: listenersOf(options),
  });
}

export function reactivePolicy(config: Config, options: NodecastPolicyOptions = {}): LoopPolicy {
  return loopOf(config, 'reactive', options);
}

/**
 * The agent as installed: until a group has a day of history its forecaster has no model and
 * decide says `forecast-unavailable`, so without `history` the first day runs on reactive rules.
 */
export function predictivePolicy(config: Config, options: PredictivePolicyOptions = {}): LoopPolicy {
  const lead = new LeadTime(config.tickSeconds);
  const hub = new ForecastHub(config, lead, undefined, options.hub);
  for (const group of hub.groupNames)
    hub.load(
      group,
      (options.history ?? []).filter((row) => row.group === group),
    );
  options.onHub?.(hub, lead);
  return loopOf(config, 'predictive', options, hub);
}

/** `config` with `patch` applied to every executor group's forecast settings. */
export function withExecutorForecast(config: Config, patch: Partial<GroupForecastConfig>): Config {
  return {
    ...config,
    nodeGroups: config.nodeGroups.map((g) =>
      g.role === 'executor' ? { ...g, forecast: { ...g.forecast, ...patch } } : g,
    ),
  };
}

/** A baseline: the loop with `source`, acting on every executor group whatever mode the config gives its forecaster. */
function baselinePolicy(
  config: Config,
  name: string,
  options: NodecastPolicyOptions,
  source: (active: Config) => ForecastSource,
): LoopPolicy {
  const active = withExecutorForecast(config, { mode: 'active' });
  return loopOf(active, name, options, source(active));
}

export function oraclePolicy(
  config: Config,
  future: DemandTrace,
  options: NodecastPolicyOptions = {},
): LoopPolicy {
  return baselinePolicy(config, 'oracle', options, (active) => new OracleForecasts(active, future));
}

export function headroomPolicy(
  config: Config,
  spareNodes: number,
  options: NodecastPolicyOptions = {},
): LoopPolicy {
  const name = `headroom-${spareNodes}`;
  return baselinePolicy(config, name, options, (active) => new HeadroomForecasts(active, spareNodes));
}

export function foresightPolicy(
  config: Config,
  inputs: ForesightInputs,
  spareNodes: number,
  options: NodecastPolicyOptions = {},
): LoopPolicy {
  const name = `foresight-${spareNodes}`;
  return baselinePolicy(config, name, options, (active) => new ForesightForecasts(active, inputs));
}
