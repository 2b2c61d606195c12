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
import { cdfOnGrid, PENDING_GRID, SLOWDOWN_GRID, TimelineRecorder, type SimTimeline } from './timeline.js';

export type RunOptions = Omit<SimulationOptions, 'onProgress'>;

export interface PolicyContext {
  readonly config: Config;
  readonly jobs: readonly TraceJob[];
  readonly options: RunOptions;
  readonly onProgress?: (fraction: number) => void;
  /** Set when a timeline is recorded: a predictive policy hands it the forecasts it acted on. */
  readonly timeline?: TimelineRecorder;
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

function viewsTo(ctx: PolicyContext): { onViews?: TimelineRecorder['forecastViews'] } {
  const timeline = ctx.timeline;
  return timeline ? { onViews: (views, now) => timeline.forecastViews(views, now) } : {};
}

export const defaultPolicyFactories: ReadonlyMap<string, PolicyFactory> = new Map<string, PolicyFactory>([
  ['static', async (ctx) => staticPolicy(ctx.config.nodeGroups, await sizeStaticFleet(ctx))],
  ['ca', (ctx) => Promise.resolve(caPolicy(ctx.config))],
  ['reactive', (ctx) => Promise.resolve(reactivePolicy(ctx.config))],
  ['predictive', (ctx) => Promise.resolve(predictivePolicy(ctx.config, viewsTo(ctx)))],
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
    return predictivePolicy(ctx.config, { name, history, ...viewsTo(ctx) });
  };
}

export async function runPolicy(
  name: string,
  jobs: readonly TraceJob[],
  options: RunOptions,
  onProgress?: (fraction: number, stage: string) => void,
  factories: ReadonlyMap<string, PolicyFactory> = defaultPolicyFactories,
): Promise<SimReport> {
  return (await runRecorded(name, jobs, options, onProgress, factories, false)).report;
}

async function runRecorded(
  name: string,
  jobs: readonly TraceJob[],
  options: RunOptions,
  onProgress: ((fraction: number, stage: string) => void) | undefined,
  factories: ReadonlyMap<string, PolicyFactory>,
  record: boolean,
): Promise<{ report: SimReport; timeline?: SimTimeline }> {
  const factory = factories.get(name);
  if (!factory) throw new Error(`unknown policy "${name}" (known: ${[...factories.keys()].join(', ')})`);
  const timeline = record ? new TimelineRecorder(options.config) : undefined;
  const ctx: PolicyContext = {
    config: options.config,
    jobs,
    options,
    ...(onProgress ? { onProgress: (f: number) => onProgress(f, `${name}: sizing`) } : {}),
    ...(timeline ? { timeline } : {}),
  };
  const policy = await factory(ctx);
  const sim = new Simulation(jobs, policy, {
    ...options,
    ...(onProgress ? { onProgress: (f: number) => onProgress(f, name) } : {}),
    ...(timeline ? { timeline } : {}),
  });
  const report = await sim.run();
  if (!timeline) return { report };
  return {
    report,
    timeline: {
      ...timeline.result(),
      executorPending: cdfOnGrid(sim.metrics.executorPendingSeconds, PENDING_GRID),
      slowdown: cdfOnGrid(sim.metrics.slowdowns, SLOWDOWN_GRID),
    },
  };
}

/** Like runPolicies, and also samples each run over time (sim/timeline.ts) for the HTML report. */
export async function runPoliciesRecorded(
  names: readonly string[],
  jobs: readonly TraceJob[],
  options: RunOptions,
  onProgress?: (fraction: number, stage: string) => void,
  factories: ReadonlyMap<string, PolicyFactory> = defaultPolicyFactories,
): Promise<{ report: SimReport; timeline: SimTimeline }[]> {
  const out: { report: SimReport; timeline: SimTimeline }[] = [];
  for (const [i, name] of names.entries()) {
    const scaled = onProgress
      ? (f: number, stage: string) => onProgress((i + f) / names.length, stage)
      : undefined;
    const run = await runRecorded(name, jobs, options, scaled, factories, true);
    out.push({ report: run.report, timeline: run.timeline! });
  }
  return out;
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
