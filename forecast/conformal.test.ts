import { describe, expect, it } from 'vitest';
import { backtest } from './backtest.js';
import { ConformalBands } from './conformal.js';
import { createModel } from './catalog.js';
import { DAY_MS, MINUTE_MS } from './series.js';
import { gaussian, syntheticDemand } from './testing/synthetic.js';

describe('ConformalBands', () => {
  it('a p90 band from past errors covers about 90% of new ones', () => {
    const bands = new ConformalBands({ horizonSteps: 1, window: 500, gamma: 0 });
    const draw = gaussian(3);
    for (let i = 0; i < 500; i++) bands.record(1, draw());
    let covered = 0;
    for (let i = 0; i < 4000; i++) if (draw() <= bands.errorQuantile(1, 0.9)!) covered++;
    expect(covered / 4000).toBeGreaterThan(0.87);
    expect(covered / 4000).toBeLessThan(0.93);
  });

  it('the adaptive level brings coverage back after the errors grow', () => {
    const run = (gamma: number): number => {
      const bands = new ConformalBands({ horizonSteps: 1, window: 2000, gamma });
      const draw = gaussian(5);
      for (let i = 0; i < 2000; i++) bands.record(1, draw());
      // Errors now twice as large: the old window alone under-covers for a long while.
      let covered = 0;
      for (let i = 0; i < 1000; i++) {
        const e = 2 * draw();
        if (e <= bands.errorQuantile(1, 0.9)!) covered++;
        bands.record(1, e);
      }
      return covered / 1000;
    };
    expect(run(0)).toBeLessThan(0.8);
    expect(run(0.02)).toBeGreaterThan(run(0) + 0.05);
  });

  it('orders quantiles, widens with the horizon it borrows from, and waits for data', () => {
    const bands = new ConformalBands({ horizonSteps: 4, window: 100, minSamples: 20 });
    expect(bands.bands(Float64Array.from([1, 1, 1, 1]), 'm')).toBeUndefined();
    const draw = gaussian(9);
    for (let i = 0; i < 100; i++) bands.record(1, draw());
    const f = bands.bands(Float64Array.from([10, 10, 10, 10]), 'm')!;
    const [lo, mid, hi] = [0.1, 0.5, 0.9].map((q) => f.quantiles.get(q)!);
    for (let h = 0; h < 4; h++) expect(lo![h]! < mid![h]! && mid![h]! < hi![h]!).toBe(true);
    // Step 4 has no errors of its own: it borrows step 1's, widened by sqrt(4).
    expect(hi![3]! - 10).toBeCloseTo(2 * (hi![0]! - 10), 6);
  });
});

describe('band coverage in a backtest', () => {
  it('p90 coverage on a noisy seasonal series lands near 90%', () => {
    const series = syntheticDemand({ days: 10, stepMs: 15 * MINUTE_MS, noise: 2, weekendDip: 4, seed: 11 });
    const r = backtest(series, () => createModel('seasonal-persistence', 2), {
      horizonSteps: 2,
      warmupSteps: (4 * DAY_MS) / (15 * MINUTE_MS),
    });
    expect(r.points).toBeGreaterThan(400);
    expect(r.coverageP90).toBeGreaterThan(0.85);
    expect(r.coverageP90).toBeLessThan(0.95);
  });
});
