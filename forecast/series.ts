/**
 * Demand history on a fixed step grid: a bounded ring (memory stays flat however long the agent
 * runs), plus the helpers that turn irregular points into a regular `Series` and back.
 */
import type { Series } from './types.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

export function makeSeries(start: number, stepMs: number, values: Float64Array): Series {
  return { start, stepMs, values };
}

/** Steps in one period (a day, a week) at this step; 0 when the period is not a whole multiple. */
export function periodSteps(stepMs: number, periodMs: number): number {
  const n = periodMs / stepMs;
  return Math.abs(n - Math.round(n)) < 1e-9 ? Math.round(n) : Math.floor(n);
}

/** Absolute step index of a series' i-th value (used to keep seasonal phase across refits). */
export function absoluteStep(series: Series, i: number): number {
  return Math.round(series.start / series.stepMs) + i;
}

export function sliceSeries(series: Series, from: number, to = series.values.length): Series {
  const f = Math.max(0, from);
  const t = Math.min(series.values.length, to);
  return makeSeries(series.start + f * series.stepMs, series.stepMs, series.values.slice(f, Math.max(f, t)));
}

export function observedCount(values: Float64Array): number {
  let n = 0;
  for (const v of values) if (!Number.isNaN(v)) n++;
  return n;
}

/**
 * Places points on a grid anchored at `origin` (default: the first point): each point goes to the
 * nearest step, the latest point wins within a step, steps with no point are NaN.
 */
export function alignPoints(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  stepMs: number,
  origin = times.length > 0 ? times[0]! : 0,
): Series {
  if (times.length === 0) return makeSeries(origin, stepMs, new Float64Array(0));
  let last = 0;
  for (let i = 0; i < times.length; i++) last = Math.max(last, Math.round((times[i]! - origin) / stepMs));
  const out = new Float64Array(last + 1).fill(NaN);
  for (let i = 0; i < times.length; i++) {
    const k = Math.round((times[i]! - origin) / stepMs);
    if (k >= 0) out[k] = values[i]!;
  }
  return makeSeries(origin, stepMs, out);
}

/** The typical spacing of sorted timestamps (median of positive differences). */
export function inferStepMs(times: ArrayLike<number>): number {
  const diffs: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d > 0) diffs.push(d);
  }
  if (diffs.length === 0) return MINUTE_MS;
  diffs.sort((a, b) => a - b);
  return diffs[Math.floor(diffs.length / 2)]!;
}

/**
 * Changes the step: to a coarser multiple by averaging the observed values of each bucket, to a
 * finer step by linear interpolation between neighbouring values.
 */
export function resample(series: Series, stepMs: number): Series {
  if (stepMs === series.stepMs) return series;
  const src = series.values;
  if (stepMs > series.stepMs) {
    const n = Math.floor(((src.length - 1) * series.stepMs) / stepMs) + 1;
    const sum = new Float64Array(n);
    const count = new Float64Array(n);
    for (let i = 0; i < src.length; i++) {
      if (Number.isNaN(src[i]!)) continue;
      const k = Math.floor((i * series.stepMs) / stepMs);
      sum[k]! += src[i]!;
      count[k]! += 1;
    }
    const out = sum.map((s, k) => (count[k]! > 0 ? s / count[k]! : NaN));
    return makeSeries(series.start, stepMs, out);
  }
  const n = Math.floor(((src.length - 1) * series.stepMs) / stepMs) + 1;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const pos = (k * stepMs) / series.stepMs;
    const i = Math.floor(pos);
    const frac = pos - i;
    out[k] = i + 1 < src.length && frac > 0 ? src[i]! * (1 - frac) + src[i + 1]! * frac : src[i]!;
  }
  return makeSeries(series.start, stepMs, out);
}

export interface DemandHistoryOptions {
  /** Step of the grid (default 60 s). */
  readonly stepMs?: number;
  /** How far back to keep (default 35 days); older steps fall off the ring. */
  readonly retentionMs?: number;
}

/**
 * A per-group demand history: samples at arbitrary times land on the step grid (floor of t / step,
 * latest wins within a step), skipped steps read as NaN, and a fixed-size ring bounds memory.
 */
export class DemandHistory {
  readonly stepMs: number;
  private readonly ring: Float64Array;
  /** Absolute step index of the newest slot written; -Infinity while empty. */
  private newest = Number.NEGATIVE_INFINITY;
  private oldest = Number.NEGATIVE_INFINITY;
  private observed = 0;

  constructor(opts: DemandHistoryOptions = {}) {
    this.stepMs = opts.stepMs ?? MINUTE_MS;
    if (!(this.stepMs > 0)) throw new RangeError(`stepMs must be positive, got ${this.stepMs}`);
    const capacity = Math.max(2, Math.ceil((opts.retentionMs ?? 35 * DAY_MS) / this.stepMs));
    this.ring = new Float64Array(capacity).fill(NaN);
  }

  get capacity(): number {
    return this.ring.length;
  }

  /** Steps held, from the oldest kept to the newest written (gaps included). */
  get length(): number {
    return this.newest === Number.NEGATIVE_INFINITY ? 0 : this.newest - this.oldest + 1;
  }

  /** Steps held that have a value (not gaps). */
  get observedSteps(): number {
    return this.observed;
  }

  /** Absolute step index of a time. */
  stepOf(t: number): number {
    return Math.floor(t / this.stepMs);
  }

  get newestStep(): number | undefined {
    return this.length === 0 ? undefined : this.newest;
  }

  get oldestStep(): number | undefined {
    return this.length === 0 ? undefined : this.oldest;
  }

  /** Records a sample; returns false (and ignores it) when it is not finite or already fell off. */
  append(t: number, value: number): boolean {
    if (!Number.isFinite(t) || !Number.isFinite(value)) return false;
    const k = this.stepOf(t);
    if (this.length === 0) {
      this.newest = k;
      this.oldest = k;
    } else if (k > this.newest) {
      const clearFrom = Math.max(this.newest + 1, k - this.ring.length + 1);
      for (let j = clearFrom; j <= k; j++) this.clear(j);
      this.newest = k;
      this.oldest = Math.max(this.oldest, k - this.ring.length + 1);
    } else if (k < this.oldest) {
      if (k <= this.newest - this.ring.length) return false;
      for (let j = k; j < this.oldest; j++) this.clear(j);
      this.oldest = k;
    }
    if (Number.isNaN(this.ring[this.slot(k)]!)) this.observed++;
    this.ring[this.slot(k)] = value;
    return true;
  }

  private clear(step: number): void {
    const i = this.slot(step);
    if (!Number.isNaN(this.ring[i]!)) this.observed--;
    this.ring[i] = NaN;
  }

  /** Value at an absolute step (NaN when missing or not held). */
  at(step: number): number {
    if (this.length === 0 || step < this.oldest || step > this.newest) return NaN;
    return this.ring[this.slot(step)]!;
  }

  /** Raw values of steps [fromStep, toStep] (NaN for gaps), as a Series on the epoch grid. */
  toSeries(fromStep = this.oldest, toStep = this.newest): Series {
    if (this.length === 0 || toStep < fromStep) return makeSeries(0, this.stepMs, new Float64Array(0));
    const from = Math.max(fromStep, this.oldest);
    const to = Math.min(toStep, this.newest);
    const out = new Float64Array(Math.max(0, to - from + 1));
    for (let j = from; j <= to; j++) out[j - from] = this.ring[this.slot(j)]!;
    return makeSeries(from * this.stepMs, this.stepMs, out);
  }

  private slot(step: number): number {
    const n = this.ring.length;
    return ((step % n) + n) % n;
  }
}
