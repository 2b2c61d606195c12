/**
 * A GroupForecaster refit apart from the forecaster's state: what it fits on, fixed when it
 * starts, so a fit that ran in the background installs as if it had run then.
 */
import type { BandSeeding } from './band-seeding.js';
import { type ErrorScale, SeasonalErrorScale } from './error-scale.js';
import type { FitRequest } from './fit-job.js';
import { fillGaps } from './gaps.js';
import { seasonalNaiveScale } from './metrics.js';
import { copyState, objectState } from './model-state.js';
import { AUTO_CANDIDATES } from './select.js';
import { DAY_MS, type DemandHistory, observedCount } from './series.js';
import type { TrustMonitor } from './trust.js';

export interface FitContext {
  readonly now: number;
  readonly lastComplete: number;
  readonly request: FitRequest;
  /** MASE scale of the raw (unfilled) window. */
  readonly scale: number;
  /** Calibration state when the fit started, restored when it is installed after more steps. */
  readonly trust?: TrustMonitor;
  readonly errorScale?: ErrorScale;
}

export interface RefitSettings {
  readonly stepMs: number;
  readonly selectionHorizon: number;
  readonly horizon: number;
  readonly fitWindowDays?: number;
  readonly minHistorySeconds?: number;
  readonly candidates?: readonly string[];
  readonly medianExtras?: readonly string[];
}

/** What a refit at lastComplete fits on; undefined while there is too little history. */
export function fitContext(
  history: DemandHistory,
  now: number,
  lastComplete: number,
  s: RefitSettings,
): FitContext | undefined {
  const fitSteps = Math.round(((s.fitWindowDays ?? 28) * DAY_MS) / s.stepMs);
  const raw = history.toSeries(lastComplete - fitSteps + 1, lastComplete);
  if ((observedCount(raw.values) * s.stepMs) / 1000 < (s.minHistorySeconds ?? 86_400)) return undefined;
  const request: FitRequest = {
    history: fillGaps(raw),
    horizonSteps: s.selectionHorizon,
    pathSteps: s.horizon,
    candidates: s.candidates ?? AUTO_CANDIDATES,
    ...(s.medianExtras ? { medianExtras: s.medianExtras } : {}),
    tuneHorizonSteps: s.selectionHorizon,
  };
  // Under two days the scale falls back to the naive at the trust horizon: a one-step scale
  // would inflate the horizon error ~5-15x and keep a good model untrusted for its whole 2nd day.
  const scale = seasonalNaiveScale(raw.values, s.stepMs, raw.values.length, s.selectionHorizon);
  return { now, lastComplete, request, scale };
}

/**
 * A refit for a fitter (the worker): the request also seeds the bands, reading a copy of the error
 * scale as it is now. When a previous model keeps folding steps while the fit runs, those folds
 * change the trust monitor and error scale: the context keeps copies of both as they are now, and
 * installing rolls back to them, as if the fit had been instant.
 */
export function backgroundJob(
  context: FitContext,
  seeding: BandSeeding,
  live: { readonly trust: TrustMonitor; readonly errorScale: ErrorScale; readonly folding: boolean },
): { readonly request: FitRequest; readonly context: FitContext } {
  const scale = live.errorScale instanceof SeasonalErrorScale ? live.errorScale : undefined;
  const bands = { ...seeding, ...(scale ? { errorScale: objectState(copyState(scale)) } : {}) };
  return {
    request: { ...context.request, bands },
    context: live.folding
      ? { ...context, trust: copyState(live.trust), errorScale: copyState(live.errorScale) }
      : context,
  };
}
