/**
 * MSTL (augurs, WASM): the series split into daily and weekly seasonal parts plus an AutoETS trend.
 * A fit is expensive, so `fit` forecasts a long path once; `update` only tracks how far the actuals
 * have drifted from that path, and forecasts carry that drift forward with an AR(1) decay learnt
 * online from the drift itself. Fine steps are averaged to 5 minutes before fitting (a 28-day
 * window at 60 s is 40k points, and the seasonal shape does not need that resolution).
 */
import { DAY_MS, MINUTE_MS } from '../series.js';
import type { Model, PointForecast, Series } from '../types.js';
import { fillValues } from '../gaps.js';
import { augursMstl } from '../wasm.js';
import { lastFinite, usablePeriods } from './common.js';

const FIT_WINDOW_MS = 28 * DAY_MS;
const MIN_FIT_STEP_MS = 5 * MINUTE_MS;
/** Long enough to span auto's validation window (3 days or 300 steps) without wrapping. */
const PATH_MS = 4 * DAY_MS;
const MIN_PATH_STEPS = 320;
/** Forgetting of the drift autocorrelation estimate, per update. */
const RHO_MEMORY = 0.999;

export class MstlModel implements Model {
  readonly name = 'mstl';
  /** Periods (in fit steps) used by the last fit; empty when history was too short. */
  periods: number[] = [];
  /** Expected values around the fit origin at native steps: index `origin` is the first future step. */
  private expected = new Float64Array(0);
  private origin = 0;
  private cursor = 0;
  private wrap = 0;
  private drift = 0;
  private rhoNum = 0;
  private rhoDen = 0;

  fit(history: Series): void {
    const from = Math.max(0, history.values.length - Math.round(FIT_WINDOW_MS / history.stepMs));
    const window = fillValues(history.values.subarray(from), history.stepMs);
    const factor = Math.max(1, Math.round(MIN_FIT_STEP_MS / history.stepMs));
    const coarse = aggregate(window, factor);
    const fitStepMs = history.stepMs * factor;
    const p = usablePeriods(fitStepMs, coarse.length);
    this.periods = [p.day, p.week].filter((x) => x > 0);
    const pathSteps = Math.max(MIN_PATH_STEPS, Math.ceil(PATH_MS / fitStepMs));
    let fitted: Float64Array;
    let path: Float64Array;
    if (this.periods.length === 0) {
      const last = lastFinite(window, 0);
      fitted = coarse.slice(-2);
      path = new Float64Array(pathSteps).fill(last);
    } else {
      ({ fitted, path } = fitMstl(coarse, this.periods, pathSteps));
    }
    const all = toNative(fitted, path, factor, window.length % factor);
    // Keep only the last fitted value (for the first drift) and the path: memory stays small.
    this.expected = all.slice(all.length - pathSteps * factor - 1);
    this.origin = 1;
    this.cursor = this.origin;
    this.wrap = Math.round(DAY_MS / history.stepMs);
    const lastFitted = this.expected[this.origin - 1] ?? 0;
    this.drift = Number.isFinite(window[window.length - 1]!) ? window[window.length - 1]! - lastFitted : 0;
  }

  update(value: number): void {
    const next = Number.isFinite(value) ? value - this.expectedAt(this.cursor) : this.rho() * this.drift;
    this.rhoNum = RHO_MEMORY * this.rhoNum + this.drift * next;
    this.rhoDen = RHO_MEMORY * this.rhoDen + this.drift * this.drift;
    this.drift = next;
    this.cursor++;
  }

  forecast(horizonSteps: number): PointForecast {
    const point = new Float64Array(horizonSteps);
    const rho = this.rho();
    let decay = 1;
    for (let h = 0; h < horizonSteps; h++) {
      decay *= rho;
      point[h] = this.expectedAt(this.cursor + h) + decay * this.drift;
    }
    return { point };
  }

  /** Drift autocorrelation; full persistence until enough updates have been seen. */
  private rho(): number {
    if (this.rhoDen <= 0) return 1;
    return Math.min(1, Math.max(0, this.rhoNum / this.rhoDen));
  }

  /** Past the forecast path, the path's last day repeats (a refit normally comes first). */
  private expectedAt(i: number): number {
    const n = this.expected.length;
    if (i < n) return this.expected[i]!;
    const back = Math.min(this.wrap, n - this.origin);
    return back > 0 ? this.expected[n - back + ((i - n) % back)]! : (this.expected[n - 1] ?? 0);
  }
}

interface MstlFit {
  readonly fitted: Float64Array;
  readonly path: Float64Array;
}

/**
 * Fits are memoised by input content (a small LRU): models that share MSTL (ensembles, auto and
 * the standalone model in one backtest) fit each window once. Entries are small (the end of the
 * in-sample fit and a four-day path at 5 min steps or coarser).
 */
const cache = new Map<string, MstlFit>();
const CACHE_SIZE = 8;

/** Benchmarks clear the memo so each model pays for its own fits. */
export function clearMstlCache(): void {
  cache.clear();
}

function fitMstl(y: Float64Array, periods: number[], pathSteps: number): MstlFit {
  const key = `${periods.join(',')}|${pathSteps}|${y.length}|${contentHash(y)}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const model = augursMstl().MSTL.ets(periods);
  let result: MstlFit;
  try {
    model.fit(y);
    result = {
      // Only the end of the in-sample fit is ever read (the first drift).
      fitted: Float64Array.from(model.predictInSample().point.slice(-2)),
      path: Float64Array.from(model.predict(pathSteps).point),
    };
  } finally {
    model.free();
  }
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return result;
}

/** Two independent 32-bit FNV-1a hashes over the raw bytes. */
function contentHash(values: Float64Array): string {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let a = 2166136261;
  let b = 0x9747b28c;
  for (let i = 0; i < words.length; i++) {
    a = Math.imul(a ^ words[i]!, 16777619) >>> 0;
    b = Math.imul(b ^ words[words.length - 1 - i]!, 2246822519) >>> 0;
  }
  return `${a.toString(36)}${b.toString(36)}`;
}

/** Means of consecutive blocks of `factor` values, aligned so the last block ends at the end. */
function aggregate(values: Float64Array, factor: number): Float64Array {
  if (factor === 1) return Float64Array.from(values);
  const skip = values.length % factor;
  const out = new Float64Array(Math.floor(values.length / factor));
  for (let k = 0; k < out.length; k++) {
    let s = 0;
    for (let j = 0; j < factor; j++) s += values[skip + k * factor + j]!;
    out[k] = s / factor;
  }
  return out;
}

/** Coarse fitted + path back onto the native grid by linear interpolation between block centres. */
function toNative(fitted: Float64Array, path: Float64Array, factor: number, skip: number): Float64Array {
  const coarse = new Float64Array(fitted.length + path.length);
  coarse.set(fitted, 0);
  coarse.set(path, fitted.length);
  if (factor === 1) return coarse;
  const out = new Float64Array(skip + coarse.length * factor);
  const half = (factor - 1) / 2;
  for (let j = 0; j < out.length; j++) {
    const pos = Math.min(coarse.length - 1, Math.max(0, (j - skip - half) / factor));
    const k = Math.floor(pos);
    const frac = pos - k;
    out[j] = k + 1 < coarse.length ? coarse[k]! * (1 - frac) + coarse[k + 1]! * frac : coarse[k]!;
  }
  return out;
}
