/**
 * Forecast combinations, cheap to run and hard to beat: the equal-weight mean of members, or their
 * median, which ignores a member that is off (useful on noisy count series scored by MAE).
 */
import type { Model, PointForecast, Series } from '../types.js';

export type Combine = 'mean' | 'median';

export class EnsembleModel implements Model {
  constructor(
    readonly name: string,
    readonly members: readonly Model[],
    readonly combine: Combine = 'mean',
  ) {
    if (members.length === 0) throw new RangeError('an ensemble needs at least one member');
  }

  fit(history: Series): void {
    for (const m of this.members) m.fit(history);
  }

  update(value: number): void {
    for (const m of this.members) m.update(value);
  }

  forecast(horizonSteps: number): PointForecast {
    const paths = this.members.map((m) => m.forecast(horizonSteps).point);
    const point = new Float64Array(horizonSteps);
    const column = new Float64Array(paths.length);
    for (let h = 0; h < horizonSteps; h++) {
      for (let k = 0; k < paths.length; k++) column[k] = paths[k]![h]!;
      point[h] = combineValues(column, this.combine);
    }
    return { point };
  }
}

export function combineValues(values: Float64Array, how: Combine): number {
  if (how === 'mean') {
    let s = 0;
    for (const v of values) s += v;
    return s / values.length;
  }
  values.sort();
  const m = values.length;
  return m % 2 === 1 ? values[(m - 1) / 2]! : (values[m / 2 - 1]! + values[m / 2]!) / 2;
}
