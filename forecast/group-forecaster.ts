/**
 * The per-group forecaster the agent loop and the simulator drive: it keeps the demand history,
 * refits on a schedule (auto selection, spread across ticks by a per-group phase), updates cheaply
 * at every completed step, calibrates bands from its own live errors, and says whether it should
 * be trusted right now. With a fitter (the agent's worker thread) a refit runs off the calling
 * thread and is installed at the first call after it lands, as if it had run in-process when it
 * started; without one (simulator, tests) it runs inside the call.
 */
import type { GroupForecastView } from './view.js';
import { BackgroundFit, type SeededBands } from './background-fit.js';
import { type BandSeeding, seedBands, seedTrust } from './band-seeding.js';
import { type ConformalBands, DEFAULT_QUANTILES } from './conformal.js';
import { SeasonalErrorScale, UNIT_SCALE, type ErrorScale } from './error-scale.js';
import { type FitOutcome, fitBlend } from './fit-job.js';
import {
  type ForecasterStatus,
  type GroupForecasterOptions,
  calibrationWindow,
  trustOptions,
} from './group-options.js';
import { type FitContext, backgroundJob, fitContext } from './refit-context.js';
import { ScheduledDemand, type ScheduledJobSpec } from './scheduled-jobs.js';
import { DAY_MS, DemandHistory } from './series.js';
import { phaseFor } from './refit-schedule.js';
import { TrustMonitor } from './trust.js';
import type { ForecastWithBands, Model, Series } from './types.js';

export type { ForecasterStatus, GroupForecasterOptions } from './group-options.js';

export class GroupForecaster {
  private readonly stepMs: number;
  private readonly horizon: number;
  private selectionHorizon: number;
  /** Set by setSelectionHorizon; takes effect when the next refit starts. */
  private wantedSelectionHorizon: number;
  private readonly history: DemandHistory;
  private jobs: ScheduledDemand;
  private readonly quantiles: readonly number[];
  private readonly phase: number;
  private model?: Model;
  private modelName = 'none';
  private bands?: ConformalBands;
  private trust: TrustMonitor;
  private errorScale: ErrorScale;
  private scaleSeeded = false;
  private scale = NaN;
  /** Last step folded into the model (absolute step index). */
  private fedThrough = Number.NEGATIVE_INFINITY;
  private lastPath?: Float64Array;
  private pending: { origin: number; path: Float64Array }[] = [];
  private lastFitAt?: number;
  private lastAttemptStep = Number.NEGATIVE_INFINITY;
  private refitError?: string;
  private fits = 0;
  /** A refit running on opts.fitter (the agent's worker thread). */
  private readonly background = new BackgroundFit<FitContext>();

  constructor(readonly opts: GroupForecasterOptions) {
    this.stepMs = opts.stepSeconds * 1000;
    this.horizon = Math.max(1, Math.ceil(((opts.maxHorizonSeconds ?? 3600) * 1000) / this.stepMs));
    this.selectionHorizon = this.horizonSteps(opts.selectionHorizonSeconds ?? 1800);
    this.wantedSelectionHorizon = this.selectionHorizon;
    this.history = new DemandHistory({
      stepMs: this.stepMs,
      retentionMs: (opts.retentionDays ?? 35) * DAY_MS,
    });
    this.jobs = new ScheduledDemand(
      opts.scheduledJobs ?? [],
      opts.shape ?? { cpu: 1, memoryBytes: 1, pods: 1 },
    );
    this.quantiles = [...new Set([...DEFAULT_QUANTILES, ...(opts.quantiles ?? [])])];
    this.phase = opts.refitPhaseMs ?? phaseFor(opts.group, opts.refitSeconds * 1000);
    this.trust = new TrustMonitor(trustOptions(opts.maxTrustedError, this.stepMs, this.selectionHorizon));
    this.errorScale = this.newScale();
  }

  /**
   * Replaces the known scheduled jobs (config plus ScheduledSparkApplications found in the cluster).
   * Throws ScheduledJobError naming a bad job; the previous list stays in force then.
   */
  setScheduledJobs(jobs: readonly ScheduledJobSpec[]): void {
    this.jobs = new ScheduledDemand(jobs, this.opts.shape ?? { cpu: 1, memoryBytes: 1, pods: 1 });
  }

  /**
   * Moves the horizon models are chosen and judged at (the agent passes its measured lead time).
   * It takes effect when the next refit starts: models are only ever chosen at a refit, and the
   * trust errors measured at the old horizon are dropped with it.
   */
  setSelectionHorizon(seconds: number): void {
    if (Number.isFinite(seconds) && seconds > 0) this.wantedSelectionHorizon = this.horizonSteps(seconds);
  }

  private horizonSteps(seconds: number): number {
    return Math.min(this.horizon, Math.max(1, Math.ceil((seconds * 1000) / this.stepMs)));
  }

  /** Records the group's demand (nodes) at time t; cheap unless a refit is due. */
  observe(t: number, demandNodes: number): void {
    this.history.append(t, demandNodes);
    this.sync(t);
  }

  /**
   * Loads stored history (at start) in one go: samples are appended without folding or refitting
   * step by step, then the model is fitted once on all of it, as if it had been running.
   */
  load(points: Iterable<{ t: number; value: number }>): number {
    let n = 0;
    let last = Number.NEGATIVE_INFINITY;
    for (const p of points) {
      this.history.append(p.t, p.value);
      last = Math.max(last, p.t);
      n++;
    }
    if (n > 0) this.sync(last + this.stepMs);
    return n;
  }

  /**
   * Loads history in bulk (start-up backfill from the store or Prometheus): values go straight
   * into the history and the model is refit at the next observe / view.
   */
  backfill(history: Series): void {
    for (let i = 0; i < history.values.length; i++)
      this.history.append(history.start + i * history.stepMs, history.values[i]!);
    this.model = undefined;
    this.bands = undefined;
    this.lastPath = undefined;
    this.pending = [];
    this.lastFitAt = undefined;
    this.lastAttemptStep = Number.NEGATIVE_INFINITY;
    this.errorScale = this.newScale();
    this.scaleSeeded = false;
    // A fit running on the old history would install a model of it: drop its outcome.
    this.background.discard();
  }

  status(now?: number): ForecasterStatus {
    if (now !== undefined) this.sync(now);
    else this.installBackgroundFit();
    const historySeconds = (this.history.observedSteps * this.stepMs) / 1000;
    const verdict = this.model
      ? this.trust.verdict()
      : { trusted: false, reason: this.noModelReason(historySeconds) };
    return {
      ...verdict,
      model: this.modelName,
      ...(this.trust.recentError !== undefined ? { recentError: this.trust.recentError } : {}),
      historySeconds,
      selectionHorizonSeconds: (this.selectionHorizon * this.stepMs) / 1000,
      ...(this.lastFitAt !== undefined ? { lastFitAt: this.lastFitAt } : {}),
      fits: this.fits,
    };
  }

  /** Bands for the `horizonSteps` steps after the last completed step; undefined without a model. */
  forecast(now: number, horizonSteps = this.horizon): ForecastWithBands | undefined {
    this.sync(now);
    return this.bandsFor(now, horizonSteps, this.quantiles);
  }

  /**
   * What the predictive policy reads: demand at now + lead at `quantile` (the floor: capacity
   * ready for what may come), and the highest median demand over (now, now + lead + hold], hold
   * being the scale-in unneeded time (the hold: idle nodes are kept when demand is expected back,
   * not merely possible; docs/adr/0011). Demand values are rounded up to whole nodes; requests
   * past the longest horizon are clamped to it.
   */
  view(
    now: number,
    leadSeconds: number,
    holdSeconds: number,
    quantile: number,
  ): GroupForecastView | undefined {
    this.sync(now);
    const firstStepAt = (this.fedThrough + 1) * this.stepMs;
    const index = (t: number): number =>
      Math.min(this.horizon - 1, Math.max(0, Math.floor((t - firstStepAt) / this.stepMs)));
    const leadIdx = index(now + leadSeconds * 1000);
    const holdIdx = index(now + (leadSeconds + holdSeconds) * 1000);
    // Bands only up to the hold window: each step costs an error-scale lookup, every tick.
    const f = this.bandsFor(now, holdIdx + 1, [...new Set([quantile, HOLD_QUANTILE])]);
    if (!f) return undefined;
    const q = f.quantiles.get(quantile)!;
    let maxHold = 0;
    const hq = f.quantiles.get(HOLD_QUANTILE)!;
    for (let i = index(now); i <= holdIdx; i++) maxHold = Math.max(maxHold, hq[i]!);
    const status = this.trust.verdict();
    return {
      group: this.opts.group,
      model: this.modelName,
      trusted: status.trusted,
      ...(status.reason !== undefined ? { untrustedReason: status.reason } : {}),
      demandAtLead: wholeNodes(q[leadIdx]!),
      pointAtLead: f.point[leadIdx]!,
      maxDemandWithinHold: wholeNodes(maxHold),
      leadSeconds,
    };
  }

  private bandsFor(
    now: number,
    horizonSteps: number,
    levels: readonly number[],
  ): ForecastWithBands | undefined {
    const bands = this.bands;
    if (!this.model || !bands || !this.lastPath) return undefined;
    const steps = Math.max(1, Math.min(horizonSteps, this.horizon));
    const point = this.lastPath.slice(0, steps);
    const extra = this.jobs.demandPath(now, (this.fedThrough + 1) * this.stepMs, this.stepMs, steps);
    // Bands above the median hold room for scheduled jobs growing to their maxExecutors.
    const upper = this.jobs.demandPath(now, (this.fedThrough + 1) * this.stepMs, this.stepMs, steps, 'upper');
    const quantiles = new Map<number, Float64Array>();
    const firstAt = (this.fedThrough + 1) * this.stepMs;
    const scales = point.map((_, i) => this.errorScale.at(firstAt + i * this.stepMs));
    for (const q of levels) {
      const jobs = q > 0.5 ? upper : extra;
      quantiles.set(
        q,
        point.map((p, i) => Math.max(0, p + (bands.errorQuantile(i + 1, q, scales[i]) ?? 0) + jobs[i]!)),
      );
    }
    return { point: point.map((p, i) => Math.max(0, p + extra[i]!)), quantiles, model: this.modelName };
  }

  /** Folds completed steps into the model and refits when due. */
  private sync(now: number): void {
    if (this.history.newestStep === undefined) return;
    // A landed background fit goes in first; the loop below then folds the steps since it started.
    this.installBackgroundFit();
    // Steps before the current one are complete; one never observed reaches the model as NaN.
    const lastComplete = this.history.stepOf(now) - 1;
    if (this.model) for (let k = this.fedThrough + 1; k <= lastComplete; k++) this.fold(k);
    if (
      !this.background.busy &&
      lastComplete > this.lastAttemptStep &&
      this.refitDue(now) &&
      (this.opts.fitBudget?.tryAcquire(now) ?? true)
    ) {
      this.lastAttemptStep = lastComplete;
      this.applySelectionHorizon();
      try {
        const context = fitContext(this.history, now, lastComplete, {
          ...this.opts,
          stepMs: this.stepMs,
          selectionHorizon: this.selectionHorizon,
          horizon: this.horizon,
        });
        if (context && this.opts.fitter) {
          const job = backgroundJob(context, this.bandSeeding(), {
            trust: this.trust,
            errorScale: this.errorScale,
            folding: this.model !== undefined,
          });
          return this.background.start(this.opts.fitter, job.request, job.context);
        }
        if (context) this.install(context, { fit: fitBlend(context.request) });
        this.refitError = undefined;
      } catch (err) {
        this.fitFailed(now, (err as Error).message);
      }
    }
  }

  private applySelectionHorizon(): void {
    if (this.wantedSelectionHorizon === this.selectionHorizon) return;
    this.selectionHorizon = this.wantedSelectionHorizon;
    this.trust = new TrustMonitor(
      trustOptions(this.opts.maxTrustedError, this.stepMs, this.selectionHorizon),
    );
  }

  /** A failed fit keeps the previous model (if any); the control loop must not crash. */
  private fitFailed(now: number, message: string): void {
    this.refitError = `refit failed: ${message}`;
    this.lastFitAt = now;
  }

  /** Installs a background fit that has landed, exactly as an in-process refit would have. */
  private installBackgroundFit(): void {
    const landed = this.background.take();
    if (!landed) return;
    const { context } = landed;
    if ('error' in landed) return this.fitFailed(context.now, landed.error);
    if (context.trust) this.trust = context.trust;
    if (context.errorScale) this.errorScale = context.errorScale;
    this.install(context, landed);
    this.refitError = undefined;
  }

  private fold(step: number): void {
    const actual = this.history.at(step);
    if (Number.isFinite(actual)) {
      const t = step * this.stepMs;
      const scale = this.errorScale.at(t);
      let horizonError = NaN;
      for (const p of this.pending) {
        const h = step - p.origin;
        if (h < 1 || h > p.path.length) continue;
        this.bands!.record(h, actual - p.path[h - 1]!, scale);
        if (h === 1) this.trust.recordOneStep(actual - p.path[0]!);
        if (h === this.selectionHorizon) {
          horizonError = actual - p.path[h - 1]!;
          this.trust.recordHorizon({
            actual,
            forecast: p.path[h - 1]!,
            lowerError: this.bands!.errorQuantile(h, 0.1, scale) ?? Number.NEGATIVE_INFINITY,
            upperError: this.bands!.errorQuantile(h, 0.9, scale) ?? Number.POSITIVE_INFINITY,
          });
        }
      }
      // After the bands read the scale: this error must not size its own band.
      this.errorScale.observe(t, horizonError);
    }
    this.pending = this.pending.filter((p) => step - p.origin < this.horizon);
    this.model!.update(actual);
    this.fedThrough = step;
    this.lastPath = this.model!.forecast(this.horizon).point;
    this.pending.push({ origin: step, path: this.lastPath });
  }

  private refitDue(now: number): boolean {
    if (this.lastFitAt === undefined) return true;
    const period = this.opts.refitSeconds * 1000;
    return Math.floor((now - this.phase) / period) > Math.floor((this.lastFitAt - this.phase) / period);
  }

  /** Puts a fitted model in service as of `lastComplete`, bands and trust seeded from its validation. */
  private install(
    context: FitContext,
    { fit, bands: seeded }: { readonly fit: FitOutcome; readonly bands?: SeededBands },
  ): void {
    const { now, lastComplete } = context;
    this.model = fit.model;
    this.modelName = fit.modelName;
    this.scale = context.scale;
    this.trust.resetErrors(this.scale);
    if (seeded) {
      this.bands = seeded.bands;
      if (seeded.errorScale) this.errorScale = seeded.errorScale;
    } else {
      this.bands = seedBands(fit.errors, context.request.history, this.errorScale, this.bandSeeding());
    }
    seedTrust(this.trust, fit.errors, this.selectionHorizon);
    this.scaleSeeded = true;
    this.fedThrough = lastComplete;
    this.lastPath = this.model.forecast(this.horizon).point;
    this.pending = [{ origin: lastComplete, path: this.lastPath }];
    this.lastFitAt = now;
    this.fits++;
  }

  private bandSeeding(): BandSeeding {
    return {
      options: {
        horizonSteps: this.horizon,
        window: calibrationWindow(this.stepMs),
        quantiles: this.quantiles,
      },
      selectionHorizon: this.selectionHorizon,
      seedScale: !this.scaleSeeded,
    };
  }

  /** Seasonal (time-of-day) error scale unless turned off: see forecast/error-scale.ts. */
  private newScale(): ErrorScale {
    return this.opts.bandScale === 'none' ? UNIT_SCALE : new SeasonalErrorScale({ stepMs: this.stepMs });
  }

  private noModelReason(historySeconds: number): string {
    const need = this.opts.minHistorySeconds ?? 86_400;
    if (historySeconds < need) {
      return `insufficient history: ${(historySeconds / 3600).toFixed(1)} h of the ${(need / 3600).toFixed(1)} h needed`;
    }
    if (this.background.busy) return 'first model being fitted';
    return this.refitError ?? 'no model fitted yet';
  }
}

/** The level the scale-in hold reads: expected demand, not the upper band (docs/adr/0011). */
export const HOLD_QUANTILE = 0.5;

/** Whole nodes, ignoring float noise just above an integer. */
function wholeNodes(x: number): number {
  return Math.max(0, Math.ceil(x - 1e-6));
}
