/**
 * Signs that the demand moved away from what the model knows: actuals persistently on one side of
 * the band, or a changepoint in the model's recent errors (augurs' Bayesian online detector).
 */
import { augursChangepoint } from './wasm.js';

/** Remembers, for the last `window` actuals, whether each fell above, below or inside its band. */
export class BandExitTracker {
  private readonly sides: Int8Array;
  private next = 0;
  private filled = 0;

  constructor(
    readonly window = 15,
    /** Exits on one side (of the window) that count as persistent. */
    readonly threshold = 12,
  ) {
    this.sides = new Int8Array(window);
  }

  record(actual: number, lower: number, upper: number): void {
    this.sides[this.next] = actual > upper ? 1 : actual < lower ? -1 : 0;
    this.next = (this.next + 1) % this.window;
    this.filled = Math.min(this.window, this.filled + 1);
  }

  reset(): void {
    this.sides.fill(0);
    this.filled = 0;
  }

  /** 'above' / 'below' when actuals have been persistently outside the band on that side. */
  persistentSide(): 'above' | 'below' | undefined {
    let above = 0;
    let below = 0;
    for (let i = 0; i < this.filled; i++) {
      if (this.sides[i] === 1) above++;
      else if (this.sides[i] === -1) below++;
    }
    if (above >= this.threshold) return 'above';
    if (below >= this.threshold) return 'below';
    return undefined;
  }
}

export interface ResidualShift {
  /** Index in the residual array where the shift starts. */
  readonly at: number;
  /** Mean residual after the shift, in robust standard deviations of the residuals before it. */
  readonly sigmas: number;
}

/**
 * A shift in the mean of the model's recent errors: the newest changepoint within the last
 * `recent` residuals, kept only when the errors after it sit at least `minSigmas` robust standard
 * deviations away from zero (the detector alone also fires on noise bursts).
 */
export function detectResidualShift(
  residuals: Float64Array,
  recent: number,
  minSigmas = 3,
): ResidualShift | undefined {
  const n = residuals.length;
  if (n < 20) return undefined;
  const before = residuals.subarray(0, Math.max(10, n - recent));
  // Integer demand is often forecast exactly (MAD 0): fall back to the mean absolute error.
  const sigma = Math.max(robustSigma(before), meanAbs(before), 1e-9);
  const standardized = residuals.map((r) => r / sigma);
  const detector = augursChangepoint().ChangepointDetector.normalGamma();
  let indices: number[];
  try {
    indices = detector.detectChangepoints(standardized).indices;
  } finally {
    detector.free();
  }
  const at = indices.filter((i) => i > 0 && i >= n - recent && i <= n - 3).pop();
  if (at === undefined) return undefined;
  let sum = 0;
  for (let i = at; i < n; i++) sum += standardized[i]!;
  const sigmas = sum / (n - at);
  return Math.abs(sigmas) >= minSigmas ? { at, sigmas } : undefined;
}

/** 1.4826 x median absolute deviation: the standard deviation for normal data, robust to spikes. */
export function robustSigma(values: Float64Array): number {
  const finite = Array.from(values).filter(Number.isFinite);
  if (finite.length === 0) return NaN;
  const med = median(finite);
  return 1.4826 * median(finite.map((v) => Math.abs(v - med)));
}

function meanAbs(values: Float64Array): number {
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      s += Math.abs(v);
      n++;
    }
  }
  return n > 0 ? s / n : 0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length;
  return m % 2 === 1 ? s[(m - 1) / 2]! : (s[m / 2 - 1]! + s[m / 2]!) / 2;
}
