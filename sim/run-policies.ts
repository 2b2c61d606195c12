/**
 * Runs policies over one trace, each in a fresh simulation with the same seed, so their reports
 * compare like for like. New policies plug in as another factory.
 */
import type { Config } from '../agent/config/types.js';
import { caPolicy } from './policies/ca.js';
import type { SimPolicy } from './policies/policy.js';
import { predictivePolicy } from './policies/predictive.js';
import { reactivePolicy } from './policies/reactive.js';
import { atMaxPolicy, staticPolicy } from './policies/static.js';
import type { SimReport } from './report.js';
import { Simulation, simulationStart, type SimulationOptions } from './simulation.js';
import type { TraceJob } from './trace-types.js';
import { warmUpHistory } from './warmup.js';

export type RunOptions = Omit<SimulationOptions, 'onProgress'>;

export interface PolicyContext {
  readonly config: Config;
  readonly jobs: readonly TraceJob[];
  readonly options: RunOptions;
  readonly onProgress?: (fraction: number) => void;
}

export type PolicyFactory = (ctx: PolicyContext) => Promise<SimPolicy>;

/**
 * Peak busy nodes per group when the trace runs on a fleet at max with no policy: the fleet a
 * static cluster needs so no pod waits for a node (see policies/static.ts for why it is exact).
 */
export async function sizeStaticFleet(ctx: PolicyContext): Promise<Map<string, number>> {
  const sim = new Simulation(ctx.jobs, atMaxPolicy(ctx.config.nodeGroups), {
    ...ctx.options,
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
  });
  await sim.run();
  return new Map([...sim.cluster.groups].map(([name, group]) => [name, group.peakBusyNodes]));
}

export const defaultPolicyFactories: ReadonlyMap<string, PolicyFactory> = new Map<string, PolicyFactory>([
  ['static', async (ctx) => staticPolicy(ctx.config.nodeGroups, await sizeStaticFleet(ctx))],
  ['ca', (ctx) => Promise.resolve(caPolicy(ctx.config))],
  ['reactive', (ctx) => Promise.resolve(reactivePolicy(ctx.config))],
  ['predictive', (ctx) => Promise.resolve(predictivePolicy(ctx.config))],
]);

/**
 * `predictive` starting with `days` of demand history, as an agent installed with a Prometheus
 * backfill (`history.source: prometheus`) does: the days before the run starts are
 * replayed by the reactive policy on an independent generated workload (sim/warmup.ts), so the
 * forecaster never sees the trace it is scored on. Without it the trace's first day runs on
 * reactive rules (no forecast under a day of history).
 */
export function predictiveWithHistory(days: number, name = 'predictive'): PolicyFactory {
  return async (ctx) => {
    // History ends where the run starts, as a backfill ends where the agent starts.
    const end = simulationStart(ctx.jobs, ctx.options.start);
    const history =
      ctx.jobs.length > 0 ? await warmUpHistory(ctx.config, { days, seed: ctx.options.seed ?? 1, end }) : [];
    return predictivePolicy(ctx.config, { name, history });
  };
}

export async function runPolicy(
  name: string,
  jobs: readonly TraceJob[],
  options: RunOptions,
  onProgress?: (fraction: number, stage: string) => void,
  factories: ReadonlyMap<string, PolicyFactory> = defaultPolicyFactories,
): Promise<SimReport> {
  const factory = factories.get(name);
  if (!factory) throw new Error(`unknown policy "${name}" (known: ${[...factories.keys()].join(', ')})`);
  const ctx: PolicyContext = {
    config: options.config,
    jobs,
    options,
    ...(onProgress ? { onProgress: (f: number) => onProgress(f, `${name}: sizing`) } : {}),
  };
  const policy = await factory(ctx);
  const sim = new Simulation(jobs, policy, {
    ...options,
    ...(onProgress ? { onProgress: (f: number) => onProgress(f, name) } : {}),
  });
  return sim.run();
}

export async function runPolicies(
  names: readonly string[],
  jobs: readonly TraceJob[],
  options: RunOptions,
  onProgress?: (fraction: number, stage: string) => void,
  factories: ReadonlyMap<string, PolicyFactory> = defaultPolicyFactories,
): Promise<SimReport[]> {
  const reports: SimReport[] = [];
  for (const [i, name] of names.entries()) {
    const scaled = onProgress
      ? (f: number, stage: string) => onProgress((i + f) / names.length, stage)
      : undefined;
    reports.push(await runPolicy(name, jobs, options, scaled, factories));
  }
  return reports;
}
