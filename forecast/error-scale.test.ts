import { describe, expect, it } from 'vitest';
import { ConformalBands } from './conformal.js';
import { SeasonalErrorScale } from './error-scale.js';
import { MINUTE_MS } from './series.js';
import { gaussian } from './testing/synthetic.js';

// An hourly "day" keeps the tests small: the scale only cares about the period, not its length.
const HOUR = 60 * MINUTE_MS;
const spikeMinute = (t: number): boolean => {
  const m = Math.floor((t % HOUR) / MINUTE_MS);
  return m >= 5 && m < 10;
};

/** Errors of size 10 at minutes 5-9 of every hour and 0.5 elsewhere, for `hours` hours. */
function feedSpikes(scale: SeasonalErrorScale, fromHour: number, hours: number): void {
  for (let t = fromHour * HOUR; t < (fromHour + hours) * HOUR; t += MINUTE_MS)
    scale.observe(t, spikeMinute(t) ? -10 : 0.5);
}

describe('SeasonalErrorScale', () => {
  it('is neutral (1) before it has seen errors around the asked time', () => {
    const scale = new SeasonalErrorScale({ stepMs: MINUTE_MS, periodMs: HOUR, periods: 3 });
    expect(scale.at(5 * HOUR)).toBe(1);
    scale.observe(0, 3);
    // One error 5 hours back is outside the 3 periods looked at.
    expect(scale.at(5 * HOUR + 30 * MINUTE_MS)).toBe(1);
  });

  it('is large where past periods erred and small in the quiet stretches between', () => {
    const scale = new SeasonalErrorScale({
      stepMs: MINUTE_MS,
      periodMs: HOUR,
      periods: 3,
      halfWidthSteps: 2,
    });
    feedSpikes(scale, 0, 3);
    const overall = (5 * 10 + 55 * 0.5) / 60;
    expect(scale.at(3 * HOUR + 7 * MINUTE_MS)).toBeCloseTo(10 / overall, 6);
    expect(scale.at(3 * HOUR + 40 * MINUTE_MS)).toBeCloseTo(0.5 / overall, 6);
    // At the spike's edge the window mixes both.
    const edge = scale.at(3 * HOUR + 4 * MINUTE_MS);
    expect(edge).toBeGreaterThan(0.5 / overall);
    expect(edge).toBeLessThan(10 / overall);
  });

  it('never drops below its floor, so an error where none was seen cannot divide by zero', () => {
    const scale = new SeasonalErrorScale({
      stepMs: MINUTE_MS,
      periodMs: HOUR,
      periods: 2,
      floorFraction: 0.1,
    });
    for (let t = 0; t < 2 * HOUR; t += MINUTE_MS) scale.observe(t, spikeMinute(t) ? 10 : 0);
    expect(scale.at(2 * HOUR + 40 * MINUTE_MS)).toBe(0.1);
  });

  it('forgets periods older than it looks at', () => {
    const scale = new SeasonalErrorScale({
      stepMs: MINUTE_MS,
      periodMs: HOUR,
      periods: 2,
      halfWidthSteps: 0,
    });
    feedSpikes(scale, 0, 2);
    expect(scale.at(2 * HOUR + 7 * MINUTE_MS)).toBeGreaterThan(3);
    // The spike moves to minute 35 for two periods: minute 7 turns quiet, minute 37 busy.
    for (let t = 2 * HOUR; t < 4 * HOUR; t += MINUTE_MS) {
      const m = Math.floor((t % HOUR) / MINUTE_MS);
      scale.observe(t, m >= 35 && m < 40 ? 10 : 0.5);
    }
    expect(scale.at(4 * HOUR + 7 * MINUTE_MS)).toBeLessThan(0.5);
    expect(scale.at(4 * HOUR + 37 * MINUTE_MS)).toBeGreaterThan(3);
  });
});

describe('normalised conformal bands', () => {
  /** Busy a quarter of every hour: enough for the busy errors to set a shared p90. */
  const busy = (t: number): boolean => {
    const m = Math.floor((t % HOUR) / MINUTE_MS);
    return m >= 5 && m < 20;
  };

  /** p90 coverage in the quiet and the busy minutes, with or without the seasonal scale. */
  function coverage(useScale: boolean): { quiet: number; spike: number } {
    const scale = new SeasonalErrorScale({
      stepMs: MINUTE_MS,
      periodMs: HOUR,
      periods: 4,
      halfWidthSteps: 1,
    });
    const bands = new ConformalBands({ horizonSteps: 1, window: 600, gamma: 0 });
    const draw = gaussian(21);
    const error = (t: number): number => (busy(t) ? 10 : 0.5) * draw();
    const s = (t: number): number => (useScale ? scale.at(t) : 1);
    // Calibrate on ten periods, then score ten more, recording as the forecaster does.
    const hits = { quiet: [0, 0], spike: [0, 0] };
    for (let t = 0; t < 20 * HOUR; t += MINUTE_MS) {
      const e = error(t);
      if (t >= 10 * HOUR) {
        const kind = busy(t) ? hits.spike : hits.quiet;
        kind[1]!++;
        if (e <= bands.errorQuantile(1, 0.9, s(t))!) kind[0]!++;
      }
      bands.record(1, e, s(t));
      scale.observe(t, e);
    }
    return { quiet: hits.quiet[0]! / hits.quiet[1]!, spike: hits.spike[0]! / hits.spike[1]! };
  }

  it('cover ~90% in both the quiet and the spiky stretches, where one distribution cannot', () => {
    const plain = coverage(false);
    // One distribution: the quiet minutes are covered every time (too wide), the spikes far less.
    expect(plain.quiet).toBeGreaterThan(0.99);
    expect(plain.spike).toBeLessThan(0.75);
    const scaled = coverage(true);
    expect(scaled.quiet).toBeGreaterThan(0.84);
    expect(scaled.quiet).toBeLessThan(0.96);
    expect(scaled.spike).toBeGreaterThan(0.8);
  });
});
