/** The value one season ago (a day or a week): the baseline MASE is scaled by. */
import { DAY_MS, WEEK_MS, periodSteps } from '../series.js';
import type { Model, PointForecast, Series } from '../types.js';
import { ValueRing } from './common.js';

export class SeasonalNaiveModel implements Model {
  private ring = new ValueRing(1);
  private period = 1;

  constructor(
    readonly name: string,
    private readonly periodMs: number,
  ) {}

  fit(history: Series): void {
    this.period = Math.max(1, periodSteps(history.stepMs, this.periodMs));
    this.ring = new ValueRing(this.period);
    const v = history.values;
    // Before a full season exists, the missing part repeats the oldest value we have.
    const first = v.length > 0 ? v[Math.max(0, v.length - this.period)]! : NaN;
    for (let i = v.length; i < this.period; i++) this.ring.push(first);
    for (let i = Math.max(0, v.length - this.period); i < v.length; i++) this.push(v[i]!);
  }

  update(value: number): void {
    this.push(value);
  }

  forecast(horizonSteps: number): PointForecast {
    const point = new Float64Array(horizonSteps);
    for (let h = 0; h < horizonSteps; h++) point[h] = this.ring.get(h % this.period);
    return { point };
  }

  private push(value: number): void {
    // A missing value is imputed by the model's own forecast for it: the value a season ago.
    const v = Number.isFinite(value) ? value : this.ring.length > 0 ? this.ring.get(0) : NaN;
    this.ring.push(v);
  }
}

export const dailySeasonalNaive = (): Model => new SeasonalNaiveModel('seasonal-naive-daily', DAY_MS);
export const weeklySeasonalNaive = (): Model => new SeasonalNaiveModel('seasonal-naive-weekly', WEEK_MS);
