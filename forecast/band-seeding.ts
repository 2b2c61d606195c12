/**
 * A fresh model's bands and trust error, calibrated from its validation errors so it has bands
 * before it has live errors; error k at step j + 1 targeted history index (n - v) + k + j. Band
 * seeding is a refit's second most expensive part (every validation error at every horizon step:
 * 60 x 4,320 at 60 s steps, about 0.4 s), so the agent runs it in the fit worker with the fit;
 * the simulator runs the same function in-process.
 */
import { ConformalBands, type ConformalOptions } from './conformal.js';
import type { ErrorScale } from './error-scale.js';
import type { TrustMonitor } from './trust.js';
import type { Series } from './types.js';

export interface BandSeeding {
  /** The forecaster's band options. */
  readonly options: ConformalOptions;
  /** Horizon the trust error and error scale are measured at (steps). */
  readonly selectionHorizon: number;
  /** Also seed the error scale (the first fit after start or a backfill). */
  readonly seedScale: boolean;
}

/** New bands seeded with `errors` (and the error scale first, when asked: it is mutated). */
export function seedBands(
  errors: readonly Float64Array[],
  history: Series,
  errorScale: ErrorScale,
  o: BandSeeding,
): ConformalBands {
  const bands = new ConformalBands(o.options);
  const h = o.selectionHorizon;
  const validation = errors[0]?.length ?? 0;
  const timeOf = (index: number): number =>
    history.start + (history.values.length - validation + index) * history.stepMs;
  if (o.seedScale) {
    const at = errors[h - 1];
    for (let k = 0; at && k < validation; k++) errorScale.observe(timeOf(k + h - 1), at[k]!);
  }
  for (let k = 0; k < validation; k++)
    errors.forEach((e, j) => bands.record(j + 1, e[k]!, errorScale.at(timeOf(k + j))));
  return bands;
}

/** The trust monitor's horizon errors, from the validation errors at the selection horizon. */
export function seedTrust(
  trust: TrustMonitor,
  errors: readonly Float64Array[],
  selectionHorizon: number,
): void {
  const at = errors[selectionHorizon - 1];
  const validation = errors[0]?.length ?? 0;
  for (let k = 0; k < validation; k++) trust.recordHorizonError(at?.[k] ?? NaN);
}
