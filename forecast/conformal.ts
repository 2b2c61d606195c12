/**
 * Quantile bands from a model's own recent out-of-sample errors (split conformal, per horizon
 * step): band(h, q) = point(h) + the q-quantile of the last `window` errors seen at step h. An
 * adaptive-conformal nudge (Gibbs & Candes 2021) moves each tracked level a little after every
 * hit or miss, so coverage stays near target when the error distribution drifts.
 */
import type { ForecastWithBands } from './types.js';

export const DEFAULT_QUANTILES: readonly number[] = [0.1, 0.5, 0.9];

export interface ConformalOptions {
  readonly horizonSteps: number;
  /** Errors kept per horizon step. */
  readonly window: number;
  /** Quantile levels tracked (adjusted adaptively); others are served unadjusted. */
  readonly quantiles?: readonly number[];
  /** Errors needed at a step before its own quantiles are used. */
  readonly minSamples?: number;
  /** Adaptive step size (0 turns the nudge off). */
  readonly gamma?: number;
}

/** Sliding window of values kept sorted, so a quantile is one array read. */
class SortedWindow {
  private readonly ring: Float32Array;
  private readonly sorted: Float32Array;
  private head = 0;
  count = 0;

  constructor(capacity: number) {
    this.ring = new Float32Array(capacity);
    this.sorted = new Float32Array(capacity);
  }

  push(v: number): void {
    const cap = this.ring.length;
    if (this.count === cap) {
      const old = this.ring[this.head]!;
      const i = lowerBound(this.sorted, this.count, old);
      this.sorted.copyWithin(i, i + 1, this.count);
      this.count--;
      this.ring[this.head] = v;
      this.head = (this.head + 1) % cap;
    } else {
      this.ring[(this.head + this.count) % cap] = v;
    }
    const f = Math.fround(v);
    const j = lowerBound(this.sorted, this.count, f);
    this.sorted.copyWithin(j + 1, j, this.count);
    this.sorted[j] = f;
    this.count++;
  }

  /** Finite-sample conformal quantile: rank ceil((n + 1) q) for upper levels, floor for lower. */
  quantile(q: number): number {
    const n = this.count;
    const rank = q >= 0.5 ? Math.ceil((n + 1) * q) : Math.floor((n + 1) * q);
    return this.sorted[Math.min(n - 1, Math.max(0, rank - 1))]!;
  }

  /** Mean of |v| over the newest `last` values. */
  meanAbsNewest(last: number): number {
    const k = Math.min(last, this.count);
    let s = 0;
    for (let i = 0; i < k; i++)
      s += Math.abs(this.ring[(this.head + this.count - 1 - i) % this.ring.length]!);
    return k > 0 ? s / k : NaN;
  }
}

function lowerBound(a: Float32Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ConformalBands {
  readonly horizonSteps: number;
  readonly quantiles: readonly number[];
  private readonly windows: SortedWindow[];
  /** Per tracked quantile, per step: the level actually read (starts at the nominal level). */
  private readonly levels = new Map<number, Float64Array>();
  private readonly minSamples: number;
  private readonly gamma: number;

  constructor(opts: ConformalOptions) {
    this.horizonSteps = opts.horizonSteps;
    this.quantiles = [...new Set(opts.quantiles ?? DEFAULT_QUANTILES)].sort((a, b) => a - b);
    this.windows = Array.from(
      { length: opts.horizonSteps },
      () => new SortedWindow(Math.max(2, opts.window)),
    );
    this.minSamples = opts.minSamples ?? 20;
    this.gamma = opts.gamma ?? 0.005;
    for (const q of this.quantiles) this.levels.set(q, new Float64Array(opts.horizonSteps).fill(q));
  }

  /**
   * Records actual - forecast for a forecast made `h` steps (1-based) before the actual. With a
   * `scale` (the error's expected size at that time, see forecast/error-scale.ts) the window keeps
   * error / scale, and errorQuantile multiplies back by the scale it is asked for: normalised
   * conformal, so bands widen where errors are large and narrow where they are small.
   */
  record(h: number, rawError: number, scale = 1): void {
    const error = rawError / scale;
    if (h < 1 || h > this.horizonSteps || !Number.isFinite(error)) return;
    const w = this.windows[h - 1]!;
    if (w.count >= this.minSamples && this.gamma > 0) {
      for (const [q, levels] of this.levels) {
        if (q === 0.5) continue;
        const bound = w.quantile(levels[h - 1]!);
        const miss = q > 0.5 ? error > bound : error < bound;
        const target = q > 0.5 ? 1 - q : q;
        const step = this.gamma * ((miss ? 1 : 0) - target);
        levels[h - 1] =
          q > 0.5
            ? Math.min(0.999, Math.max(0.5, levels[h - 1]! + step))
            : Math.min(0.5, Math.max(0.001, levels[h - 1]! - step));
      }
    }
    w.push(error);
  }

  samples(h: number): number {
    return this.windows[h - 1]?.count ?? 0;
  }

  /** True once step 1 has enough errors to give bands. */
  get ready(): boolean {
    return this.samples(1) >= this.minSamples;
  }

  /** Error quantile at step h; borrows from the nearest calibrated shorter step, widened by sqrt(h). */
  errorQuantile(h: number, q: number, scale = 1): number | undefined {
    for (let k = Math.min(h, this.horizonSteps); k >= 1; k--) {
      const w = this.windows[k - 1]!;
      if (w.count < this.minSamples) continue;
      const level = this.levels.get(q)?.[k - 1] ?? q;
      return w.quantile(level) * Math.sqrt(h / k) * scale;
    }
    return undefined;
  }

  /** Mean absolute error over the newest `last` errors at step h. */
  recentMeanAbsError(h: number, last: number): number {
    return this.windows[h - 1]?.meanAbsNewest(last) ?? NaN;
  }

  /** Bands around a point forecast; undefined until calibrated. */
  bands(point: Float64Array, model: string, quantiles = this.quantiles): ForecastWithBands | undefined {
    if (!this.ready) return undefined;
    const out = new Map<number, Float64Array>();
    for (const q of quantiles) {
      const values = new Float64Array(point.length);
      for (let h = 1; h <= point.length; h++) values[h - 1] = point[h - 1]! + (this.errorQuantile(h, q) ?? 0);
      out.set(q, values);
    }
    return { point, quantiles: out, model };
  }
}
