/**
 * Checks against the real series in ../shared/data. A missing file skips its test with a message,
 * except under CI=true, where the files are always present and a missing one fails.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backtest, defaultWarmup, horizonToSteps } from './backtest.js';
import { createModel } from './catalog.js';
import { DAY_MS, MINUTE_MS, observedCount } from './series.js';
import { loadSeriesFile } from './series-csv.js';

const DATA =
  process.env.NODECAST_SERIES_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const CI = process.env.CI === 'true';

const FILES: Record<string, { stepMin: number; days: number }> = {
  'azure-v2-cluster-cpu-5m.csv': { stepMin: 5, days: 30 },
  'nyc-taxi-passengers-30m.csv': { stepMin: 30, days: 215 },
  'nasa-ipsc-job-submissions-1h.csv': { stepMin: 60, days: 92 },
  'aws-elb-requests-5m.csv': { stepMin: 5, days: 14 },
  'alibaba-2018-cluster-cpu-5m.csv': { stepMin: 5, days: 7.8 },
};

function dataTest(file: string, name: string, body: (path: string) => void): void {
  const path = join(DATA, file);
  const present = existsSync(path);
  if (!present && !CI) {
    it.skip(`${name} (skipped: ${path} not found; it is required when CI=true)`, () => undefined);
    return;
  }
  it(name, () => {
    expect(present, `${path} must exist under CI=true`).toBe(true);
    body(path);
  });
}

describe('shared data series', () => {
  for (const [file, expected] of Object.entries(FILES)) {
    dataTest(file, `${file} loads onto a ${expected.stepMin}-minute grid`, (path) => {
      const s = loadSeriesFile(path);
      expect(s.stepMs).toBe(expected.stepMin * MINUTE_MS);
      expect((s.values.length * s.stepMs) / DAY_MS).toBeCloseTo(expected.days, 0);
      expect(observedCount(s.values)).toBeGreaterThan(0.99 * s.values.length);
    });
  }

  dataTest('aws-elb-requests-5m.csv', 'real gaps become missing steps', (path) => {
    const s = loadSeriesFile(path);
    expect(s.values.length - observedCount(s.values)).toBeGreaterThan(0);
  });

  dataTest(
    'azure-v2-cluster-cpu-5m.csv',
    'MASE is scaled by the one-day seasonal naive (it scores about 1)',
    (path) => {
      const s = loadSeriesFile(path);
      const opts = { horizonSteps: horizonToSteps(30 * MINUTE_MS, s.stepMs), warmupSteps: defaultWarmup(s) };
      const naive = backtest(s, () => createModel('seasonal-naive-daily', opts.horizonSteps), opts);
      const persistence = backtest(s, () => createModel('persistence', opts.horizonSteps), opts);
      expect(naive.mase).toBeGreaterThan(0.9);
      expect(naive.mase).toBeLessThan(1.2);
      expect(persistence.mase).toBeLessThan(0.55);
    },
  );

  dataTest(
    'alibaba-2018-cluster-cpu-5m.csv',
    'seasonal persistence beats persistence on short real history',
    (path) => {
      const s = loadSeriesFile(path);
      const opts = { horizonSteps: 6, warmupSteps: defaultWarmup(s) };
      const sp = backtest(s, () => createModel('seasonal-persistence', 6), opts);
      const p = backtest(s, () => createModel('persistence', 6), opts);
      expect(sp.mase).toBeLessThan(p.mase);
      expect(sp.coverageP90).toBeGreaterThan(0.8);
    },
  );
});
