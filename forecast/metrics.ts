/** Forecast accuracy measures, all skipping missing actuals. */
import { DAY_MS, periodSteps } from './series.js';

/**
 * The MASE denominator: in-sample mean absolute error of the one-day seasonal naive forecast over
 * values[0, end). With less than two days there is no daily lag to compare; `fallbackLag` (default
 * one step) is used instead: a caller that judges errors h steps ahead passes h, so the benchmark
 * is the naive forecast at that same horizon rather than one step ahead.
 */
export function seasonalNaiveScale(
  values: Float64Array,
  stepMs: number,
  end = values.length,
  fallbackLag = 1,
): number {
  const day = periodSteps(stepMs, DAY_MS);
  const lag = day >= 1 && end >= 2 * day ? day : fallbackLag;
  let sum = 0;
  let n = 0;
  for (let i = lag; i < end; i++) {
    const d = values[i]! - values[i - lag]!;
    if (Number.isFinite(d)) {
      sum += Math.abs(d);
      n++;
    }
  }
  return n > 0 ? sum / n : NaN;
}

/** One sMAPE term in percent (0 when both are 0). */
export function smapeTerm(actual: number, forecast: number): number {
  const denom = Math.abs(actual) + Math.abs(forecast);
  return denom === 0 ? 0 : (200 * Math.abs(actual - forecast)) / denom;
}

/** MASE with a guard for a perfectly flat in-sample history. */
export function mase(meanAbsError: number, scale: number): number {
  if (!(scale > 0)) return meanAbsError === 0 ? 0 : Number.POSITIVE_INFINITY;
  return meanAbsError / scale;
}
