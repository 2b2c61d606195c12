/** Synthetic demand with known structure, for tests and benchmarks (seeded, reproducible). */
import { DAY_MS, MINUTE_MS, makeSeries } from '../series.js';
import type { Series } from '../types.js';

export interface SyntheticOptions {
  readonly days: number;
  readonly stepMs?: number;
  /** Epoch ms of the first value; default Monday 2024-01-01T00:00Z. */
  readonly start?: number;
  readonly base?: number;
  /** Amplitude of the daily sine. */
  readonly dailyAmplitude?: number;
  /** Drop on Saturdays and Sundays. */
  readonly weekendDip?: number;
  /** Standard deviation of Gaussian noise. */
  readonly noise?: number;
  readonly seed?: number;
}

export const MONDAY = Date.UTC(2024, 0, 1);

/** base + amplitude * sin(daily) - dip on weekends + noise. */
export function syntheticDemand(o: SyntheticOptions): Series {
  const stepMs = o.stepMs ?? MINUTE_MS;
  const start = o.start ?? MONDAY;
  const n = Math.round((o.days * DAY_MS) / stepMs);
  const rand = gaussian(o.seed ?? 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = syntheticValue(o, start + i * stepMs) + (o.noise ?? 0) * rand();
  return makeSeries(start, stepMs, values);
}

/** The noise-free value at time t. */
export function syntheticValue(o: SyntheticOptions, t: number): number {
  const dayFrac = (((t % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
  const weekday = new Date(t).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  return (
    (o.base ?? 20) +
    (o.dailyAmplitude ?? 10) * Math.sin(2 * Math.PI * dayFrac) -
    (weekend ? (o.weekendDip ?? 0) : 0)
  );
}

/** Seeded standard normal generator (mulberry32 + Box-Muller). */
export function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}
