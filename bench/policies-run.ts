/**
 * One trace of the policies bench: every policy through the agent's ControlLoop and Actuator
 * (static and ca are the baselines with their own actuation), predictive at several forecast
 * quantiles with days of history, and headroom-N swept until one N matches predictive's
 * node-hours. Returns plain data that policies-render.ts turns into tables and a chart.
 */
import type { Config } from '../agent/config/types.js';
import type { GroupDecision } from '../agent/decide/plan.js';
import type { LoopPolicy } from '../sim/policies/loop-policy.js';
import { withExecutorForecast } from '../sim/policies/nodecast.js';
import type { SimPolicy } from '../sim/policies/policy.js';
import type { SimReport } from '../sim/report.js';
import {
  foresightFactory,
  foresightKnowledge,
  headroomFactory,
  predictiveWithHistory,
  runPolicy,
  type PolicyFactory,
  type RunOptions,
} from '../sim/run-policies.js';
import { simulationStart } from '../sim/simulation.js';
import type { TraceJob } from '../sim/trace-types.js';

export const EXECUTOR = 'spark-executor';

/** How the executor group's forecast was used, tick by tick. */
export interface ForecastUse {
  ticks: number;
  unavailable: number;
  untrusted: number;
  /** Trusted (or within the trust grace): decide may act on it. */
  usable: number;
  /** The forecast set the target or held nodes (a `forecast` or `scale-in-hold` reason). */
  acted: number;
  /** ...while the model was flagged, within the hub's trust grace. */
  actedInGrace: number;
  firstUsableHour?: number;
}

export interface TraceSpec {
  readonly name: string;
  /** One line on where the trace comes from, for the report. */
  readonly description: string;
  readonly jobs: readonly TraceJob[];
  /** The workload of the history days (a real series' earlier days); default: generated. */
  readonly historyJobs?: readonly TraceJob[];
}

export interface TraceResult {
  readonly trace: string;
  readonly description: string;
  readonly jobs: number;
  readonly historyDays: number;
  /** static, ca, reactive, oracle, predictive pQ..., headroom-N... */
  readonly reports: readonly SimReport[];
  readonly uses: Readonly<Record<string, ForecastUse>>;
  /** The predictive run the acceptance is judged on (the default config's quantile). */
  readonly predictive: string;
}

export const predictiveName = (q: number): string => `predictive p${Math.round(q * 100)}`;

function tracked(factory: PolicyFactory, use: ForecastUse, start: number): PolicyFactory {
  return async (ctx) => {
    const policy = (await factory(ctx)) as LoopPolicy;
    const count = (d: GroupDecision, now: number): void => {
      const codes = new Set(d.reasons.map((r) => r.code));
      use.ticks++;
      if (codes.has('forecast-unavailable')) return void use.unavailable++;
      if (codes.has('forecast-untrusted')) return void use.untrusted++;
      use.usable++;
      use.firstUsableHour ??= (now - start) / 3_600_000;
      if (codes.has('forecast') || codes.has('scale-in-hold')) {
        use.acted++;
        if (d.reasons.some((r) => r.message.includes('trust grace'))) use.actedInGrace++;
      }
    };
    const wrapped: SimPolicy = {
      ...policy,
      async tick(sim, trigger) {
        await policy.tick(sim, trigger);
        const d = policy.loop?.last?.plan?.decisions.find((x) => x.group === EXECUTOR);
        if (d) count(d, sim.now);
      },
    };
    return wrapped;
  };
}

const withQuantile =
  (q: number) =>
  (config: Config): Config =>
    withExecutorForecast(config, { quantile: q });

export async function runTrace(
  spec: TraceSpec,
  options: RunOptions,
  opts: {
    quantiles: readonly number[];
    historyDays: number;
    headroom: readonly number[];
    log: (m: string) => void;
  },
): Promise<TraceResult> {
  const start = simulationStart(spec.jobs, options.start);
  const reports: SimReport[] = [];
  const uses: Record<string, ForecastUse> = {};
  const run = async (name: string, factory?: PolicyFactory): Promise<SimReport> => {
    const wall = performance.now();
    const factories = factory ? new Map([[name, factory]]) : undefined;
    const report = await runPolicy(name, spec.jobs, options, undefined, factories);
    opts.log(`  ${spec.name} ${name}: ${((performance.now() - wall) / 1000).toFixed(1)} s`);
    reports.push(report);
    return report;
  };
  for (const name of ['static', 'ca', 'reactive', 'oracle']) await run(name);
  const defaultQ = options.config.nodeGroups.find((g) => g.name === EXECUTOR)!.forecast.quantile;
  for (const q of opts.quantiles) {
    const name = predictiveName(q);
    const use: ForecastUse = { ticks: 0, unavailable: 0, untrusted: 0, usable: 0, acted: 0, actedInGrace: 0 };
    uses[name] = use;
    const factory = predictiveWithHistory(opts.historyDays, name, {
      configure: withQuantile(q),
      ...(spec.historyJobs ? { historyJobs: spec.historyJobs } : {}),
    });
    await run(name, tracked(factory, use, start));
  }
  const target = reports.find((r) => r.policy === predictiveName(defaultQ))?.nodeHours;
  const headroom = new Sweep((n) => run(`headroom-${n}`, headroomFactory(n)));
  for (const n of opts.headroom) await headroom.at(n);
  if (target !== undefined) await bracket(headroom, opts.headroom, target);
  reports.push(
    ...(await runForesight(spec, options, { ...opts, targets: foresightTargets(reports, target) })),
  );
  return {
    trace: spec.name,
    description: spec.description,
    jobs: spec.jobs.length,
    historyDays: opts.historyDays,
    reports,
    uses,
    predictive: predictiveName(defaultQ),
  };
}

/** A policy family over N (headroom-N, foresight-N), each N run once; runs are sequential. */
class Sweep {
  readonly reports = new Map<number, SimReport>();

  constructor(private readonly runN: (n: number) => Promise<SimReport>) {}

  async at(n: number): Promise<SimReport> {
    const kept = this.reports.get(n);
    if (kept) return kept;
    const report = await this.runN(n);
    this.reports.set(n, report);
    return report;
  }
}

/** Runs `initial`, widens, then bisects on N until two neighbours bracket `target` node-hours. */
async function bracket(sweep: Sweep, initial: readonly number[], target: number): Promise<void> {
  for (const n of initial) await sweep.at(n);
  let hi = Math.max(...initial);
  while ((await sweep.at(hi)).nodeHours < target && hi < 512) hi *= 2;
  const runs = [...sweep.reports];
  const below = runs.filter(([, r]) => r.nodeHours <= target).map(([n]) => n);
  let lo = below.length > 0 ? Math.max(...below) : 0;
  hi = Math.min(...runs.filter(([n, r]) => n > lo && r.nodeHours >= target).map(([n]) => n), hi);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await sweep.at(mid)).nodeHours <= target) lo = mid;
    else hi = mid;
  }
}

/** Node-hours foresight is bracketed at: the oracle target's budget (1.05x oracle) and predictive's. */
export function foresightTargets(reports: readonly SimReport[], predictive: number | undefined): number[] {
  const oracle = reports.find((r) => r.policy === 'oracle')?.nodeHours;
  return [
    ...(oracle === undefined ? [] : [oracle * 1.05]),
    ...(predictive === undefined ? [] : [predictive]),
  ];
}

export const FORESIGHT_INITIAL = [0, 4, 8, 16];

/**
 * foresight-N (the causal bound) swept until runs bracket each target node-hours; its two sizing
 * runs are shared by the whole sweep.
 */
export async function runForesight(
  spec: TraceSpec,
  options: RunOptions,
  opts: { targets: readonly number[]; log: (m: string) => void },
): Promise<SimReport[]> {
  const knowledge = foresightKnowledge({ config: options.config, jobs: spec.jobs, options });
  const sweep = new Sweep(async (n) => {
    const name = `foresight-${n}`;
    const wall = performance.now();
    const factories = new Map([[name, foresightFactory(n, knowledge)]]);
    const report = await runPolicy(name, spec.jobs, options, undefined, factories);
    opts.log(`  ${spec.name} ${name}: ${((performance.now() - wall) / 1000).toFixed(1)} s`);
    return report;
  });
  for (const n of FORESIGHT_INITIAL) await sweep.at(n);
  for (const target of opts.targets) await bracket(sweep, FORESIGHT_INITIAL, target);
  return [...sweep.reports.values()].sort((a, b) => a.nodeHours - b.nodeHours);
}
