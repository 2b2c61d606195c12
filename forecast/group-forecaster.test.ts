import { describe, expect, it } from 'vitest';
import { GroupForecaster, type GroupForecasterOptions } from './group-forecaster.js';
import { FitBudget, phaseFor } from './refit-schedule.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './series.js';
import { MONDAY, gaussian, syntheticDemand, syntheticValue } from './testing/synthetic.js';

const STEP = 5 * MINUTE_MS;
const SHAPE = { days: 0, base: 20, dailyAmplitude: 10 };
const BASE: GroupForecasterOptions = {
  group: 'spark-executor',
  stepSeconds: 300,
  refitSeconds: 6 * 3600,
  maxTrustedError: 1.5,
};

/** Feeds whole-node demand (truth + noise + shift) once per step over [from, to). */
function feed(f: GroupForecaster, from: number, to: number, shift = 0, seed = 1): void {
  const draw = gaussian(seed + from / STEP);
  for (let t = from; t < to; t += STEP)
    f.observe(t + 7_000, Math.max(0, Math.round(syntheticValue(SHAPE, t) + shift + 0.7 * draw())));
}

describe('GroupForecaster', () => {
  it('gives no forecast under a day of history, and says why', () => {
    const f = new GroupForecaster(BASE);
    feed(f, MONDAY, MONDAY + 12 * HOUR_MS);
    const now = MONDAY + 12 * HOUR_MS;
    expect(f.view(now, 300, 600, 0.9)).toBeUndefined();
    expect(f.forecast(now, 6)).toBeUndefined();
    const s = f.status(now);
    expect(s.trusted).toBe(false);
    expect(s.model).toBe('none');
    expect(s.reason).toMatch(/^insufficient history: 12\.0 h of the 24\.0 h needed/);
  });

  it('forecasts and trusts itself once it has a couple of days', () => {
    const f = new GroupForecaster(BASE);
    const now = MONDAY + 2 * DAY_MS + 3 * HOUR_MS;
    feed(f, MONDAY, now);
    const v = f.view(now, 600, 600, 0.9)!;
    expect(v.trusted).toBe(true);
    expect(v.untrustedReason).toBeUndefined();
    expect(v.model).not.toBe('none');
    expect(Number.isInteger(v.demandAtLead) && Number.isInteger(v.maxDemandWithinHold)).toBe(true);
    expect(v.demandAtLead).toBeGreaterThanOrEqual(Math.floor(v.pointAtLead));
    // The hold reads the median path (expected demand), so it sits between the median at lead and
    // the p90 path's peak over the window (lead + hold = 20 min = 4 steps, plus the current one).
    const window = f.forecast(now, 6)!;
    const median = [...window.quantiles.get(0.5)!];
    const upper = [...window.quantiles.get(0.9)!];
    expect(v.maxDemandWithinHold).toBeGreaterThanOrEqual(Math.floor(median[2]!));
    expect(v.maxDemandWithinHold).toBeLessThanOrEqual(Math.ceil(Math.max(...upper)));
    expect(v.maxDemandWithinHold).toBeLessThan(v.demandAtLead + 1);
    // The point forecast 10 minutes out is close to the noise-free truth.
    expect(Math.abs(v.pointAtLead - syntheticValue(SHAPE, now + 10 * MINUTE_MS))).toBeLessThan(2);
    const s = f.status();
    expect(s.recentError).toBeGreaterThan(0);
    expect(s.recentError).toBeLessThan(BASE.maxTrustedError);
    const bands = f.forecast(now, 12)!;
    const [lo, mid, hi] = [0.1, 0.5, 0.9].map((q) => bands.quantiles.get(q)!);
    for (let i = 0; i < 12; i++) expect(lo![i]! <= mid![i]! && mid![i]! <= hi![i]!).toBe(true);
  });

  it('stops trusting itself after a level shift, then recovers', () => {
    const f = new GroupForecaster(BASE);
    const shiftAt = MONDAY + 3 * DAY_MS + 2 * HOUR_MS;
    feed(f, MONDAY, shiftAt);
    expect(f.status(shiftAt).trusted).toBe(true);
    const reasons: string[] = [];
    for (let t = shiftAt; t < shiftAt + 2 * HOUR_MS; t += STEP) {
      feed(f, t, t + STEP, 25);
      const s = f.status(t + STEP);
      if (!s.trusted) reasons.push(s.reason!);
    }
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.some((r) => /^(level shift|changepoint)/.test(r))).toBe(true);
    feed(f, shiftAt + 2 * HOUR_MS, shiftAt + 2 * DAY_MS, 25);
    const after = f.status(shiftAt + 2 * DAY_MS);
    expect(after.reason).toBeUndefined();
    expect(after.trusted).toBe(true);
  });

  it('is untrusted while its recent error is above the configured bound', () => {
    const f = new GroupForecaster({ ...BASE, maxTrustedError: 0.05 });
    const now = MONDAY + 2 * DAY_MS;
    feed(f, MONDAY, now);
    const v = f.view(now, 300, 600, 0.9)!;
    expect(v.trusted).toBe(false);
    expect(v.untrustedReason).toMatch(/^recent error too high: MASE [\d.]+ above the bound 0\.05/);
  });

  it('refits on its schedule, at a per-group phase', () => {
    const f = new GroupForecaster({ ...BASE, refitSeconds: 3600, refitPhaseMs: 0 });
    feed(f, MONDAY, MONDAY + DAY_MS + 10 * MINUTE_MS);
    const first = f.status().fits;
    expect(first).toBe(1);
    feed(f, MONDAY + DAY_MS + 10 * MINUTE_MS, MONDAY + DAY_MS + 4 * HOUR_MS + 10 * MINUTE_MS);
    expect(f.status().fits).toBe(5);
    expect(phaseFor('a', 3_600_000)).not.toBe(phaseFor('b', 3_600_000));
    expect(phaseFor('a', 3_600_000)).toBe(phaseFor('a', 3_600_000));
  });

  it('backfills history in bulk and shares a fit budget across groups', () => {
    const budget = new FitBudget(1, 10_000);
    const history = syntheticDemand({ ...SHAPE, days: 2, stepMs: STEP, noise: 0.7 });
    const [a, b] = ['a', 'b'].map((group) => new GroupForecaster({ ...BASE, group, fitBudget: budget }));
    a!.backfill(history);
    b!.backfill(history);
    const now = MONDAY + 2 * DAY_MS + 5_000;
    a!.observe(now, 20);
    b!.observe(now, 20);
    expect([a!.status().fits, b!.status().fits]).toEqual([1, 0]);
    expect(b!.view(now, 300, 600, 0.9)).toBeUndefined();
    b!.observe(now + 10_000, 20);
    expect(b!.status().fits).toBe(1);
    expect(b!.view(now + 10_000, 300, 600, 0.9)?.trusted).toBe(true);
  });

  it('loads stored points in one go and fits once on them', () => {
    const f = new GroupForecaster(BASE);
    const points = Array.from({ length: 2 * 288 }, (_, i) => ({
      t: MONDAY + i * STEP,
      value: Math.round(syntheticValue(SHAPE, MONDAY + i * STEP)),
    }));
    expect(f.load(points)).toBe(points.length);
    expect(f.status().fits).toBe(1);
    const now = MONDAY + 2 * DAY_MS + 30_000;
    f.observe(now, 20);
    expect(f.status().fits).toBe(1);
    expect(f.view(now, 300, 600, 0.9)?.trusted).toBe(true);
  });

  it('keeps forecasting across missing samples', () => {
    const f = new GroupForecaster(BASE);
    const gapAt = MONDAY + 2 * DAY_MS;
    feed(f, MONDAY, gapAt);
    feed(f, gapAt + 40 * MINUTE_MS, gapAt + 2 * HOUR_MS);
    const v = f.view(gapAt + 2 * HOUR_MS, 300, 600, 0.9)!;
    expect(Number.isFinite(v.pointAtLead)).toBe(true);
    expect(Math.abs(v.pointAtLead - syntheticValue(SHAPE, gapAt + 2 * HOUR_MS + 5 * MINUTE_MS))).toBeLessThan(
      3,
    );
  });

  it('adds scheduled-job demand at the next cron run', () => {
    const job = {
      cron: '30 4 * * *',
      executors: 8,
      executorCpu: 4,
      executorMemoryBytes: 2 ** 30,
      durationSeconds: 1200,
    };
    const opts = { ...BASE, shape: { cpu: 16, memoryBytes: 2 ** 36, pods: 100 } };
    const plain = new GroupForecaster(opts);
    const withJob = new GroupForecaster({ ...opts, scheduledJobs: [job] });
    const now = MONDAY + 2 * DAY_MS + 4 * HOUR_MS + 2 * MINUTE_MS;
    feed(plain, MONDAY, now);
    feed(withJob, MONDAY, now);
    const a = plain.forecast(now, 12)!;
    const b = withJob.forecast(now, 12)!;
    // Steps start at 04:00; the run starts 04:30 for 20 minutes on 8 / 4 = 2 nodes.
    const diff = Array.from(b.quantiles.get(0.9)!).map((v, i) => Math.round(v - a.quantiles.get(0.9)![i]!));
    expect(diff).toEqual([0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0]);
    const v = withJob.view(now, 28 * 60, 600, 0.9)!;
    expect(v.demandAtLead).toBeGreaterThanOrEqual(plain.view(now, 28 * 60, 600, 0.9)!.demandAtLead + 2);
  });

  it('counts a dynamic-allocation job at its start size on the point and at maxExecutors on upper bands', () => {
    const job = {
      cron: '30 4 * * *',
      executors: 4,
      maxExecutors: 16,
      executorCpu: 4,
      executorMemoryBytes: 2 ** 30,
      durationSeconds: 1200,
    };
    const opts = { ...BASE, shape: { cpu: 16, memoryBytes: 2 ** 36, pods: 100 } };
    const plain = new GroupForecaster(opts);
    const withJob = new GroupForecaster({ ...opts, scheduledJobs: [job] });
    const now = MONDAY + 2 * DAY_MS + 4 * HOUR_MS + 2 * MINUTE_MS;
    feed(plain, MONDAY, now);
    feed(withJob, MONDAY, now);
    const a = plain.forecast(now, 12)!;
    const b = withJob.forecast(now, 12)!;
    const diff = (x: Float64Array, y: Float64Array) => Array.from(x).map((v, i) => Math.round(v - y[i]!));
    // 4 executors of 4 cpu: 1 node at start; 16 at most: 4 nodes.
    expect(diff(b.point, a.point)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0]);
    expect(diff(b.quantiles.get(0.9)!, a.quantiles.get(0.9)!)).toEqual([0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 0, 0]);
  });
});
