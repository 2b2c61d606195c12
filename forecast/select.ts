/**
 * Automatic model choice per series: every candidate is fit on the history minus a recent
 * validation window, then rolled through that window one step at a time (cheap updates, a forecast
 * at every origin), exactly as it would run live. The candidate, or equal-weight blend of
 * candidates, with the lowest error at the horizon wins, and is refit on the whole history.
 */
import { DAY_MS, sliceSeries } from './series.js';
import { EnsembleModel } from './models/ensemble.js';
import type { ModelOptions } from './models/common.js';
import { modelSpec } from './models/registry.js';
import type { Model, PointForecast, Series } from './types.js';

export const AUTO_CANDIDATES: readonly string[] = (process.env.AUTO_CANDS ?? 'seasonal-persistence,holt-winters,mstl').split(',');

export interface SelectionOptions {
  readonly horizonSteps: number;
  readonly candidates?: readonly string[];
  /** Validation window at the end of the history (default min(3 days, a quarter of it)). */
  readonly validationSteps?: number;
  /** Also return the chosen blend's validation errors per horizon step (to seed bands). */
  readonly collectErrors?: boolean;
}

export interface CandidateScore {
  /** A model name, or names joined with `+` for an equal-weight blend. */
  readonly name: string;
  readonly meanAbsError: number;
}

export interface Selection {
  readonly chosen: string;
  readonly members: readonly string[];
  /** Best first. */
  readonly scores: readonly CandidateScore[];
  readonly validationSteps: number;
  /** errors[h-1][k]: actual - forecast at step h for the k-th validation origin (NaN if unknown). */
  readonly errors?: readonly Float64Array[];
}

export function validationSteps(historySteps: number, stepMs: number): number {
  return Math.min(Math.round((3 * DAY_MS) / stepMs), Math.floor(historySteps / 4));
}

export function selectModel(history: Series, opts: SelectionOptions): Selection {
  const n = history.values.length;
  const h = opts.horizonSteps;
  const v = opts.validationSteps ?? validationSteps(n, history.stepMs);
  const names = (opts.candidates ?? AUTO_CANDIDATES).filter((c) => modelSpec(c) !== undefined);
  if (names.length === 0) throw new RangeError('no known candidate models to select from');
  if (v < h + 1 || names.length === 1) return { chosen: names[0]!, members: [names[0]!], scores: [], validationSteps: 0 };
  const train = sliceSeries(history, 0, n - v);
  const y = history.values.subarray(n - v);
  // paths[c][k * h + j]: candidate c's forecast from validation origin k for step j + 1.
  const paths = names.map((name) => rollThrough(modelSpec(name)!.create({ tuneHorizonSteps: h }), train, y, h));
  const scored = blends(names.length).map((members) => ({
    members,
    name: members.map((m) => names[m]).join('+'),
    meanAbsError: blendError(paths, members, y, h),
  }));
  scored.sort((a, b) => a.meanAbsError - b.meanAbsError);
  const best = scored[0]!;
  return {
    chosen: best.name,
    members: best.members.map((m) => names[m]!),
    scores: scored.map(({ name, meanAbsError }) => ({ name, meanAbsError })),
    validationSteps: v,
    ...(opts.collectErrors ? { errors: blendErrors(paths, best.members, y, h) } : {}),
  };
}

/** Builds the (fresh, unfitted) model for a selection's members. */
export function modelFor(members: readonly string[], opts: ModelOptions, name = members.join('+')): Model {
  const models = members.map((m) => {
    const spec = modelSpec(m);
    if (!spec) throw new RangeError(`unknown model "${m}"`);
    return spec.create(opts);
  });
  return models.length === 1 ? models[0]! : new EnsembleModel(name, models);
}

/** `auto`: re-selects at every fit; `chosen` says what it runs. */
export class AutoModel implements Model {
  readonly name = 'auto';
  chosen?: string;
  selection?: Selection;
  private inner?: Model;

  constructor(private readonly opts: { horizonSteps: number; candidates?: readonly string[] }) {}

  fit(history: Series): void {
    this.selection = selectModel(history, { horizonSteps: this.opts.horizonSteps, candidates: this.opts.candidates });
    this.chosen = this.selection.chosen;
    this.inner = modelFor(this.selection.members, { tuneHorizonSteps: this.opts.horizonSteps });
    this.inner.fit(history);
  }

  update(value: number): void {
    this.inner?.update(value);
  }

  forecast(horizonSteps: number): PointForecast {
    if (!this.inner) throw new Error('auto model used before fit');
    return this.inner.forecast(horizonSteps);
  }
}

function rollThrough(model: Model, train: Series, y: Float64Array, h: number): Float32Array {
  model.fit(train);
  const out = new Float32Array(y.length * h).fill(NaN);
  for (let k = 0; k < y.length; k++) {
    if (k > 0) model.update(y[k - 1]!);
    out.set(model.forecast(h).point, k * h);
  }
  return out;
}

/** Every non-empty subset of up to three candidates (singles, pairs, the triple). */
function blends(count: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << count; mask++) {
    const members = [...Array(count).keys()].filter((i) => mask & (1 << i));
    if (members.length <= 3) out.push(members);
  }
  return out;
}

function blendAt(paths: Float32Array[], members: number[], idx: number): number {
  let s = 0;
  for (const m of members) s += paths[m]![idx]!;
  return s / members.length;
}

function blendError(paths: Float32Array[], members: number[], y: Float64Array, h: number): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k + h - 1 < y.length; k++) {
    const e = y[k + h - 1]! - blendAt(paths, members, k * h + h - 1);
    if (Number.isFinite(e)) {
      sum += Math.abs(e);
      count++;
    }
  }
  return count > 0 ? sum / count : Number.POSITIVE_INFINITY;
}

function blendErrors(paths: Float32Array[], members: number[], y: Float64Array, h: number): Float64Array[] {
  return Array.from({ length: h }, (_, j) => {
    const errs = new Float64Array(y.length).fill(NaN);
    for (let k = 0; k + j < y.length; k++) errs[k] = y[k + j]! - blendAt(paths, members, k * h + j);
    return errs;
  });
}
