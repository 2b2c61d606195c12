/** Small pieces the models share: seasonal periods, gap-safe last value, a bounded value ring. */
import { DAY_MS, WEEK_MS, periodSteps } from '../series.js';

export interface SeasonPeriods {
  /** Steps per day / week; 0 when the step does not divide them or the history is too short. */
  readonly day: number;
  readonly week: number;
}

/** Periods usable with `historySteps` values: a season needs at least `minCycles` full cycles. */
export function usablePeriods(stepMs: number, historySteps: number, minCycles = 2): SeasonPeriods {
  const day = periodSteps(stepMs, DAY_MS);
  const week = periodSteps(stepMs, WEEK_MS);
  return {
    day: day >= 2 && historySteps >= minCycles * day ? day : 0,
    week: week >= 2 && historySteps >= minCycles * week ? week : 0,
  };
}

export function lastFinite(values: ArrayLike<number>, fallback = 0): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i]!)) return values[i]!;
  return fallback;
}

/** Positive modulo (slot of an absolute step within a season). */
export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Fixed-capacity ring of the newest values; get(0) is the oldest kept. */
export class ValueRing {
  private readonly buf: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.buf = new Float64Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.count;
  }

  push(v: number): void {
    this.buf[(this.head + this.count) % this.buf.length] = v;
    if (this.count < this.buf.length) this.count++;
    else this.head = (this.head + 1) % this.buf.length;
  }

  get(i: number): number {
    return this.buf[(this.head + i) % this.buf.length]!;
  }

  /** The i-th newest value (0 = newest). */
  back(i: number): number {
    return this.get(this.count - 1 - i);
  }
}

/** Mean absolute error of two equal-length arrays, skipping NaN pairs. */
export function meanAbsError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i]! - predicted[i]!;
    if (Number.isFinite(e)) {
      sum += Math.abs(e);
      n++;
    }
  }
  return n > 0 ? sum / n : Number.POSITIVE_INFINITY;
}

export interface ModelOptions {
  /** Horizon (steps ahead) a model tunes its parameters for; default 30 minutes of steps. */
  readonly tuneHorizonSteps?: number;
}

/** Steps in the tuning window at the end of a history: three days (300 steps or more), at most a quarter. */
export function tuningWindow(historySteps: number, stepMs: number): number {
  return Math.min(Math.max(Math.round((3 * 86_400_000) / stepMs), 300), Math.floor(historySteps / 4));
}

export function tuneHorizon(opts: ModelOptions, stepMs: number): number {
  return Math.max(1, opts.tuneHorizonSteps ?? Math.ceil(1_800_000 / stepMs));
}
