/**
 * Delay distributions (seconds), e.g. node provisioning. Written as text on the command line and
 * in options: `lognormal:150,280` (median, p95), `lognormal:150,280,300` (plus a cap),
 * `fixed:150`, `uniform:120,300`.
 */
import type { Random } from './rng.js';

export type DelayDistribution =
  | { readonly kind: 'lognormal'; readonly median: number; readonly p95: number; readonly max?: number }
  | { readonly kind: 'fixed'; readonly seconds: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number };

/** z-score of the 95th percentile of the standard normal. */
const Z95 = 1.6448536269514722;

/**
 * Default provisioning delay: median 150 s, p95 280 s, capped at 300 s so 2 -> 200 nodes takes
 * at most ~5 minutes, as in production. The cap only touches the top ~3.5% of draws, so the
 * median and p95 stay as stated.
 */
export const DEFAULT_PROVISIONING: DelayDistribution = { kind: 'lognormal', median: 150, p95: 280, max: 300 };

/** Log-normal parameters from a median and a 95th percentile: sigma = ln(p95 / median) / z95. */
export function logNormalParams(median: number, p95: number): { mu: number; sigma: number } {
  return { mu: Math.log(median), sigma: Math.log(p95 / median) / Z95 };
}

export function sampler(dist: DelayDistribution, rng: Random): () => number {
  switch (dist.kind) {
    case 'fixed':
      return () => dist.seconds;
    case 'uniform':
      return () => rng.uniform(dist.min, dist.max);
    case 'lognormal': {
      const { mu, sigma } = logNormalParams(dist.median, dist.p95);
      const cap = dist.max ?? Infinity;
      return () => Math.min(cap, rng.logNormal(mu, sigma));
    }
  }
}

export class DistributionError extends Error {}

function numbers(text: string, count: readonly number[], spec: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (!count.includes(parts.length) || values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new DistributionError(
      `bad distribution "${spec}": expected ${count.join(' or ')} non-negative numbers`,
    );
  }
  return values;
}

export function parseDistribution(spec: string): DelayDistribution {
  const [kind, args = ''] = spec.split(':', 2) as [string, string?];
  switch (kind) {
    case 'fixed': {
      const [seconds] = numbers(args, [1], spec) as [number];
      return { kind, seconds };
    }
    case 'uniform': {
      const [min, max] = numbers(args, [2], spec) as [number, number];
      if (max < min) throw new DistributionError(`bad distribution "${spec}": max below min`);
      return { kind, min, max };
    }
    case 'lognormal': {
      const [median, p95, max] = numbers(args, [2, 3], spec) as [number, number, number?];
      if (!(median > 0) || p95 <= median) {
        throw new DistributionError(`bad distribution "${spec}": need 0 < median < p95`);
      }
      return max === undefined ? { kind, median, p95 } : { kind, median, p95, max };
    }
    default:
      throw new DistributionError(
        `unknown distribution "${spec}": use lognormal:MEDIAN,P95[,MAX], fixed:S or uniform:MIN,MAX`,
      );
  }
}
