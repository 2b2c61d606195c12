/**
 * One series, every requested model, the same rolling-origin backtest: what the `backtest` command
 * prints and the forecast benchmark records.
 */
import { backtest, defaultWarmup, horizonToSteps } from './backtest.js';
import { AUTO, BASELINE_NAMES, MODEL_NAMES, createModel, minHistoryMs } from './catalog.js';
import { seasonalNaiveScale } from './metrics.js';
import { DAY_MS, observedCount } from './series.js';
import type { Series } from './types.js';

export interface ModelScore {
  readonly name: string;
  readonly mase: number;
  readonly smape: number;
  readonly coverageP90: number;
  readonly seconds: number;
  /** For auto: how often each model or blend was chosen at a refit. */
  readonly choices?: Readonly<Record<string, number>>;
  /** Set when the model could not run (too little history before the first origin). */
  readonly skipped?: string;
  /** With `keepForecasts`: the scored forecasts at the horizon, thinned to at most MAX_KEPT. */
  readonly forecasts?: KeptForecasts;
}

export interface KeptForecasts {
  /** Epoch ms each forecast is for. */
  readonly t: number[];
  readonly point: number[];
  readonly upperP90: number[];
}

/** Forecasts kept per model for a report: enough for a chart, small enough for a page. */
export const MAX_KEPT = 4000;

function keeper(expected: number): { add: (t: number, p: number, u: number) => void; kept: KeptForecasts } {
  const every = Math.max(1, Math.ceil(expected / MAX_KEPT));
  const kept: KeptForecasts = { t: [], point: [], upperP90: [] };
  let i = 0;
  return {
    kept,
    add: (t, p, u) => {
      if (i++ % every !== 0) return;
      kept.t.push(t);
      kept.point.push(p);
      kept.upperP90.push(u);
    },
  };
}

export interface SeriesEvaluation {
  readonly stepMs: number;
  readonly days: number;
  readonly missingSteps: number;
  readonly horizonSteps: number;
  readonly warmupSteps: number;
  readonly points: number;
  readonly models: readonly ModelScore[];
  /** Lowest MASE among the models run. */
  readonly best: string;
  /** Lowest-MASE baseline (persistence, seasonal naives), when any ran. */
  readonly bestBaseline?: string;
}

export interface EvaluateOptions {
  readonly horizonMs: number;
  readonly models?: readonly string[];
  /** Model index, model name, fraction of that model done. */
  readonly onProgress?: (index: number, name: string, fraction: number) => void;
  /** Keep each model's scored forecasts (ModelScore.forecasts) for a report. */
  readonly keepForecasts?: boolean;
}

/** Throws RangeError naming the valid models when one is unknown. */
export function checkModelNames(names: readonly string[]): void {
  const unknown = names.filter((n) => !MODEL_NAMES.includes(n));
  if (unknown.length > 0) {
    throw new RangeError(
      `unknown model${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; valid models: ${MODEL_NAMES.join(', ')}`,
    );
  }
}

export function evaluateSeries(series: Series, opts: EvaluateOptions): SeriesEvaluation {
  const names = opts.models ?? MODEL_NAMES;
  checkModelNames(names);
  const h = horizonToSteps(opts.horizonMs, series.stepMs);
  const warm = defaultWarmup(series);
  if (series.values.length < warm + h + 2 || observedCount(series.values.subarray(0, warm)) < 2) {
    throw new RangeError(
      `series too short to backtest: ${series.values.length} steps, need more than ${warm + h + 2}`,
    );
  }
  const scale = seasonalNaiveScale(series.values, series.stepMs, warm);
  let points = 0;
  const models = names.map((name, index): ModelScore => {
    const needMs = minHistoryMs(name);
    if (needMs > warm * series.stepMs) {
      return {
        name,
        mase: NaN,
        smape: NaN,
        coverageP90: NaN,
        seconds: 0,
        skipped: `needs ${(needMs / DAY_MS).toFixed(0)} days of history before the first origin`,
      };
    }
    const keep = opts.keepForecasts ? keeper(series.values.length - warm) : undefined;
    const r = backtest(series, () => createModel(name, h), {
      horizonSteps: h,
      warmupSteps: warm,
      scale,
      onProgress: (f) => opts.onProgress?.(index, name, f),
      ...(keep ? { onScored: keep.add } : {}),
    });
    points = r.points;
    return {
      name,
      mase: r.mase,
      smape: r.smape,
      coverageP90: r.coverageP90,
      seconds: r.seconds,
      ...(r.choices ? { choices: r.choices } : {}),
      ...(keep ? { forecasts: keep.kept } : {}),
    };
  });
  const ran = models.filter((m) => m.skipped === undefined && Number.isFinite(m.mase));
  const byMase = (a: ModelScore, b: ModelScore): number => a.mase - b.mase;
  const baselines = ran.filter((m) => BASELINE_NAMES.includes(m.name)).sort(byMase);
  return {
    stepMs: series.stepMs,
    days: (series.values.length * series.stepMs) / DAY_MS,
    missingSteps: series.values.length - observedCount(series.values),
    horizonSteps: h,
    warmupSteps: warm,
    points,
    models,
    best: [...ran].sort(byMase)[0]?.name ?? '',
    ...(baselines.length > 0 ? { bestBaseline: baselines[0]!.name } : {}),
  };
}

/** The verdicts the benchmark records for a series: auto against the baselines, and its coverage. */
export function autoVerdict(
  e: SeriesEvaluation,
): { beatsBaselines: boolean; coverageOk: boolean } | undefined {
  const auto = e.models.find((m) => m.name === AUTO);
  const base = e.models.find((m) => m.name === e.bestBaseline);
  if (!auto || auto.skipped !== undefined || !base) return undefined;
  return {
    beatsBaselines: auto.mase < base.mase,
    coverageOk: auto.coverageP90 >= 0.85 && auto.coverageP90 <= 0.95,
  };
}
