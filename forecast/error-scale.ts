/**
 * How large a forecast error is expected to be at a given time: the normaliser of normalised
 * conformal bands (Papadopoulos et al. 2008; Lei et al. 2018). Spark demand is not equally
 * predictable: an hourly batch whose start jitters by minutes gives large errors for a few
 * minutes every hour and almost none in between. One error distribution for all times makes the
 * band as wide in the quiet stretches as at the spikes, which keeps idle nodes all night.
 * Scaling each error by the size typical for its time lets one calibrated quantile serve both.
 */

/** Expected error size for a target time. */
export interface ErrorScale {
  /** Relative size of errors for a forecast targeting time t (1 = typical). */
  at(t: number): number;
  /** An out-of-sample error observed for a forecast that targeted time t. */
  observe(t: number, error: number): void;
}

export const UNIT_SCALE: ErrorScale = { at: () => 1, observe: () => {} };

export interface SeasonalScaleOptions {
  readonly stepMs: number;
  /** Seasonal period (default one day). */
  readonly periodMs?: number;
  /** Past periods looked at (default 7). */
  readonly periods?: number;
  /** Steps either side of the same time in a past period (default 5). */
  readonly halfWidthSteps?: number;
  /** Lowest scale, as a fraction of the overall mean error (default 0.1). */
  readonly floorFraction?: number;
}

/**
 * Mean |error| around the same time of day in the past `periods` days, relative to the mean over
 * all kept errors. Spark demand is predictable to the minute except around its spikes (an hourly
 * batch whose start jitters by minutes, the morning ramp): this scale is large just there and
 * small in the quiet stretches between, which an hour-of-day bucket cannot resolve.
 */
export class SeasonalErrorScale implements ErrorScale {
  private readonly stepMs: number;
  private readonly periodSteps: number;
  private readonly periods: number;
  private readonly halfWidth: number;
  private readonly floorFraction: number;
  private readonly ring: Float32Array;
  private sum = 0;
  private count = 0;

  constructor(opts: SeasonalScaleOptions) {
    this.stepMs = opts.stepMs;
    this.periodSteps = Math.round((opts.periodMs ?? 86_400_000) / opts.stepMs);
    this.periods = opts.periods ?? 7;
    this.halfWidth = opts.halfWidthSteps ?? 5;
    this.floorFraction = opts.floorFraction ?? 0.1;
    this.ring = new Float32Array(this.periodSteps * this.periods + this.halfWidth + 1).fill(NaN);
  }

  private slot(step: number): number {
    return ((step % this.ring.length) + this.ring.length) % this.ring.length;
  }

  observe(t: number, error: number): void {
    if (!Number.isFinite(error) || !Number.isFinite(t)) return;
    const i = this.slot(Math.floor(t / this.stepMs));
    const old = this.ring[i]!;
    if (Number.isFinite(old)) {
      this.sum -= old;
      this.count--;
    }
    this.ring[i] = Math.abs(error);
    this.sum += Math.abs(error);
    this.count++;
  }

  at(t: number): number {
    if (this.count === 0 || !(this.sum > 0)) return 1;
    const overall = this.sum / this.count;
    const step = Math.floor(t / this.stepMs);
    let s = 0;
    let n = 0;
    for (let k = 1; k <= this.periods; k++) {
      const centre = step - k * this.periodSteps;
      for (let j = -this.halfWidth; j <= this.halfWidth; j++) {
        const v = this.ring[this.slot(centre + j)]!;
        if (Number.isFinite(v)) {
          s += v;
          n++;
        }
      }
    }
    if (n === 0) return 1;
    return Math.max(this.floorFraction, s / n / overall);
  }
}
