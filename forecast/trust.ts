/**
 * Whether a group's forecast may drive scaling right now. Untrusted when its recent out-of-sample
 * error (MASE) is above the bound, when actuals have persistently left the band (a level shift the
 * model has not caught up with), or when its errors show a changepoint. Each check clears by
 * itself once recent behaviour is normal again.
 */
import { ValueRing } from './models/common.js';
import { BandExitTracker, type ResidualShift, detectResidualShift } from './level-shift.js';

export interface TrustOptions {
  readonly maxTrustedError: number;
  /** Horizon errors averaged into the recent error. */
  readonly recentSteps: number;
  /** A changepoint this many steps old or newer counts. */
  readonly changepointRecentSteps: number;
  /** One-step residuals examined for changepoints. */
  readonly changepointWindow: number;
  /** Run the (WASM) changepoint detector every this many steps. */
  readonly changepointEverySteps?: number;
  /** Horizon errors needed before the recent error is judged. */
  readonly minErrors?: number;
  /** Recent horizon outcomes examined for band exits (default 15); 80% on one side is a shift. */
  readonly bandExitWindow?: number;
}

export interface TrustVerdict {
  readonly trusted: boolean;
  readonly reason?: string;
}

export interface HorizonOutcome {
  readonly actual: number;
  readonly forecast: number;
  /** Band at that horizon, as error quantiles (lower < 0 < upper, usually). */
  readonly lowerError: number;
  readonly upperError: number;
}

export class TrustMonitor {
  private errors: ValueRing;
  private readonly residuals: ValueRing;
  private readonly exits: BandExitTracker;
  private shift?: ResidualShift;
  private sinceCheck = 0;
  private scale = NaN;

  constructor(readonly opts: TrustOptions) {
    this.errors = new ValueRing(opts.recentSteps);
    this.residuals = new ValueRing(opts.changepointWindow);
    const window = opts.bandExitWindow ?? 15;
    this.exits = new BandExitTracker(window, Math.ceil(0.8 * window));
  }

  /** Recent mean absolute error at the trust horizon over the MASE scale. */
  get recentError(): number | undefined {
    if (this.errors.length < (this.opts.minErrors ?? 10) || !(this.scale > 0)) return undefined;
    let s = 0;
    for (let i = 0; i < this.errors.length; i++) s += this.errors.get(i);
    return s / this.errors.length / this.scale;
  }

  /** Forget horizon errors (after a refit the model is new); the scale comes with the new fit. */
  resetErrors(scale: number): void {
    this.errors = new ValueRing(this.opts.recentSteps);
    this.scale = scale;
  }

  /** An actual compared with the forecast made `horizon` steps before it. */
  recordHorizonError(error: number): void {
    if (Number.isFinite(error)) this.errors.push(Math.abs(error));
  }

  recordHorizon(o: HorizonOutcome): void {
    this.recordHorizonError(o.actual - o.forecast);
    this.exits.record(o.actual, o.forecast + o.lowerError, o.forecast + o.upperError);
  }

  recordOneStep(residual: number): void {
    if (!Number.isFinite(residual)) return;
    this.residuals.push(residual);
    if (++this.sinceCheck < (this.opts.changepointEverySteps ?? 5)) return;
    this.sinceCheck = 0;
    const values = new Float64Array(this.residuals.length);
    for (let i = 0; i < values.length; i++) values[i] = this.residuals.get(i);
    this.shift = detectResidualShift(values, this.opts.changepointRecentSteps);
  }

  /** The most specific reason first: a shift explains a high error, not the other way round. */
  verdict(): TrustVerdict {
    const side = this.exits.persistentSide();
    if (side !== undefined) {
      return {
        trusted: false,
        reason: `level shift: demand persistently ${side} the forecast band (${this.exits.threshold} or more of the last ${this.exits.window} steps)`,
      };
    }
    if (this.shift) {
      const ago = this.residuals.length - this.shift.at;
      return {
        trusted: false,
        reason: `changepoint in forecast errors ${ago} steps ago (mean error ${this.shift.sigmas.toFixed(1)} sigma)`,
      };
    }
    const err = this.recentError;
    if (err !== undefined && err > this.opts.maxTrustedError) {
      return {
        trusted: false,
        reason: `recent error too high: MASE ${err.toFixed(2)} above the bound ${this.opts.maxTrustedError}`,
      };
    }
    return { trusted: true };
  }
}
