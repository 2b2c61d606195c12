/**
 * The expensive part of a GroupForecaster refit, as functions of plain data: choose the model on
 * rolling-origin validation, fit the chosen blend on the whole history, and (in the worker) seed
 * its bands from the validation errors. The same code runs in-process (simulator, tests:
 * synchronous and deterministic) and in the agent's fit worker, whose result crosses the thread
 * boundary by structured clone.
 */
import { type BandSeeding, seedBands } from './band-seeding.js';
import { SeasonalErrorScale, UNIT_SCALE } from './error-scale.js';
import {
  type InstanceState,
  type ModelState,
  modelState,
  objectState,
  restoreObject,
} from './model-state.js';
import { type Blend, blendName, modelFor, selectModel } from './select.js';
import type { Model, Series } from './types.js';

export interface FitRequest {
  /** History to fit on, gaps already filled. */
  readonly history: Series;
  /** Horizon the choice is scored at (steps). */
  readonly horizonSteps: number;
  /** Steps forecast from each validation origin; the returned errors cover them all. */
  readonly pathSteps: number;
  readonly candidates: readonly string[];
  readonly medianExtras?: readonly string[];
  /** Horizon the chosen models tune their parameters for (steps). */
  readonly tuneHorizonSteps: number;
  /** Seed bands too (runFit only), reading this error scale (a SeasonalErrorScale; absent: unit). */
  readonly bands?: BandSeeding & { readonly errorScale?: InstanceState };
}

interface FitSummary {
  readonly blend: Blend;
  readonly modelName: string;
  /** errors[h-1][k]: the chosen blend's validation error at step h from origin k (empty if none). */
  readonly errors: readonly Float64Array[];
}

/** What the in-process path keeps: the fitted model itself. */
export interface FitOutcome extends FitSummary {
  readonly model: Model;
}

/** What crosses a worker boundary: the fitted model as plain, cloneable state. */
export interface FitResult extends FitSummary {
  readonly modelState: ModelState;
  /** Seeded bands (ConformalBands state) and the error scale when seeding changed it. */
  readonly bands?: { readonly bands: InstanceState; readonly errorScale?: InstanceState };
}

/** Runs fits elsewhere (the agent's WorkerFitter), resolving to what runFit returns. */
export interface Fitter {
  fit(request: FitRequest): Promise<FitResult>;
}

/** Selects and fits in-process; throws what selection or the fit throws. */
export function fitBlend(request: FitRequest): FitOutcome {
  const selection = selectModel(request.history, {
    horizonSteps: request.horizonSteps,
    candidates: request.candidates,
    ...(request.medianExtras ? { medianExtras: request.medianExtras } : {}),
    collectErrors: true,
    pathSteps: request.pathSteps,
  });
  const model = modelFor(selection.blend, { tuneHorizonSteps: request.tuneHorizonSteps });
  model.fit(request.history);
  return {
    blend: selection.blend,
    modelName: blendName(selection.blend),
    errors: selection.errors ?? [],
    model,
  };
}

/** fitBlend with the model snapshotted and bands seeded when asked, for the fit worker. */
export function runFit(request: FitRequest): FitResult {
  const { model, ...summary } = fitBlend(request);
  const seeding = request.bands;
  if (!seeding) return { ...summary, modelState: modelState(model) };
  const { history } = request;
  const scale = seeding.errorScale
    ? restoreObject(new SeasonalErrorScale({ stepMs: history.stepMs }), seeding.errorScale)
    : UNIT_SCALE;
  const bands = seedBands(summary.errors, history, scale, seeding);
  const scaleChanged = seeding.seedScale && scale !== UNIT_SCALE;
  return {
    ...summary,
    modelState: modelState(model),
    bands: { bands: objectState(bands), ...(scaleChanged ? { errorScale: objectState(scale) } : {}) },
  };
}
