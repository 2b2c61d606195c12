/**
 * Additive Holt-Winters (ETS(A,Ad,A)) with a daily season, written by hand: augurs' AutoETS is
 * non-seasonal. Smoothing parameters are picked from a small grid by the h-step error on the last
 * days of history, so the model is tuned for the horizon the policy acts on.
 */
import { DAY_MS, HOUR_MS, absoluteStep } from '../series.js';
import type { Model, PointForecast, Series } from '../types.js';
import { type ModelOptions, mod, tuneHorizon, tuningWindow, usablePeriods } from './common.js';

export interface HoltWintersParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** Per-step trend damping. */
  readonly phi: number;
}

interface State {
  level: number;
  trend: number;
  season: Float64Array;
}

const ALPHAS = [0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1];
const BETAS = [0, 0.02];
const GAMMAS = [0.02, 0.1, 0.3];
const FIT_WINDOW_MS = 14 * DAY_MS;

export class HoltWintersModel implements Model {
  readonly name = 'holt-winters';
  params: HoltWintersParams = { alpha: 0.5, beta: 0, gamma: 0.1, phi: 0.98 };
  private state: State = { level: 0, trend: 0, season: new Float64Array(0) };
  private step = 0;

  constructor(private readonly opts: ModelOptions = {}) {}

  fit(history: Series): void {
    const from = Math.max(0, history.values.length - Math.round(FIT_WINDOW_MS / history.stepMs));
    const y = history.values.subarray(from);
    const start = absoluteStep(history, from);
    const period = usablePeriods(history.stepMs, y.length).day;
    const phi = Math.pow(0.5, history.stepMs / HOUR_MS);
    const h = tuneHorizon(this.opts, history.stepMs);
    const v = tuningWindow(y.length, history.stepMs);
    const scratch = new Float64Array(y.length + h);
    let bestErr = Infinity;
    if (v >= 2 * h) {
      for (const alpha of ALPHAS) {
        for (const beta of BETAS) {
          for (const gamma of period > 0 ? GAMMAS : [0]) {
            const p = { alpha, beta, gamma, phi };
            const err = run(y, start, period, p, { h, scoreFrom: y.length - v, scratch }).error;
            if (err < bestErr) [this.params, bestErr] = [p, err];
          }
        }
      }
    } else {
      this.params = { ...this.params, phi, gamma: period > 0 ? this.params.gamma : 0 };
    }
    this.state = run(y, start, period, this.params, { h, scoreFrom: y.length, scratch }).state;
    this.step = start + y.length;
  }

  update(value: number): void {
    const y = Number.isFinite(value) ? value : this.forecast(1).point[0]!;
    observe(this.state, this.params, this.step, y);
    this.step++;
  }

  forecast(horizonSteps: number): PointForecast {
    return { point: predict(this.state, this.params, this.step, horizonSteps) };
  }
}

function initialState(y: Float64Array, start: number, period: number): State {
  if (period === 0 || y.length < 2 * period) {
    return { level: y.length > 0 ? y[0]! : 0, trend: 0, season: new Float64Array(0) };
  }
  const season = new Float64Array(period);
  const cycleMean = (c: number): number => {
    let s = 0;
    for (let i = c * period; i < (c + 1) * period; i++) s += y[i]!;
    return s / period;
  };
  const m0 = cycleMean(0);
  const m1 = cycleMean(1);
  for (let i = 0; i < period; i++) season[mod(start + i, period)] = (y[i]! - m0 + y[i + period]! - m1) / 2;
  return { level: m0, trend: 0, season };
}

function observe(s: State, p: HoltWintersParams, step: number, y: number): void {
  const n = s.season.length;
  const slot = n > 0 ? mod(step, n) : 0;
  const sp = n > 0 ? s.season[slot]! : 0;
  const base = s.level + p.phi * s.trend;
  const level = p.alpha * (y - sp) + (1 - p.alpha) * base;
  s.trend = p.beta * (level - s.level) + (1 - p.beta) * p.phi * s.trend;
  if (n > 0) s.season[slot] = p.gamma * (y - base) + (1 - p.gamma) * sp;
  s.level = level;
}

/** Forecast for the steps after `nextStep - 1`. */
function predict(s: State, p: HoltWintersParams, nextStep: number, horizon: number): Float64Array {
  const out = new Float64Array(horizon);
  const n = s.season.length;
  let damp = 0;
  let phiPow = 1;
  for (let h = 0; h < horizon; h++) {
    phiPow *= p.phi;
    damp += phiPow;
    out[h] = s.level + damp * s.trend + (n > 0 ? s.season[mod(nextStep + h, n)]! : 0);
  }
  return out;
}

interface RunOptions {
  readonly h: number;
  /** Score h-step forecasts whose target index is at or after this. */
  readonly scoreFrom: number;
  readonly scratch: Float64Array;
}

function run(y: Float64Array, start: number, period: number, p: HoltWintersParams, o: RunOptions) {
  const state = initialState(y, start, period);
  const n = state.season.length;
  let damp = 0;
  for (let k = 1, phiPow = 1; k <= o.h; k++) damp += phiPow *= p.phi;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    if (i >= o.scoreFrom && i >= o.h) {
      sum += Math.abs(y[i]! - o.scratch[i]!);
      count++;
    }
    observe(state, p, start + i, y[i]!);
    if (i + o.h >= o.scoreFrom) {
      const t = start + i + o.h;
      o.scratch[i + o.h] = state.level + damp * state.trend + (n > 0 ? state.season[mod(t, n)]! : 0);
    }
  }
  return { state, error: count > 0 ? sum / count : Infinity };
}
