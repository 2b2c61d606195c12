/**
 * Seasonal persistence: the current level carried forward along the seasonal shape,
 * forecast(t+h) = S(t+h) + phi^h * L(t), where S is a smoothed daily or weekly profile and L an
 * exponentially smoothed deviation from it. With alpha = phi = 1 this is exactly
 * y(t) + S(t+h) - S(t); smaller alpha / phi lean on the profile for noisy series. The profile kind,
 * smoothing, alpha and phi are tuned on the last days of history at the horizon that matters.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS, absoluteStep, periodSteps } from '../series.js';
import type { Model, PointForecast, Series } from '../types.js';
import { type ModelOptions, mod, tuneHorizon, tuningWindow } from './common.js';
import { seasonalProfile } from './profile.js';

export interface SeasonalPersistenceParams {
  /** Profile period in steps (0: no profile, plain smoothed level). */
  readonly period: number;
  /** Cycles averaged into the profile. */
  readonly cycles: number;
  /** Median instead of mean across cycles. */
  readonly robust: boolean;
  readonly halfWindow: number;
  readonly alpha: number;
  /** Per-step damping of the deviation towards the profile. */
  readonly phi: number;
}

const ALPHAS = [1, 0.7, 0.4, 0.2, 0.1];
const HALF_LIVES_MS = [Infinity, DAY_MS, 6 * HOUR_MS, 2 * HOUR_MS, 30 * MINUTE_MS, 10 * MINUTE_MS];
const SMOOTHING_MS = [0, 15 * MINUTE_MS, 45 * MINUTE_MS];
const PROFILE_CYCLES = { day: 7, week: 4 };

export class SeasonalPersistenceModel implements Model {
  readonly name = 'seasonal-persistence';
  params: SeasonalPersistenceParams = {
    period: 0,
    cycles: 0,
    robust: false,
    halfWindow: 0,
    alpha: 1,
    phi: 1,
  };
  private profile: Float64Array = new Float64Array(0);
  private level = 0;
  private step = 0;

  constructor(private readonly opts: ModelOptions = {}) {}

  fit(history: Series): void {
    const y = history.values;
    const start = absoluteStep(history, 0);
    this.params = this.tune(y, start, history.stepMs);
    this.profile = buildProfile(y, start, this.params);
    this.step = start + y.length;
    this.level = runLevel(
      y,
      start,
      this.profile,
      this.params,
      Math.max(0, y.length - Math.floor((2 * WEEK_MS) / history.stepMs)),
    );
  }

  update(value: number): void {
    const s = this.seasonal(this.step);
    // A missing value is imputed by the model's own one-step forecast.
    const d = Number.isFinite(value) ? value - s : this.params.phi * this.level;
    this.level = this.params.alpha * d + (1 - this.params.alpha) * this.params.phi * this.level;
    this.step++;
  }

  forecast(horizonSteps: number): PointForecast {
    const point = new Float64Array(horizonSteps);
    let damp = 1;
    for (let h = 0; h < horizonSteps; h++) {
      damp *= this.params.phi;
      point[h] = this.seasonal(this.step + h) + damp * this.level;
    }
    return { point };
  }

  private seasonal(step: number): number {
    return this.profile.length > 0 ? this.profile[mod(step, this.profile.length)]! : 0;
  }

  private tune(y: Float64Array, start: number, stepMs: number): SeasonalPersistenceParams {
    const h = tuneHorizon(this.opts, stepMs);
    const v = tuningWindow(y.length, stepMs);
    const trainEnd = y.length - v;
    const kinds = profileKinds(trainEnd, stepMs);
    const fallback = { ...kinds[0]!, robust: false, halfWindow: 0, alpha: 1, phi: 1 };
    if (v < 2 * h + 2) return fallback;
    let best = fallback;
    let bestErr = Infinity;
    for (const shape of profileShapes(kinds, stepMs)) {
      const profile = buildProfile(y.subarray(0, trainEnd), start, { ...shape, alpha: 1, phi: 1 });
      for (const alpha of ALPHAS) {
        for (const halfLife of HALF_LIVES_MS) {
          const p = { ...shape, alpha, phi: Math.pow(0.5, stepMs / halfLife) };
          const err = validationError(y, start, profile, p, trainEnd, h);
          if (err < bestErr) [best, bestErr] = [p, err];
        }
      }
    }
    return best;
  }
}

interface ProfileKind {
  readonly period: number;
  readonly cycles: number;
}

/** Weekly needs two weeks of history, daily one day; with neither, a plain smoothed level. */
function profileKinds(steps: number, stepMs: number): ProfileKind[] {
  const day = periodSteps(stepMs, DAY_MS);
  const week = periodSteps(stepMs, WEEK_MS);
  const kinds: ProfileKind[] = [];
  if (week >= 2 && steps >= 2 * week) kinds.push({ period: week, cycles: PROFILE_CYCLES.week });
  if (day >= 2 && steps >= day) kinds.push({ period: day, cycles: PROFILE_CYCLES.day });
  return kinds.length > 0 ? kinds : [{ period: 0, cycles: 0 }];
}

type ProfileShape = ProfileKind & { readonly halfWindow: number; readonly robust: boolean };

function profileShapes(kinds: readonly ProfileKind[], stepMs: number): ProfileShape[] {
  const out: ProfileShape[] = [];
  for (const kind of kinds) {
    for (const halfWindow of unique(SMOOTHING_MS.map((ms) => Math.round(ms / stepMs)))) {
      for (const robust of kind.period > 0 ? [false, true] : [false])
        out.push({ ...kind, halfWindow, robust });
    }
  }
  return out;
}

function buildProfile(y: ArrayLike<number>, start: number, p: SeasonalPersistenceParams): Float64Array {
  if (p.period === 0) return new Float64Array(0);
  return seasonalProfile(y, start, p.period, p.cycles, p.halfWindow, p.robust);
}

/** Smoothed deviation from the profile after running over y[from, end). */
function runLevel(
  y: ArrayLike<number>,
  start: number,
  profile: Float64Array,
  p: SeasonalPersistenceParams,
  from: number,
): number {
  const s = (i: number): number => (profile.length > 0 ? profile[mod(start + i, profile.length)]! : 0);
  let level = y.length > 0 ? y[from]! - s(from) : 0;
  for (let i = from + 1; i < y.length; i++) level = p.alpha * (y[i]! - s(i)) + (1 - p.alpha) * p.phi * level;
  return level;
}

/** Mean absolute h-step error over y[trainEnd, end), forecasting from each origin. */
function validationError(
  y: Float64Array,
  start: number,
  profile: Float64Array,
  p: SeasonalPersistenceParams,
  trainEnd: number,
  h: number,
): number {
  const s = (i: number): number => (profile.length > 0 ? profile[mod(start + i, profile.length)]! : 0);
  const damp = Math.pow(p.phi, h);
  const warm = Math.max(0, trainEnd - Math.min(trainEnd, 2 * h + 50));
  let level = y[warm]! - s(warm);
  let sum = 0;
  let n = 0;
  for (let i = warm + 1; i + h < y.length; i++) {
    level = p.alpha * (y[i]! - s(i)) + (1 - p.alpha) * p.phi * level;
    if (i + h >= trainEnd) {
      sum += Math.abs(y[i + h]! - s(i + h) - damp * level);
      n++;
    }
  }
  return n > 0 ? sum / n : Infinity;
}

function unique(xs: number[]): number[] {
  return [...new Set(xs)];
}
