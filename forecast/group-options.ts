/** Options and status of a GroupForecaster (the agent maps its Config onto them: agent/runtime/forecast-options.ts). */
import type { Fitter } from './fit-job.js';
import type { FitBudget } from './refit-schedule.js';
import type { JobNodeShape, ScheduledJobSpec } from './scheduled-jobs.js';

export interface GroupForecasterOptions {
  readonly group: string;
  readonly stepSeconds: number;
  readonly refitSeconds: number;
  /** Untrusted while the recent out-of-sample MASE is above this. */
  readonly maxTrustedError: number;
  /** Longest horizon served (lead + hold must fit; longer requests are clamped). Default 1 h. */
  readonly maxHorizonSeconds?: number;
  /** Horizon the automatic choice and the trust error are measured at. Default 30 min. */
  readonly selectionHorizonSeconds?: number;
  /** No forecast before this much history. Default one day. */
  readonly minHistorySeconds?: number;
  readonly retentionDays?: number;
  /** Fit on at most this much history. Default 28 days. */
  readonly fitWindowDays?: number;
  /** Candidates for the automatic choice (default AUTO_CANDIDATES). */
  readonly candidates?: readonly string[];
  /** Extra members of the median blend (default MEDIAN_EXTRAS; [] turns the median off). */
  readonly medianExtras?: readonly string[];
  /** Extra quantile levels to calibrate adaptively (the group's configured quantile). */
  readonly quantiles?: readonly number[];
  /** Group node shape and scheduled jobs, for leading-indicator demand. */
  readonly shape?: JobNodeShape;
  readonly scheduledJobs?: readonly ScheduledJobSpec[];
  /**
   * How band widths vary in time: 'seasonal' (default) scales errors by their size at the same
   * time on past days (forecast/error-scale.ts); 'none' keeps one distribution for all times.
   */
  readonly bandScale?: 'seasonal' | 'none';
  /** Offset of this group's refit schedule; default derived from the group name. */
  readonly refitPhaseMs?: number;
  /** Shared by a loop's forecasters to cap fits per tick (start-up would otherwise fit all at once). */
  readonly fitBudget?: FitBudget;
  /**
   * Runs refits off the calling thread (the agent's WorkerFitter): the forecaster starts a fit
   * when due, keeps serving its previous model meanwhile, and installs the result at its next
   * call. Without one, refits run in-process inside the call (simulator, tests: deterministic).
   */
  readonly fitter?: Fitter;
}

export interface ForecasterStatus {
  readonly trusted: boolean;
  readonly reason?: string;
  /** Chosen model ('none' before the first fit). */
  readonly model: string;
  /** Recent out-of-sample MASE at the selection horizon (undefined until measured). */
  readonly recentError?: number;
  readonly historySeconds: number;
  /** Horizon the current model was chosen at and trust is judged at. */
  readonly selectionHorizonSeconds: number;
  readonly lastFitAt?: number;
  readonly fits: number;
}

/** The trust monitor's windows, from the step and the horizon trust is judged at. */
export function trustOptions(maxTrustedError: number, stepMs: number, selectionHorizon: number) {
  return {
    maxTrustedError,
    recentSteps: Math.max(30, Math.round((6 * 3_600_000) / stepMs)),
    changepointRecentSteps: Math.max(12, 2 * selectionHorizon),
    changepointEverySteps: 3,
    changepointWindow: Math.max(60, 4 * selectionHorizon),
    // An adaptive model misses for about one horizon after a shift: look at that many outcomes.
    bandExitWindow: Math.min(15, Math.max(6, selectionHorizon)),
  };
}

/** Errors kept per horizon step: half a day, at least 200. */
export function calibrationWindow(stepMs: number): number {
  return Math.max(200, Math.round((12 * 3_600_000) / stepMs));
}
