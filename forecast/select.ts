/**
 * Automatic model choice per series: every candidate is fit on the history minus a recent
 * validation window, then rolled through that window one step at a time (cheap updates, a forecast
 * at every origin), exactly as it would run live. The candidate, or equal-weight blend of
 * candidates, with the lowest error at the horizon wins, and is refit on the whole history.
 */
import { DAY_MS, sliceSeries } from './series.js';
import { type Combine, EnsembleModel, combineValues } from './models/ensemble.js';
import type { ModelOptions } from './models/common.js';
import { modelSpec } from './models/registry.js';
import type { Model, PointForecast, Series } from './types.js';

/** Models auto picks from alone or in mean blends. */
export const AUTO_CANDIDATES: readonly string[] = ['seasonal-persistence', 'holt-winters', 'mstl'];
/** Extra members of the median blend (never chosen alone: they are the baselines to beat). */
export const MEDIAN_EXTRAS: readonly string[] = [
  'persistence',
  'seasonal-naive-daily',
  'seasonal-naive-weekly',
];

export interface Blend {
  readonly members: readonly string[];
  readonly combine: Combine;
}

export interface SelectionOptions {
  readonly horizonSteps: number;
  readonly candidates?: readonly string[];
  /** Also try the median of the candidates and these (default MEDIAN_EXTRAS; [] turns it off). */
  readonly medianExtras?: readonly string[];
  /** Validation window at the end of the history (default min(3 days, a quarter of it)). */
  readonly validationSteps?: number;
  /** Also return the chosen blend's validation errors per horizon step (to seed bands). */
  readonly collectErrors?: boolean;
  /** Steps forecast from each validation origin (default horizonSteps; errors cover them all). */
  readonly pathSteps?: number;
}

export interface CandidateScore {
  /** blendName(): a model name, `a+b` for a mean blend, `median(a,b,...)` for a median. */
  readonly name: string;
  readonly meanAbsError: number;
}

export interface Selection {
  readonly chosen: string;
  readonly blend: Blend;
  /** Best first. */
  readonly scores: readonly CandidateScore[];
  readonly validationSteps: number;
  /** errors[h-1][k]: actual - forecast at step h from the k-th validation origin (NaN if unknown). */
  readonly errors?: readonly Float64Array[];
}

export function blendName(b: Blend): string {
  if (b.members.length === 1) return b.members[0]!;
  return b.combine === 'mean' ? b.members.join('+') : `median(${b.members.join(',')})`;
}

export function validationSteps(historySteps: number, stepMs: number): number {
  return Math.min(Math.max(Math.round((3 * DAY_MS) / stepMs), 300), Math.floor(historySteps / 4));
}

export function selectModel(history: Series, opts: SelectionOptions): Selection {
  const n = history.values.length;
  const h = opts.horizonSteps;
  const v = opts.validationSteps ?? validationSteps(n, history.stepMs);
  const candidates = known(opts.candidates ?? AUTO_CANDIDATES);
  if (candidates.length === 0) throw new RangeError('no known candidate models to select from');
  const single: Blend = { members: [candidates[0]!], combine: 'mean' };
  if (v < h + 1) return { chosen: blendName(single), blend: single, scores: [], validationSteps: 0 };
  const trainMs = (n - v) * history.stepMs;
  const extras = known(opts.medianExtras ?? MEDIAN_EXTRAS).filter(
    (e) => modelSpec(e)!.minHistoryMs <= trainMs,
  );
  const names = [...candidates, ...extras.filter((e) => !candidates.includes(e))];
  const train = sliceSeries(history, 0, n - v);
  const y = history.values.subarray(n - v);
  const len = Math.max(h, opts.pathSteps ?? h);
  // paths[name][k * len + j]: the forecast from validation origin k for step j + 1.
  const paths = new Map(
    names.map((name) => [name, rollThrough(modelSpec(name)!.create({ tuneHorizonSteps: h }), train, y, len)]),
  );
  const scored = candidateBlends(candidates, extras).map((blend) => ({
    blend,
    name: blendName(blend),
    meanAbsError: blendError(paths, blend, y, h, len),
  }));
  scored.sort((a, b) => a.meanAbsError - b.meanAbsError);
  const best = scored[0]!;
  return {
    chosen: best.name,
    blend: best.blend,
    scores: scored.map(({ name, meanAbsError }) => ({ name, meanAbsError })),
    validationSteps: v,
    ...(opts.collectErrors ? { errors: blendErrors(paths, best.blend, y, len) } : {}),
  };
}

/** Builds the (fresh, unfitted) model for a blend. */
export function modelFor(blend: Blend, opts: ModelOptions, name = blendName(blend)): Model {
  const models = blend.members.map((m) => {
    const spec = modelSpec(m);
    if (!spec) throw new RangeError(`unknown model "${m}"`);
    return spec.create(opts);
  });
  return models.length === 1 ? models[0]! : new EnsembleModel(name, models, blend.combine);
}

/** `auto`: re-selects at every fit; `chosen` says what it runs. */
export class AutoModel implements Model {
  readonly name = 'auto';
  chosen?: string;
  selection?: Selection;
  private inner?: Model;

  constructor(private readonly opts: { horizonSteps: number; candidates?: readonly string[] }) {}

  fit(history: Series): void {
    this.selection = selectModel(history, {
      horizonSteps: this.opts.horizonSteps,
      candidates: this.opts.candidates,
    });
    this.chosen = this.selection.chosen;
    this.inner = modelFor(this.selection.blend, { tuneHorizonSteps: this.opts.horizonSteps });
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

function known(names: readonly string[]): string[] {
  return names.filter((c) => modelSpec(c) !== undefined);
}

/** Each candidate alone, mean blends of two or three, and the median of everything. */
function candidateBlends(candidates: readonly string[], extras: readonly string[]): Blend[] {
  const out: Blend[] = [];
  for (let mask = 1; mask < 1 << candidates.length; mask++) {
    const members = candidates.filter((_, i) => mask & (1 << i));
    if (members.length <= 3) out.push({ members, combine: 'mean' });
  }
  if (extras.length > 0) out.push({ members: [...candidates, ...extras], combine: 'median' });
  return out;
}

function blendAt(paths: Map<string, Float32Array>, blend: Blend, idx: number, scratch: Float64Array): number {
  blend.members.forEach((m, k) => (scratch[k] = paths.get(m)![idx]!));
  return combineValues(scratch, blend.combine);
}

function blendError(
  paths: Map<string, Float32Array>,
  blend: Blend,
  y: Float64Array,
  h: number,
  len: number,
): number {
  const scratch = new Float64Array(blend.members.length);
  let sum = 0;
  let count = 0;
  for (let k = 0; k + h - 1 < y.length; k++) {
    const e = y[k + h - 1]! - blendAt(paths, blend, k * len + h - 1, scratch);
    if (Number.isFinite(e)) {
      sum += Math.abs(e);
      count++;
    }
  }
  return count > 0 ? sum / count : Number.POSITIVE_INFINITY;
}

function blendErrors(
  paths: Map<string, Float32Array>,
  blend: Blend,
  y: Float64Array,
  len: number,
): Float64Array[] {
  const scratch = new Float64Array(blend.members.length);
  return Array.from({ length: len }, (_, j) => {
    const errs = new Float64Array(y.length).fill(NaN);
    for (let k = 0; k + j < y.length; k++) errs[k] = y[k + j]! - blendAt(paths, blend, k * len + j, scratch);
    return errs;
  });
}
