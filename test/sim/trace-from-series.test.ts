import { describe, expect, it } from 'vitest';
import { parseSeries, traceFromSeries, type SeriesPoint } from '../../sim/trace-from-series.js';

const T0 = Date.UTC(2024, 0, 1);
const STEP = 5 * 60_000;
const HOUR = 3_600_000;

/** Two days at 5-minute steps: 100 from 12:00 to 18:00 each day, 10 otherwise, a gap on day 2. */
function series(): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let t = T0; t < T0 + 48 * HOUR; t += STEP) {
    if (t >= T0 + 30 * HOUR && t < T0 + 31 * HOUR) continue;
    const hour = new Date(t).getUTCHours();
    points.push({ t, value: hour >= 12 && hour < 18 ? 100 : 10 });
  }
  return points;
}

describe('traceFromSeries', () => {
  it('submits jobs at a rate that follows the series, deterministically for a seed', () => {
    const jobs = traceFromSeries(series(), { seed: 7 });
    const inWindow = (from: number, to: number) =>
      jobs.filter((j) => j.submitTime >= T0 + from * HOUR && j.submitTime < T0 + to * HOUR).length;
    const busy = inWindow(12, 18);
    const quiet = inWindow(0, 6);
    expect(busy).toBeGreaterThan(6 * quiet);
    expect(jobs.map((j) => j.submitTime)).toEqual([...jobs.map((j) => j.submitTime)].sort((a, b) => a - b));
    expect(traceFromSeries(series(), { seed: 7 })).toEqual(jobs);
    expect(traceFromSeries(series(), { seed: 8 })).not.toEqual(jobs);
  });

  it('scales the peak to about the requested executor nodes (Little: rate x executors x duration)', () => {
    const jobs = traceFromSeries(series(), { seed: 1, peakExecutorNodes: 50 });
    const peak = jobs.filter((j) => j.submitTime >= T0 + 13 * HOUR && j.submitTime < T0 + 17 * HOUR);
    const executorHours = peak.reduce((sum, j) => sum + (j.executors * j.durationSeconds) / 3600, 0);
    const nodes = executorHours / 4 / 4; // over 4 hours, 4 executors per node
    expect(nodes).toBeGreaterThan(35);
    expect(nodes).toBeLessThan(65);
  });

  it('keeps only [from, to) and a gap carries the last value instead of dropping the hour', () => {
    const jobs = traceFromSeries(series(), { seed: 1, from: T0 + 24 * HOUR, to: T0 + 36 * HOUR });
    expect(jobs.every((j) => j.submitTime >= T0 + 24 * HOUR && j.submitTime < T0 + 36 * HOUR)).toBe(true);
    const inGap = jobs.filter((j) => j.submitTime >= T0 + 30 * HOUR && j.submitTime < T0 + 31 * HOUR);
    expect(inGap.length).toBeGreaterThan(0);
  });
});

describe('parseSeries', () => {
  it('reads timestamp,value rows, skips ones that do not parse and sorts by time', () => {
    const text =
      'timestamp,value\n2024-01-01T00:10:00Z,3\nnot a date,4\n2024-01-01T00:05:00Z,-2\n2024-01-01T00:15:00Z,x\n';
    expect(parseSeries(text)).toEqual([
      { t: Date.parse('2024-01-01T00:05:00Z'), value: 0 },
      { t: Date.parse('2024-01-01T00:10:00Z'), value: 3 },
    ]);
  });
});
