/**
 * Runs policies over one trace, each in a fresh simulation with the same seed, so their reports
 * compare like for like. New policies plug in as another factory; `headroom-N` takes any N.
 */
import type { Config } from '../agent/config/types.js';
import type { ActiveOverride } from '../agent/decide/plan.js';
import { caPolicy } from './policies/ca.js';
import { atMaxRecordingPolicy, DemandTrace } from './policies/demand-trace.js';
import { shapedSpare, unscheduledRateShape } from './policies/foresight.js';
import {
  foresightPolicy,
  headroomPolicy,
  oraclePolicy,
  predictivePolicy,
  reactivePolicy,
  type NodecastPolicyOptions,
} from './policies/nodecast.js';
import type { SimPolicy } from './policies/policy.js';
import { atMaxPolicy, staticPolicy } from './policies/static.js';
import type { SimReport } from './report.js';
import { Simulation, simulationStart, type SimulationOptions } from './simulation.js';
import type { TraceJob } from './trace-types.js';
import { isScheduledJob } from './trace-generate.js';
import { warmUpHistory } from './warmup.js';
import { cdfOnGrid, PENDING_GRID, SLOWDOWN_GRID, TimelineRecorder, type SimTimeline } from './timeline.js';

export type RunOptions = Omit<SimulationOptions, 'onProgress'> & {
  /** Overrides in force at a simulated time (an override store's `active`): nodecast's policies obey them. */
  readonly overrides?: (now: number) => readonly ActiveOverride[];
};

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
 * Replays the trace with every group at max and no policy acting: each group's peak busy nodes
 * are the fleet a static cluster needs so no pod waits for a node (see policies/static.ts for why
 * it is exact), and the demand sampled every tick is the future the oracle reads.
 */
export async function sizingRun(
  ctx: PolicyContext,
): Promise<{ peakBusy: Map<string, number>; demand: DemandTrace }> {
  const start = simulationStart(ctx.jobs, ctx.options.start);
  const demand = new DemandTrace(start, ctx.config.tickSeconds * 1000);
  const sim = new Simulation(ctx.jobs, atMaxRecordingPolicy(ctx.config, demand), {
    ...ctx.options,
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
  });
  await sim.run();
  return { peakBusy: peakBusyOf(sim), demand };
}

/** Peak busy nodes per group on the sizing run (the static fleet); no demand sampling, no ticks. */
export async function sizeStaticFleet(ctx: PolicyContext): Promise<Map<string, number>> {
  const sim = new Simulation(ctx.jobs, atMaxPolicy(), {
    ...ctx.options,
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
  });
  await sim.run();
  return peakBusyOf(sim);
}

function peakBusyOf(sim: Simulation): Map<string, number> {
  return new Map([...sim.cluster.groups].map(([name, group]) => [name, group.peakBusyNodes]));
}

/** What every nodecast policy gets from the context: overrides, and the timeline's forecast band. */
function nodecastOptions(ctx: PolicyContext, name?: string): NodecastPolicyOptions {
  const timeline = ctx.timeline;
  return {
    ...(name ? { name } : {}),
    ...(ctx.options.overrides ? { overrides: ctx.options.overrides } : {}),
    ...(timeline ? { onViews: (views, now) => timeline.forecastViews(views, now) } : {}),
  };
}

export const defaultPolicyFactories: ReadonlyMap<string, PolicyFactory> = new Map<string, PolicyFactory>([
  ['static', async (ctx) => staticPolicy(await sizeStaticFleet(ctx))],
  ['ca', (ctx) => Promise.resolve(caPolicy(ctx.config))],
  ['reactive', (ctx) => Promise.resolve(reactivePolicy(ctx.config, nodecastOptions(ctx)))],
  ['predictive', (ctx) => Promise.resolve(predictivePolicy(ctx.config, nodecastOptions(ctx)))],
  ['oracle', async (ctx) => oraclePolicy(ctx.config, (await sizingRun(ctx)).demand, nodecastOptions(ctx))],
]);

/** `headroom-N` (reactive plus N warm spare executor nodes) for any N >= 0. */
export function headroomFactory(spareNodes: number): PolicyFactory {
  return (ctx) => Promise.resolve(headroomPolicy(ctx.config, spareNodes, nodecastOptions(ctx)));
}

/** What foresight-N knows of a trace: its scheduled jobs' demand, and the unscheduled rate by hour of week. */
export interface ForesightKnowledge {
  readonly scheduled: DemandTrace;
  readonly shapes: ReadonlyMap<string, (t: number) => number>;
}

/**
 * Two sizing runs, the whole trace and its scheduled jobs alone (by default the generator's ETL,
 * sim/trace-generate.ts); a sweep over N shares one.
 */
export async function foresightKnowledge(
  ctx: PolicyContext,
  isScheduled: (job: TraceJob) => boolean = isScheduledJob,
): Promise<ForesightKnowledge> {
  const all = (await sizingRun(ctx)).demand;
  const { onProgress: _, ...quiet } = ctx;
  const scheduled = (await sizingRun({ ...quiet, jobs: ctx.jobs.filter(isScheduled) })).demand;
  const executors = ctx.config.nodeGroups.filter((g) => g.role === 'executor');
  const shapes = new Map(executors.map((g) => [g.name, unscheduledRateShape(all, scheduled, g.name)]));
  return { scheduled, shapes };
}

/** `foresight-N` (the causal bound, sim/policies/foresight.ts); `knowledge` shared across a sweep. */
export function foresightFactory(spareNodes: number, knowledge?: Promise<ForesightKnowledge>): PolicyFactory {
  return async (ctx) => {
    const { scheduled, shapes } = await (knowledge ?? foresightKnowledge(ctx));
    const inputs = { scheduled, spare: shapedSpare(shapes, spareNodes) };
    return foresightPolicy(ctx.config, inputs, spareNodes, nodecastOptions(ctx));
  };
}

/** The factory for a policy name: a known one, headroom-N or foresight-N. */
export function policyFactory(
  name: string,
  factories: ReadonlyMap<string, PolicyFactory> = defaultPolicyFactories,
): PolicyFactory | undefined {
  const known = factories.get(name);
  if (known) return known;
  const n = /^(headroom|foresight)-(\d{1,4})$/.exec(name);
  if (!n) return undefined;
  return n[1] === 'headroom' ? headroomFactory(Number(n[2])) : foresightFactory(Number(n[2]));
}

/**
 * `predictive` starting with `days` of demand history, as an agent installed with a Prometheus
 * backfill (`history.source: prometheus`) does: the days before the run starts are
 * replayed by the reactive policy on an independent generated workload (sim/warmup.ts), so the
 * forecaster never sees the trace it is scored on. Without it the trace's first day runs on
 * reactive rules (no forecast under a day of history).
 */
export function predictiveWithHistory(
  days: number,
  name = 'predictive',
  opts: {
    /** The config predictive runs with (a bench varies the forecast quantile). */
    configure?: (config: Config) => Config;
    /** The workload of the history days (a real series' earlier days); default a generated one. */
    historyJobs?: readonly TraceJob[];
  } = {},
): PolicyFactory {
  const configure = opts.configure ?? ((c: Config) => c);
  return async (ctx) => {
    // History ends where the run starts, as a backfill ends where the agent starts.
    const end = simulationStart(ctx.jobs, ctx.options.start);
    const seed = ctx.options.seed ?? 1;
    const history =
      ctx.jobs.length > 0
        ? await warmUpHistory(ctx.config, {
            days,
            seed,
            end,
            ...(opts.historyJobs ? { jobs: opts.historyJobs } : {}),
          })
        : [];
    return predictivePolicy(configure(ctx.config), { ...nodecastOptions(ctx, name), history });
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
  const factory = policyFactory(name, factories);
  if (!factory)
    throw new Error(
      `unknown policy "${name}" (known: ${[...factories.keys()].join(', ')}, headroom-N, foresight-N)`,
    );
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

/** Runs `run` for each name in turn, scaling progress so the whole set reads 0..1. */
async function eachPolicy<T>(
  names: readonly string[],
  onProgress: ((fraction: number, stage: string) => void) | undefined,
  run: (name: string, progress?: (fraction: number, stage: string) => void) => Promise<T>,
): Promise<T[]> {
  const out: T[] = [];
  for (const [i, name] of names.entries()) {
    const scaled = onProgress
      ? (f: number, stage: string) => onProgress((i + f) / names.length, stage)
      : undefined;
    out.push(await run(name, scaled));
  }
  return out;
}

/** Like runPolicies, and also samples each run over time (sim/timeline.ts) for the HTML report. */
export async function runPoliciesRecorded(
  names: readonly string[],
  jobs: readonly TraceJob[],
  options: RunOptions,
  onProgress?: (fraction: number, stage: string) => void,
  factories: ReadonlyMap<string, PolicyFactory> = defaultPolicyFactories,
): Promise<{ report: SimReport; timeline: SimTimeline }[]> {
  return eachPolicy(names, onProgress, async (name, progress) => {
    const run = await runRecorded(name, jobs, options, progress, factories, true);
    return { report: run.report, timeline: run.timeline! };
  });
}

export async function runPolicies(
  names: readonly string[],
  jobs: readonly TraceJob[],
  options: RunOptions,
  onProgress?: (fraction: number, stage: string) => void,
  factories: ReadonlyMap<string, PolicyFactory> = defaultPolicyFactories,
): Promise<SimReport[]> {
  return eachPolicy(names, onProgress, (name, progress) =>
    runPolicy(name, jobs, options, progress, factories),
  );
}
