import { describe, expect, it } from 'vitest';
import { backtest, defaultWarmup, horizonToSteps } from './backtest.js';
import { createModel } from './catalog.js';
import { seasonalNaiveScale, smapeTerm } from './metrics.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, makeSeries } from './series.js';
import { syntheticDemand } from './testing/synthetic.js';
import type { Model, Series } from './types.js';

const STEP = 30 * MINUTE_MS;
const PER_DAY = DAY_MS / STEP;

describe('backtest', () => {
  const series = syntheticDemand({ days: 8, stepMs: STEP, noise: 1, seed: 2 });

  it('scores persistence exactly as computed by hand', () => {
    const warm = 4 * PER_DAY;
    const r = backtest(series, () => createModel('persistence', 1), {
      horizonSteps: 1,
      warmupSteps: warm,
      burnInSteps: PER_DAY,
    });
    const y = series.values;
    let abs = 0;
    let smape = 0;
    let n = 0;
    for (let i = warm + PER_DAY; i < y.length; i++) {
      abs += Math.abs(y[i]! - y[i - 1]!);
      smape += smapeTerm(y[i]!, y[i - 1]!);
      n++;
    }
    expect(r.points).toBe(n);
    expect(r.mase).toBeCloseTo(abs / n / seasonalNaiveScale(y, STEP, warm), 9);
    expect(r.smape).toBeCloseTo(smape / n, 9);
    expect(r.model).toBe('persistence');
  });

  it('never lets a model see the value it is forecasting', () => {
    let seen = 0;
    let fits = 0;
    const peek: Model = {
      name: 'peek',
      fit(h) {
        fits++;
        seen = h.values.length;
        expect(h.values[seen - 1]).toBe(series.values[seen - 1]);
      },
      update(v) {
        expect(v).toBe(series.values[seen]);
        seen++;
      },
      // Reads the future from the test's copy: exact only if step j + 1 really is index seen + j.
      forecast: (h) => ({
        point: Float64Array.from({ length: h }, (_, j) => series.values[seen + j] ?? NaN),
      }),
    };
    const r = backtest(series, () => peek, {
      horizonSteps: 3,
      warmupSteps: 4 * PER_DAY,
      refitEverySteps: PER_DAY,
    });
    expect(fits).toBe(4);
    // Fits and updates only ever carried values before the origin (checked above), and the
    // forecast for origin + 3 was scored against index origin + 2: the oracle is exact.
    expect(r.points).toBeGreaterThan(100);
    expect(r.mase).toBe(0);
  });

  it('skips missing actuals when scoring and scores all models on the same points', () => {
    const holes = Float64Array.from(series.values);
    holes.fill(NaN, 6 * PER_DAY, 6 * PER_DAY + 10);
    const s = makeSeries(series.start, STEP, holes);
    const opts = { horizonSteps: 2, warmupSteps: 4 * PER_DAY };
    const a = backtest(s, () => createModel('persistence', 2), opts);
    const b = backtest(s, () => createModel('seasonal-persistence', 2), opts);
    expect(a.points).toBe(b.points);
    expect(a.points).toBe(8 * PER_DAY - 5 * PER_DAY - 1 - 10);
    expect(Number.isFinite(b.mase)).toBe(true);
  });

  it('reports the choices of auto', () => {
    const r = backtest(series, () => createModel('auto', 1), { horizonSteps: 1, warmupSteps: 5 * PER_DAY });
    const total = Object.values(r.choices ?? {}).reduce((a, b) => a + b, 0);
    expect(total).toBe(3);
  });
});

describe('layout helpers', () => {
  it('rounds the horizon up to whole steps', () => {
    expect(horizonToSteps(30 * MINUTE_MS, 5 * MINUTE_MS)).toBe(6);
    expect(horizonToSteps(30 * MINUTE_MS, HOUR_MS)).toBe(1);
    expect(horizonToSteps(31 * MINUTE_MS, 30 * MINUTE_MS)).toBe(2);
  });

  it('puts the first origin half-way, between two and fourteen days', () => {
    const days = (d: number): Series => makeSeries(0, HOUR_MS, new Float64Array(d * 24));
    expect(defaultWarmup(days(3))).toBe(48);
    expect(defaultWarmup(days(10))).toBe(120);
    expect(defaultWarmup(days(90))).toBe(14 * 24);
  });
});
