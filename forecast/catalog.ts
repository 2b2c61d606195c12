/** Every model the commands and the bench can name, including `auto`. */
import { MODEL_SPECS, modelSpec } from './models/registry.js';
import { AutoModel } from './select.js';
import type { Model } from './types.js';

export const AUTO = 'auto';
export const MODEL_NAMES: readonly string[] = [...MODEL_SPECS.map((s) => s.name), AUTO];
export const BASELINE_NAMES: readonly string[] = MODEL_SPECS.filter((s) => s.baseline).map((s) => s.name);

/** A fresh model by name, tuned for `horizonSteps`; throws listing the valid names when unknown. */
export function createModel(name: string, horizonSteps: number): Model {
  if (name === AUTO) return new AutoModel({ horizonSteps });
  const spec = modelSpec(name);
  if (!spec) throw new RangeError(`unknown model "${name}"; valid models: ${MODEL_NAMES.join(', ')}`);
  return spec.create({ tuneHorizonSteps: horizonSteps });
}

/** History a model needs before it can fit (auto: none, its candidates degrade gracefully). */
export function minHistoryMs(name: string): number {
  return modelSpec(name)?.minHistoryMs ?? 0;
}
