import { describe, expect, it } from 'vitest';
import { DAY_MS, DemandHistory, MINUTE_MS, alignPoints, inferStepMs, resample } from './series.js';

describe('DemandHistory', () => {
  it('aligns samples to steps and keeps the latest within a step', () => {
    const h = new DemandHistory({ stepMs: MINUTE_MS });
    h.append(60_000, 1);
    h.append(60_000 + 10_000, 2);
    h.append(60_000 + 59_999, 3);
    h.append(120_000, 4);
    const s = h.toSeries();
    expect(s.start).toBe(60_000);
    expect(Array.from(s.values)).toEqual([3, 4]);
  });

  it('marks skipped steps as NaN', () => {
    const h = new DemandHistory({ stepMs: MINUTE_MS });
    h.append(0, 1);
    h.append(3 * MINUTE_MS, 4);
    const v = Array.from(h.toSeries().values);
    expect(v[0]).toBe(1);
    expect(Number.isNaN(v[1]!) && Number.isNaN(v[2]!)).toBe(true);
    expect(v[3]).toBe(4);
  });

  it('keeps memory flat: a bounded ring drops the oldest steps', () => {
    const h = new DemandHistory({ stepMs: MINUTE_MS, retentionMs: 10 * MINUTE_MS });
    for (let i = 0; i < 100; i++) h.append(i * MINUTE_MS, i);
    expect(h.capacity).toBe(10);
    expect(h.length).toBe(10);
    expect(Array.from(h.toSeries().values)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(h.append(5 * MINUTE_MS, 1)).toBe(false);
  });

  it('counts observed steps as values arrive, are overwritten and fall off', () => {
    const h = new DemandHistory({ stepMs: MINUTE_MS, retentionMs: 5 * MINUTE_MS });
    h.append(0, 1);
    h.append(10_000, 2);
    h.append(2 * MINUTE_MS, 3);
    expect(h.observedSteps).toBe(2);
    h.append(6 * MINUTE_MS, 4);
    expect(h.observedSteps).toBe(2); // step 0 fell off the 5-step ring
    h.append(20 * MINUTE_MS, 5);
    expect(h.observedSteps).toBe(1);
  });

  it('a jump longer than the ring leaves only the new value', () => {
    const h = new DemandHistory({ stepMs: MINUTE_MS, retentionMs: 5 * MINUTE_MS });
    h.append(0, 1);
    h.append(100 * MINUTE_MS, 2);
    const v = h.toSeries().values;
    expect(v.length).toBe(5);
    expect(v[4]).toBe(2);
    expect(Array.from(v.subarray(0, 4)).every(Number.isNaN)).toBe(true);
  });

  it('accepts a late sample inside the ring and rejects non-finite values', () => {
    const h = new DemandHistory({ stepMs: MINUTE_MS });
    h.append(5 * MINUTE_MS, 5);
    h.append(3 * MINUTE_MS, 3);
    expect(h.at(3)).toBe(3);
    expect(Number.isNaN(h.at(4))).toBe(true);
    expect(h.append(6 * MINUTE_MS, NaN)).toBe(false);
    expect(h.append(6 * MINUTE_MS, Infinity)).toBe(false);
  });
});

describe('alignment and resampling', () => {
  it('places points on a grid anchored at the first, leaving gaps NaN', () => {
    const t0 = 1_000_000 + 4 * MINUTE_MS;
    const s = alignPoints([t0, t0 + 5 * MINUTE_MS, t0 + 15 * MINUTE_MS], [1, 2, 4], 5 * MINUTE_MS);
    expect(s.start).toBe(t0);
    expect(s.values.length).toBe(4);
    expect(Number.isNaN(s.values[2]!)).toBe(true);
    expect(s.values[3]).toBe(4);
  });

  it('infers the step from the typical spacing despite gaps', () => {
    expect(inferStepMs([0, 300_000, 600_000, 1_500_000, 1_800_000])).toBe(300_000);
  });

  it('averages to a coarser step and interpolates to a finer one', () => {
    const s = alignPoints(
      [0, 1, 2, 3, 4, 5].map((i) => i * 5 * MINUTE_MS),
      [1, 2, 3, 4, NaN, 6],
      5 * MINUTE_MS,
    );
    const coarse = resample(s, 15 * MINUTE_MS);
    expect(Array.from(coarse.values)).toEqual([2, 5]);
    const fine = resample(alignPoints([0, DAY_MS], [0, 10], DAY_MS), DAY_MS / 2);
    expect(Array.from(fine.values)).toEqual([0, 5, 10]);
  });
});
