import { describe, expect, it } from 'vitest';
import { seasonalNaiveScale } from '../../forecast/metrics.js';

const STEP = 60_000;

describe('seasonalNaiveScale fallback lag (under two days of history)', () => {
  // A ramp: one-step differences are 1, ten-step differences are 10.
  const ramp = Float64Array.from({ length: 600 }, (_, i) => i);

  it('uses one step by default and the given lag when asked', () => {
    expect(seasonalNaiveScale(ramp, STEP)).toBeCloseTo(1, 9);
    expect(seasonalNaiveScale(ramp, STEP, ramp.length, 10)).toBeCloseTo(10, 9);
  });

  it('ignores the fallback once two days give a daily lag', () => {
    const twoDays = Float64Array.from({ length: 2 * 1440 }, (_, i) => (i < 1440 ? 0 : 3));
    expect(seasonalNaiveScale(twoDays, STEP, twoDays.length, 10)).toBeCloseTo(3, 9);
  });
});
