/** Tomorrow looks like now: the last observed value, flat. Strong at short horizons. */
import type { Model, PointForecast, Series } from '../types.js';
import { lastFinite } from './common.js';

export class PersistenceModel implements Model {
  readonly name = 'persistence';
  private last = NaN;

  fit(history: Series): void {
    this.last = lastFinite(history.values, NaN);
  }

  update(value: number): void {
    if (Number.isFinite(value)) this.last = value;
  }

  forecast(horizonSteps: number): PointForecast {
    return { point: new Float64Array(horizonSteps).fill(this.last) };
  }
}
