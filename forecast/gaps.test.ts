import { describe, expect, it } from 'vitest';
import { fillValues } from './gaps.js';
import { DAY_MS, HOUR_MS } from './series.js';

describe('fillValues', () => {
  it('bridges a short gap linearly', () => {
    const out = fillValues(Float64Array.from([0, NaN, NaN, 3, 4]), HOUR_MS);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4]);
  });

  it('fills a long gap with the shape of the day before, joined to both edges', () => {
    const step = 15 * 60_000;
    const perDay = DAY_MS / step;
    const truth = Float64Array.from(
      { length: 3 * perDay },
      (_, i) => 10 + 5 * Math.sin((2 * Math.PI * i) / perDay) + i * 0.001,
    );
    const raw = Float64Array.from(truth);
    const gap = [perDay + 8, perDay + 40];
    raw.fill(NaN, gap[0], gap[1]);
    const out = fillValues(raw, step);
    let worst = 0;
    for (let i = gap[0]!; i < gap[1]!; i++) worst = Math.max(worst, Math.abs(out[i]! - truth[i]!));
    expect(worst).toBeLessThan(0.2);
    // A straight line across the same gap would miss the peak of the sine inside it.
    const left = raw[gap[0]! - 1]!;
    const right = raw[gap[1]!]!;
    let lineWorst = 0;
    for (let i = gap[0]!; i < gap[1]!; i++) {
      const line = left + ((right - left) * (i - gap[0]! + 1)) / (gap[1]! - gap[0]! + 1);
      lineWorst = Math.max(lineWorst, Math.abs(line - truth[i]!));
    }
    expect(lineWorst).toBeGreaterThan(2);
  });

  it('extends the edge value over leading and trailing gaps', () => {
    const out = fillValues(Float64Array.from([NaN, NaN, 5, 6, NaN]), HOUR_MS);
    expect(Array.from(out)).toEqual([5, 5, 5, 6, 6]);
  });

  it('leaves an all-missing input as it is and never mutates its input', () => {
    const raw = Float64Array.from([NaN, NaN]);
    expect(Array.from(fillValues(raw, HOUR_MS)).every(Number.isNaN)).toBe(true);
    const input = Float64Array.from([1, NaN, 3]);
    fillValues(input, HOUR_MS);
    expect(Number.isNaN(input[1]!)).toBe(true);
  });
});
