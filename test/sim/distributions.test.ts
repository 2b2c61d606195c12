import fc from 'fast-check';
import { quantile } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROVISIONING,
  DistributionError,
  parseDistribution,
  sampler,
} from '../../sim/distributions.js';
import { EventQueue } from '../../sim/event-queue.js';
import { Random } from '../../sim/rng.js';

describe('provisioning delay distribution', () => {
  it('default log-normal has median ~150 s and p95 ~280 s, capped at 300 s', () => {
    const draw = sampler(DEFAULT_PROVISIONING, new Random(42));
    const draws = Array.from({ length: 20_000 }, draw);
    expect(quantile(draws, 0.5)).toBeGreaterThan(145);
    expect(quantile(draws, 0.5)).toBeLessThan(155);
    expect(quantile(draws, 0.95)).toBeGreaterThan(270);
    expect(quantile(draws, 0.95)).toBeLessThan(290);
    expect(Math.max(...draws)).toBeLessThanOrEqual(300);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = Array.from({ length: 5 }, sampler(DEFAULT_PROVISIONING, new Random(1)));
    const b = Array.from({ length: 5 }, sampler(DEFAULT_PROVISIONING, new Random(1)));
    const c = Array.from({ length: 5 }, sampler(DEFAULT_PROVISIONING, new Random(2)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('parses the documented forms and rejects bad ones with a message', () => {
    expect(parseDistribution('fixed:120')).toEqual({ kind: 'fixed', seconds: 120 });
    expect(parseDistribution('uniform:60,180')).toEqual({ kind: 'uniform', min: 60, max: 180 });
    expect(parseDistribution('lognormal:150,280,300')).toEqual({
      kind: 'lognormal',
      median: 150,
      p95: 280,
      max: 300,
    });
    expect(() => parseDistribution('lognormal:300,200')).toThrow(/median < p95/);
    expect(() => parseDistribution('uniform:5')).toThrow(DistributionError);
    expect(() => parseDistribution('gamma:1,2')).toThrow(/unknown distribution/);
  });
});

describe('event queue', () => {
  it('pops in time order, ties in insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = new EventQueue<number>();
        times.forEach((t, i) => queue.push(t, i));
        const popped: number[] = [];
        while (queue.size > 0) popped.push(queue.pop() as number);
        const expected = times
          .map((t, i) => ({ t, i }))
          .sort((a, b) => a.t - b.t || a.i - b.i)
          .map((x) => x.i);
        expect(popped).toEqual(expected);
      }),
    );
  });
});
