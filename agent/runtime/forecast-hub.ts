/**
 * One GroupForecaster per executor group with forecasting on (shadow or active), behind the loop's
 * ForecastSource seam: it feeds each tick's demand in, persists it to the history store, and hands
 * decide the view at now + lead. A `forecast-off` override drops the group's view (decide then
 * says so and stays reactive).
 *
 * Two choices tuned on simulated workloads (docs/adr/0010-predictive-horizon-and-trust-grace.md):
 * models are chosen and judged at the horizon decide reads (the lead time), not 30 minutes out;
 * and a model flagged untrusted keeps being acted on for a short grace (lead + unneeded time) if
 * it was trusted just before, so one surprising minute at a spike does not drop the floor exactly
 * when it is needed. A verdict that lasts longer than the grace falls back to reactive rules.
 */
import { forecastOffGroups } from '../decide/overrides.js';
import type { Config, NodeGroupConfig, ScheduledJobConfig } from '../config/types.js';
import { ScheduledDemand } from '../../forecast/scheduled-jobs.js';
import type { ActiveOverride, GroupForecastView } from '../decide/plan.js';
import type { ForecastInputs, ForecastSource } from '../loop.js';
import { GroupForecaster } from '../../forecast/group-forecaster.js';
import { groupForecasterOptions } from './forecast-options.js';
import type { ForecastWithBands } from '../../forecast/types.js';
import type { ForecasterStatus, GroupForecasterOptions } from '../../forecast/group-forecaster.js';
import type { Fitter } from '../../forecast/worker-fitter.js';
import type { LeadTime } from './lead-time.js';

/** Where demand samples are kept across restarts (the SQLite store, or nothing). */
export interface HistorySink {
  appendHistory(group: string, t: number, value: number): void;
}

export interface ForecastHubOptions {
  /** Per-group changes to the forecaster options derived from the config. */
  readonly forecaster?: (group: NodeGroupConfig) => Partial<GroupForecasterOptions>;
  /**
   * How long a model that was trusted is still acted on after being flagged untrusted. Default:
   * the group's lead + unneeded time (the window decide plans over); 0 turns the grace off.
   */
  readonly trustGraceSeconds?: number;
  /**
   * Runs the groups' refits off the loop's thread (the agent's WorkerFitter). Without one, refits
   * run in-process inside observe/view: the simulator keeps that, which is deterministic.
   */
  readonly fitter?: Fitter;
  /** Told about scheduled jobs found in the cluster that cannot be used (a bad cron). */
  readonly warn?: (message: string) => void;
}

export class ForecastHub implements ForecastSource {
  private readonly forecasters = new Map<string, GroupForecaster>();
  private readonly groups: ReadonlyMap<string, NodeGroupConfig>;
  private readonly queueGroup: ReadonlyMap<string, string>;
  private clusterJobsKey = '[]';
  /** Last time each group's model was trusted (for the grace). */
  private readonly trustedAt = new Map<string, number>();

  constructor(
    private readonly config: Config,
    private readonly lead: LeadTime,
    private readonly sink?: HistorySink,
    private readonly options: ForecastHubOptions = {},
  ) {
    this.groups = new Map(config.nodeGroups.map((g) => [g.name, g]));
    this.queueGroup = new Map(config.queues.map((q) => [q.name, q.executorGroup]));
    for (const g of config.nodeGroups) {
      if (g.role === 'executor' && g.forecast.mode !== 'off')
        this.forecasters.set(
          g.name,
          new GroupForecaster({
            ...groupForecasterOptions(config, g),
            // Select and judge models where decide reads them: at the lead time.
            selectionHorizonSeconds: lead.seconds(g.name),
            ...(options.fitter ? { fitter: options.fitter } : {}),
            ...options.forecaster?.(g),
          }),
        );
    }
  }

  /**
   * Scheduled jobs found in the cluster (ScheduledSparkApplications) join the configured ones as
   * leading indicators. Re-applied only when the list changes; a job with a bad cron is skipped
   * with a warning instead of dropping the others.
   */
  setClusterJobs(jobs: readonly ScheduledJobConfig[], warn: (message: string) => void = () => {}): void {
    const key = JSON.stringify(jobs);
    if (key === this.clusterJobsKey) return;
    this.clusterJobsKey = key;
    for (const [name, f] of this.forecasters) {
      const g = this.groups.get(name)!;
      const mine = [
        ...groupForecasterOptions(this.config, g).scheduledJobs!,
        ...jobs.filter((j) => this.queueGroup.get(j.queue) === name),
      ];
      const valid = mine.filter((job) => {
        try {
          new ScheduledDemand([job], g.shape);
          return true;
        } catch (err) {
          warn(`${(err as Error).message}: ignored`);
          return false;
        }
      });
      f.setScheduledJobs(valid);
    }
  }

  /** Groups that have a forecaster. */
  get groupNames(): readonly string[] {
    return [...this.forecasters.keys()];
  }

  /** Loads stored history (oldest first) into a group's forecaster without re-persisting it. */
  load(group: string, points: Iterable<{ t: number; value: number }>): number {
    return this.forecasters.get(group)?.load(points) ?? 0;
  }

  views(now: number, overrides: readonly ActiveOverride[]): ReadonlyMap<string, GroupForecastView> {
    const off = forecastOffGroups(overrides);
    const out = new Map<string, GroupForecastView>();
    for (const [name, f] of this.forecasters) {
      if (off.has(name)) continue;
      const g = this.groups.get(name)!;
      const lead = this.lead.seconds(name);
      const raw = f.view(now, lead, g.scaleIn.unneededSeconds, g.forecast.quantile);
      if (!raw) continue;
      const view = this.withGrace(g, raw, now);
      const recentError = f.status().recentError;
      out.set(name, recentError === undefined ? view : { ...view, recentError });
    }
    return out;
  }

  /**
   * A model flagged untrusted within the grace of its last trusted view stays acted on, saying
   * why it was flagged (decide puts that in its messages). Never grants trust to a model that was
   * not trusted before.
   */
  private withGrace(g: NodeGroupConfig, view: GroupForecastView, now: number): GroupForecastView {
    if (view.trusted) {
      this.trustedAt.set(g.name, now);
      return view;
    }
    const grace = this.options.trustGraceSeconds ?? view.leadSeconds + g.scaleIn.unneededSeconds;
    const last = this.trustedAt.get(g.name);
    if (last === undefined || now - last > grace * 1000) return view;
    const { untrustedReason, ...rest } = view;
    return {
      ...rest,
      trusted: true,
      graceReason: `${untrustedReason ?? 'untrusted'} (${Math.round((now - last) / 1000)} s of a ${Math.round(grace)} s grace)`,
    };
  }

  /**
   * This tick's observations, before its views: measured scale-out latencies move the lead (and
   * with it the horizon models are next selected at), scheduled jobs found in the cluster join
   * the configured ones, and demand joins the history.
   */
  ingest(now: number, inputs: ForecastInputs): void {
    for (const done of inputs.scaleOuts) this.lead.record(done.group, done.latencySeconds);
    for (const [name, f] of this.forecasters) f.setSelectionHorizon(this.lead.seconds(name));
    if (inputs.scheduledJobs) this.setClusterJobs(inputs.scheduledJobs, this.options.warn);
    this.observe(now, inputs.demandNodes);
  }

  observe(now: number, demandNodes: ReadonlyMap<string, number>): void {
    for (const [name, value] of demandNodes) {
      this.forecasters.get(name)?.observe(now, value);
      if (this.groups.has(name)) this.sink?.appendHistory(name, now, value);
    }
  }

  forecast(group: string, now: number, horizonSteps: number): ForecastWithBands | undefined {
    return this.forecasters.get(group)?.forecast(now, horizonSteps);
  }

  status(group: string, now?: number): ForecasterStatus | undefined {
    return this.forecasters.get(group)?.status(now);
  }
}
