/** A seasonal profile: the typical value at each slot of a day or week, smoothed across slots. */
import { mod } from './common.js';

/**
 * Mean of each slot over the last `cycles` full or partial cycles of `values` (gap-free),
 * indexed by absolute step mod period, then smoothed with a circular moving average of
 * 2 * halfWindow + 1 slots. Slots never seen take the overall mean.
 */
export function seasonalProfile(
  values: ArrayLike<number>,
  startStep: number,
  period: number,
  cycles: number,
  halfWindow: number,
  robust = false,
): Float64Array {
  if (robust) return smoothCircular(medianProfile(values, startStep, period, cycles), halfWindow);
  const sum = new Float64Array(period);
  const count = new Float64Array(period);
  const from = Math.max(0, values.length - cycles * period);
  let total = 0;
  for (let i = from; i < values.length; i++) {
    const slot = mod(startStep + i, period);
    sum[slot]! += values[i]!;
    count[slot]! += 1;
    total += values[i]!;
  }
  const mean = values.length > from ? total / (values.length - from) : 0;
  const raw = sum.map((s, k) => (count[k]! > 0 ? s / count[k]! : mean));
  return smoothCircular(raw, halfWindow);
}

export function smoothCircular(values: Float64Array, halfWindow: number): Float64Array {
  const n = values.length;
  const w = Math.min(halfWindow, Math.floor((n - 1) / 2));
  if (w <= 0) return values;
  const out = new Float64Array(n);
  let acc = 0;
  for (let k = -w; k <= w; k++) acc += values[mod(k, n)]!;
  for (let i = 0; i < n; i++) {
    out[i] = acc / (2 * w + 1);
    acc += values[mod(i + w + 1, n)]! - values[mod(i - w, n)]!;
  }
  return out;
}

/** Median of each slot over the last `cycles` cycles: holidays and outliers do not bend it. */
function medianProfile(
  values: ArrayLike<number>,
  startStep: number,
  period: number,
  cycles: number,
): Float64Array {
  const from = Math.max(0, values.length - cycles * period);
  const out = new Float64Array(period);
  const bucket: number[] = [];
  for (let slot = 0; slot < period; slot++) {
    bucket.length = 0;
    // First index >= from whose absolute step falls in this slot.
    for (let i = from + mod(slot - startStep - from, period); i < values.length; i += period)
      bucket.push(values[i]!);
    bucket.sort((a, b) => a - b);
    const m = bucket.length;
    out[slot] =
      m === 0 ? NaN : m % 2 === 1 ? bucket[(m - 1) / 2]! : (bucket[m / 2 - 1]! + bucket[m / 2]!) / 2;
  }
  const seen = out.filter((x) => !Number.isNaN(x));
  const fill = seen.length > 0 ? seen.reduce((a, b) => a + b, 0) / seen.length : 0;
  return out.map((x) => (Number.isNaN(x) ? fill : x));
}
