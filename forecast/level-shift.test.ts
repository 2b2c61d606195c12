import { describe, expect, it } from 'vitest';
import { BandExitTracker, detectResidualShift, robustSigma } from './level-shift.js';
import { gaussian } from './testing/synthetic.js';

function noise(n: number, seed: number, shiftFrom = n, shift = 0): Float64Array {
  const draw = gaussian(seed);
  return Float64Array.from({ length: n }, (_, i) => draw() + (i >= shiftFrom ? shift : 0));
}

describe('detectResidualShift', () => {
  it('finds a recent shift in the mean of the errors', () => {
    const r = noise(90, 1, 80, 5);
    const shift = detectResidualShift(r, 15)!;
    expect(shift).toBeDefined();
    expect(Math.abs(shift.at - 80)).toBeLessThanOrEqual(2);
    expect(shift.sigmas).toBeGreaterThan(3);
  });

  it('stays quiet on plain noise, on small shifts and on shifts older than the recent window', () => {
    for (let seed = 1; seed <= 5; seed++) expect(detectResidualShift(noise(90, seed), 15)).toBeUndefined();
    expect(detectResidualShift(noise(90, 2, 80, 0.5), 15)).toBeUndefined();
    expect(detectResidualShift(noise(90, 3, 40, 5), 15)).toBeUndefined();
  });

  it('handles errors that were exactly zero before the shift (integer demand)', () => {
    const r = new Float64Array(60);
    r.fill(3, 52);
    expect(Math.abs(detectResidualShift(r, 15)!.at - 52)).toBeLessThanOrEqual(1);
  });

  it('robust sigma ignores a few spikes', () => {
    const r = noise(200, 4);
    const spiky = Float64Array.from(r);
    spiky[10] = 100;
    spiky[20] = -100;
    expect(robustSigma(spiky)).toBeCloseTo(robustSigma(r), 1);
  });
});

describe('BandExitTracker', () => {
  it('reports actuals persistently on one side of the band, then clears', () => {
    const t = new BandExitTracker(6, 5);
    for (let i = 0; i < 4; i++) t.record(10, 0, 5);
    expect(t.persistentSide()).toBeUndefined();
    t.record(10, 0, 5);
    expect(t.persistentSide()).toBe('above');
    for (let i = 0; i < 2; i++) t.record(3, 0, 5);
    expect(t.persistentSide()).toBeUndefined();
    for (let i = 0; i < 6; i++) t.record(-1, 0, 5);
    expect(t.persistentSide()).toBe('below');
  });
});
