/**
 * Rolling-origin evaluation: the model is fit on the history up to an origin, forecasts, then
 * sees one more value (a cheap update) and forecasts again; every `refitEverySteps` it is refit on
 * everything so far. Bands come from the model's own errors observed so far (no look-ahead), and
 * only forecasts after a burn-in are scored, so every model is scored on the same points.
 */
import { ConformalBands } from './conformal.js';
import { fillValues } from './gaps.js';
import { mase, seasonalNaiveScale, smapeTerm } from './metrics.js';
import { DAY_MS, makeSeries } from './series.js';
import type { Model, Series } from './types.js';

export interface BacktestOptions {
  /** The horizon scored, in steps (the forecast for origin + horizonSteps). */
  readonly horizonSteps: number;
  /** Index of the first origin: values before it are the first training set. */
  readonly warmupSteps: number;
  /** Steps after warmup whose errors only calibrate the bands (default one day). */
  readonly burnInSteps?: number;
  /** Refit cadence (default one day; Infinity fits once). */
  readonly refitEverySteps?: number;
  /** Forecast every k-th origin (default every step). */
  readonly forecastEverySteps?: number;
  /** Fit on at most this many of the newest values (default 35 days). */
  readonly maxTrainSteps?: number;
  /** Errors kept per horizon step for the bands (default max(200, two days)). */
  readonly calibrationWindow?: number;
  /** MASE scale; default the one-day seasonal naive's MAE over values before warmup. */
  readonly scale?: number;
  /** Called after each origin with the fraction done (progress bars). */
  readonly onProgress?: (fraction: number) => void;
  /** Each scored forecast: the time it is for, the point and the p90 band's upper edge (reports). */
  readonly onScored?: (t: number, point: number, upperP90: number) => void;
}

export interface BacktestResult {
  readonly model: string;
  readonly mase: number;
  /** Percent. */
  readonly smape: number;
  /** Fraction of scored actuals at or below the p90 band. */
  readonly coverageP90: number;
  /** Fit + update + forecast time. */
  readonly seconds: number;
  /** Scored forecasts. */
  readonly points: number;
  readonly scale: number;
  /** For models that choose (auto): how often each choice was made at a fit. */
  readonly choices?: Readonly<Record<string, number>>;
}

/** Models that pick among others report their current pick here. */
interface Choosing {
  readonly chosen?: string;
}

interface Pending {
  readonly origin: number;
  readonly path: Float64Array;
}

export function backtest(series: Series, create: () => Model, opts: BacktestOptions): BacktestResult {
  const raw = series.values;
  const step = series.stepMs;
  const n = raw.length;
  const h = opts.horizonSteps;
  const warm = opts.warmupSteps;
  const burn = opts.burnInSteps ?? Math.round(DAY_MS / step);
  const refit = opts.refitEverySteps ?? Math.round(DAY_MS / step);
  const every = Math.max(1, opts.forecastEverySteps ?? 1);
  const maxTrain = opts.maxTrainSteps ?? Math.round((35 * DAY_MS) / step);
  const scale = opts.scale ?? seasonalNaiveScale(raw, step, warm);
  const bands = new ConformalBands({
    horizonSteps: h,
    window: opts.calibrationWindow ?? Math.max(200, Math.round((2 * DAY_MS) / step)),
  });
  const model = create();
  const choices: Record<string, number> = {};
  let pending: Pending[] = [];
  let seconds = 0;
  let absSum = 0;
  let smapeSum = 0;
  let covered = 0;
  let scored = 0;

  for (let i = warm; i < n; i++) {
    if (i > warm && Number.isFinite(raw[i - 1]!)) {
      for (const p of pending) bands.record(i - p.origin, raw[i - 1]! - p.path[i - 1 - p.origin]!);
    }
    pending = pending.filter((p) => p.origin + h > i);
    const t0 = performance.now();
    if ((i - warm) % refit === 0) {
      const from = Math.max(0, i - maxTrain);
      model.fit(makeSeries(series.start + from * step, step, fillValues(raw.subarray(from, i), step)));
      const chosen = (model as Choosing).chosen;
      if (chosen !== undefined) choices[chosen] = (choices[chosen] ?? 0) + 1;
    } else {
      // Missing actuals reach the model as NaN: it imputes them itself, as it would live.
      model.update(raw[i - 1]!);
    }
    if ((i - warm) % every !== 0) {
      seconds += (performance.now() - t0) / 1000;
      continue;
    }
    const path = model.forecast(h).point;
    seconds += (performance.now() - t0) / 1000;
    pending.push({ origin: i, path });
    const target = i + h - 1;
    const actual = target < n ? raw[target]! : NaN;
    const upper = bands.errorQuantile(h, 0.9);
    if (i >= warm + burn && Number.isFinite(actual) && upper !== undefined) {
      const f = path[h - 1]!;
      absSum += Math.abs(actual - f);
      smapeSum += smapeTerm(actual, f);
      if (actual <= f + upper) covered++;
      scored++;
      opts.onScored?.(series.start + target * step, f, f + upper);
    }
    opts.onProgress?.((i - warm + 1) / (n - warm));
  }
  return {
    model: model.name,
    mase: scored > 0 ? mase(absSum / scored, scale) : NaN,
    smape: scored > 0 ? smapeSum / scored : NaN,
    coverageP90: scored > 0 ? covered / scored : NaN,
    seconds,
    points: scored,
    scale,
    ...(Object.keys(choices).length > 0 ? { choices } : {}),
  };
}

/** The horizon in steps for a duration: at least one step. */
export function horizonToSteps(horizonMs: number, stepMs: number): number {
  return Math.max(1, Math.ceil(horizonMs / stepMs - 1e-9));
}

/**
 * Default evaluation layout for a whole series: the first origin after half the series, at least
 * two days and at most two weeks in, so weekly models have a week of history on long series.
 */
export function defaultWarmup(series: Series): number {
  const n = series.values.length;
  const day = Math.round(DAY_MS / series.stepMs);
  return Math.min(14 * day, Math.max(2 * day, Math.floor(n / 2)));
}
