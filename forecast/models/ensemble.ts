/** Equal-weight mean of several models: forecast combinations are hard to beat and cheap to run. */
import type { Model, PointForecast, Series } from '../types.js';

export class EnsembleModel implements Model {
  constructor(
    readonly name: string,
    readonly members: readonly Model[],
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
    const point = new Float64Array(horizonSteps);
    for (const m of this.members) {
      const p = m.forecast(horizonSteps).point;
      for (let h = 0; h < horizonSteps; h++) point[h]! += p[h]! / this.members.length;
    }
    return { point };
  }
}
