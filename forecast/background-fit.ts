/**
 * The refit a GroupForecaster has running on a fitter (the agent's fit worker): at most one at a
 * time; its outcome waits here until the forecaster installs it at its next call, so all of the
 * forecaster's state changes still happen inside its own synchronous methods. `discard` forgets a
 * running fit (after a backfill its history is stale): its late outcome lands nowhere.
 */
import { ConformalBands } from './conformal.js';
import { type ErrorScale, SeasonalErrorScale } from './error-scale.js';
import type { FitOutcome, FitRequest, FitResult, Fitter } from './fit-job.js';
import { restoreModel, restoreObject } from './model-state.js';

/** Bands the worker seeded, and the error scale when seeding changed it. */
export interface SeededBands {
  readonly bands: ConformalBands;
  readonly errorScale?: ErrorScale;
}

/** A fit that came back, restored in this thread (with its seeded bands), or why there is none. */
export type Landed<C> =
  | { readonly context: C; readonly fit: FitOutcome; readonly bands?: SeededBands }
  | { readonly context: C; readonly error: string };

interface Slot<C> {
  readonly context: C;
  readonly request: FitRequest;
  outcome?: { readonly result: FitResult } | { readonly error: string };
}

export class BackgroundFit<C> {
  private running?: Slot<C>;

  /** A fit is running, or has landed and waits to be taken. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Starts a fit; `context` comes back with its outcome (what installing it needs). */
  start(fitter: Fitter, request: FitRequest, context: C): void {
    const slot: Slot<C> = { context, request };
    this.running = slot;
    let promise: Promise<FitResult>;
    try {
      promise = fitter.fit(request);
    } catch (err) {
      promise = Promise.reject(err as Error);
    }
    promise.then(
      (result) => (slot.outcome = { result }),
      (err: unknown) => (slot.outcome = { error: err instanceof Error ? err.message : String(err) }),
    );
  }

  /** The landed outcome, once; undefined while running or idle. */
  take(): Landed<C> | undefined {
    const slot = this.running;
    if (!slot?.outcome) return undefined;
    this.running = undefined;
    const { context, outcome, request } = slot;
    if ('error' in outcome) return { context, error: outcome.error };
    try {
      return { context, ...restore(request, outcome.result) };
    } catch (err) {
      return { context, error: `fit result could not be restored: ${(err as Error).message}` };
    }
  }

  discard(): void {
    this.running = undefined;
  }
}

function restore(request: FitRequest, result: FitResult): { fit: FitOutcome; bands?: SeededBands } {
  const { modelState, bands: seeded, ...summary } = result;
  const model = restoreModel(summary.blend, modelState, { tuneHorizonSteps: request.tuneHorizonSteps });
  const fit: FitOutcome = { ...summary, model };
  if (!seeded || !request.bands) return { fit };
  const bands = restoreObject(new ConformalBands(request.bands.options), seeded.bands);
  const stepMs = request.history.stepMs;
  const errorScale = seeded.errorScale
    ? restoreObject(new SeasonalErrorScale({ stepMs }), seeded.errorScale)
    : undefined;
  return { fit, bands: { bands, ...(errorScale ? { errorScale } : {}) } };
}
