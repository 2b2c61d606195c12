/**
 * Models need gap-free input. Short gaps are bridged linearly; long ones borrow the shape of the
 * same time one day (or week) earlier, shifted so the fill meets the values on both sides.
 */
import { DAY_MS, HOUR_MS, WEEK_MS, makeSeries, periodSteps } from './series.js';
import type { Series } from './types.js';

export interface FillOptions {
  /** Gaps up to this long are interpolated linearly (default 1 hour). */
  readonly maxLinearGapMs?: number;
}

export function fillGaps(series: Series, opts: FillOptions = {}): Series {
  return makeSeries(series.start, series.stepMs, fillValues(series.values, series.stepMs, opts));
}

export function fillValues(values: Float64Array, stepMs: number, opts: FillOptions = {}): Float64Array {
  const out = Float64Array.from(values);
  const n = out.length;
  const maxLinear = Math.max(1, Math.round((opts.maxLinearGapMs ?? HOUR_MS) / stepMs));
  const seasons = [periodSteps(stepMs, DAY_MS), periodSteps(stepMs, WEEK_MS)].filter((p) => p >= 2);
  let i = 0;
  while (i < n) {
    if (!Number.isNaN(out[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && Number.isNaN(out[j]!)) j++;
    fillRun(out, values, i, j, { maxLinear, seasons });
    i = j;
  }
  return out;
}

interface RunContext {
  readonly maxLinear: number;
  readonly seasons: readonly number[];
}

/** Fills out[a, b) (all NaN); `raw` is the unfilled input, used to look ahead one season. */
function fillRun(out: Float64Array, raw: Float64Array, a: number, b: number, ctx: RunContext): void {
  const hasLeft = a > 0;
  const hasRight = b < out.length;
  if (!hasLeft && !hasRight) return;
  if (!hasLeft || !hasRight) {
    const edge = hasLeft ? out[a - 1]! : out[b]!;
    if (!seasonalFill(out, raw, a, b, ctx.seasons)) out.fill(edge, a, b);
    return;
  }
  if (b - a <= ctx.maxLinear || !seasonalFill(out, raw, a, b, ctx.seasons)) {
    const left = out[a - 1]!;
    const right = out[b]!;
    for (let k = a; k < b; k++) out[k] = left + ((right - left) * (k - a + 1)) / (b - a + 1);
  }
}

/** Copies one season back (or ahead), offset so both edges join; false when no season covers it. */
function seasonalFill(
  out: Float64Array,
  raw: Float64Array,
  a: number,
  b: number,
  seasons: readonly number[],
): boolean {
  for (const p of seasons) {
    const source = (k: number): number => {
      if (k - p >= 0 && !Number.isNaN(out[k - p]!)) return out[k - p]!;
      if (k + p < raw.length && !Number.isNaN(raw[k + p]!)) return raw[k + p]!;
      return NaN;
    };
    let covered = true;
    for (let k = a; k < b && covered; k++) covered = !Number.isNaN(source(k));
    if (!covered) continue;
    const leftOffset = a > 0 && !Number.isNaN(source(a - 1)) ? out[a - 1]! - source(a - 1) : NaN;
    const rightOffset = b < out.length && !Number.isNaN(source(b)) ? out[b]! - source(b) : NaN;
    const lo = Number.isNaN(leftOffset) ? (Number.isNaN(rightOffset) ? 0 : rightOffset) : leftOffset;
    const hi = Number.isNaN(rightOffset) ? lo : rightOffset;
    for (let k = a; k < b; k++) {
      const w = (k - a + 1) / (b - a + 1);
      out[k] = source(k) + lo * (1 - w) + hi * w;
    }
    return true;
  }
  return false;
}
