import { describe, expect, it } from 'vitest';
import { MODEL_NAMES, createModel } from '../catalog.js';
import { DAY_MS, MINUTE_MS, sliceSeries } from '../series.js';
import { syntheticDemand, syntheticValue, type SyntheticOptions } from '../testing/synthetic.js';
import type { Series } from '../types.js';
import { PersistenceModel } from './persistence.js';
import { SeasonalNaiveModel } from './seasonal-naive.js';

const STEP = 15 * MINUTE_MS;
const PER_DAY = DAY_MS / STEP;
// Monday 2024-01-01 onwards: daily sine (amplitude 10), a 6-node dip on weekends, noise sd 1.
const SHAPE: SyntheticOptions = {
  days: 21,
  stepMs: STEP,
  base: 20,
  dailyAmplitude: 10,
  weekendDip: 6,
  noise: 1,
  seed: 7,
};
const series = syntheticDemand(SHAPE);

/** Mean absolute error of a one-day-ahead forecast against the noise-free truth. */
function dayAheadError(model: string, history: Series): number {
  const m = createModel(model, 2);
  m.fit(history);
  const f = m.forecast(PER_DAY).point;
  let sum = 0;
  for (let i = 0; i < PER_DAY; i++) {
    const t = history.start + (history.values.length + i) * STEP;
    sum += Math.abs(f[i]! - syntheticValue(SHAPE, t));
  }
  return sum / PER_DAY;
}

const upToThursday = sliceSeries(series, 0, 17 * PER_DAY);
const upToSaturday = sliceSeries(series, 0, 19 * PER_DAY);
const SEASONAL = MODEL_NAMES.filter((m) => m !== 'persistence');

describe('models recover known seasonality', () => {
  const naive = dayAheadError('persistence', upToThursday);

  it('persistence (the naive) is far off a day ahead', () => {
    expect(naive).toBeGreaterThan(4);
  });

  it.each(SEASONAL)('%s forecasts a weekday within a quarter of the naive error', (name) => {
    const err = dayAheadError(name, upToThursday);
    expect(err).toBeLessThan(0.25 * naive);
  });

  it.each(['seasonal-naive-weekly', 'mstl'])('%s sees the weekend dip coming', (name) => {
    const weekly = dayAheadError(name, upToSaturday);
    const daily = dayAheadError('seasonal-naive-daily', upToSaturday);
    expect(daily).toBeGreaterThan(4);
    expect(weekly).toBeLessThan(0.5 * daily);
  });

  it('seasonal-persistence and holt-winters track a 30-minute horizon far better than persistence', () => {
    // Roll through Thursday and Friday: forecast 2 steps ahead, then update with the actual.
    const results = ['persistence', 'seasonal-persistence', 'holt-winters'].map((name) => {
      const m = createModel(name, 2);
      const start = 17 * PER_DAY;
      m.fit(sliceSeries(series, 0, start));
      let sum = 0;
      for (let i = start; i + 1 < start + 2 * PER_DAY; i++) {
        sum += Math.abs(m.forecast(2).point[1]! - series.values[i + 1]!);
        m.update(series.values[i]!);
      }
      return sum;
    });
    expect(results[1]).toBeLessThan(0.7 * results[0]!);
    expect(results[2]).toBeLessThan(0.7 * results[0]!);
  });
});

describe('model mechanics', () => {
  it('persistence repeats the last value and follows updates', () => {
    const m = new PersistenceModel();
    m.fit({ start: 0, stepMs: STEP, values: Float64Array.from([1, 2, 3]) });
    expect(Array.from(m.forecast(2).point)).toEqual([3, 3]);
    m.update(7);
    m.update(NaN);
    expect(Array.from(m.forecast(1).point)).toEqual([7]);
  });

  it('seasonal naive repeats the last season, shifting with updates', () => {
    const m = new SeasonalNaiveModel('three-step', 3 * STEP);
    m.fit({ start: 0, stepMs: STEP, values: Float64Array.from([9, 1, 2, 3]) });
    expect(Array.from(m.forecast(4).point)).toEqual([1, 2, 3, 1]);
    m.update(4);
    expect(Array.from(m.forecast(3).point)).toEqual([2, 3, 4]);
  });

  it.each(MODEL_NAMES)('%s imputes a missing update and keeps forecasting finite values', (name) => {
    const m = createModel(name, 2);
    m.fit(sliceSeries(series, 0, 15 * PER_DAY));
    m.update(NaN);
    m.update(series.values[15 * PER_DAY + 1]!);
    expect(Array.from(m.forecast(8).point).every(Number.isFinite)).toBe(true);
  });

  it.each(MODEL_NAMES)('%s fits a history shorter than a day without failing', (name) => {
    const m = createModel(name, 2);
    m.fit(sliceSeries(series, 0, 12));
    expect(Array.from(m.forecast(4).point).every(Number.isFinite)).toBe(true);
  });
});
