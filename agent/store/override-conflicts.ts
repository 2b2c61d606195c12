/**
 * Overrides that cannot both hold: a floor above a ceiling, or two pins with different values,
 * for the same group at an overlapping time. Windows are compared exactly from `now` on. When a
 * cron override is involved the check is conservative and bounded: occurrences are compared over
 * the next CRON_CONFLICT_HORIZON_DAYS (from the later of now and both starts); any intersection
 * there counts as a conflict.
 */
import type { OverrideSpec } from './override-model.js';
import { IntervalCache } from './override-interval-cache.js';
import { firstActiveWithin, firstOverlap } from './override-schedule.js';
import { StoreError } from './store-errors.js';

/**
 * Occurrences listed per side before a schedule counts as dense (150 in 35 days: more often than
 * every ~5.6 h). Listing them cold costs about 150 x 40 us = 6 ms, the most one write blocks for. Past it the sparse side's
 * intervals are listed and the dense side is asked only about those (firstActiveWithin), so a
 * check costs O(overrides x sparse occurrences) cron steps, never overrides x minutes.
 */
export const DENSE_OCCURRENCES = 150;

/**
 * Cron work one check may do (occurrence steps not served from the cache, ~40 us each warm), so a
 * write never blocks the loop for more than about 15 ms. Past it the write is refused (409) rather
 * than accepted unchecked; what was listed stays cached, so a retry gets further.
 */
export const CHECK_STEP_BUDGET = 400;

/** An existing schedule with at most this many intervals is probed directly, without listing the candidate. */
const FEW_INTERVALS = 16;

/** Long enough to see every occurrence pattern of a monthly cron. */
export const CRON_CONFLICT_HORIZON_DAYS = 35;

export interface ExistingOverride {
  readonly id: string;
  readonly spec: OverrideSpec;
}

export interface Conflict {
  readonly id: string;
  /** First instant (epoch ms) both apply. */
  readonly at: number;
  readonly message: string;
}

/** Why two overrides of the same group cannot overlap, or undefined when they can. */
function incompatibility(a: OverrideSpec, b: OverrideSpec): string | undefined {
  const floorCeiling = (floor: OverrideSpec, ceiling: OverrideSpec): string | undefined =>
    (floor.value ?? 0) > (ceiling.value ?? Infinity)
      ? `floor ${floor.value} is above ceiling ${ceiling.value}`
      : undefined;
  if (a.kind === 'floor' && b.kind === 'ceiling') return floorCeiling(a, b);
  if (a.kind === 'ceiling' && b.kind === 'floor') return floorCeiling(b, a);
  if (a.kind === 'pin' && b.kind === 'pin' && a.value !== b.value) {
    return `pin ${a.value} differs from pin ${b.value}`;
  }
  return undefined;
}

const cache = new IntervalCache(DENSE_OCCURRENCES);

/** a is the candidate, b an existing override (its listing is the one most likely cached). */
function overlapFrom(
  a: OverrideSpec,
  b: OverrideSpec,
  now: number,
  horizonMs: number,
  spend: (steps: number) => void,
): number | undefined {
  const from = Math.max(now, a.startMs ?? now, b.startMs ?? now);
  const recurring = a.cron !== undefined || b.cron !== undefined;
  const range = { from, to: recurring ? from + horizonMs : Infinity };
  const lb = cache.list(b, range, spend);
  if (lb.complete && lb.intervals.length <= FEW_INTERVALS) return firstActiveWithin(a, lb.intervals, spend);
  const la = cache.list(a, range, spend);
  if (la.complete && lb.complete) return firstOverlap(la.intervals, lb.intervals);
  if (la.complete) return firstActiveWithin(b, la.intervals, spend);
  if (lb.complete) return firstActiveWithin(a, lb.intervals, spend);
  // Both dense: the capped lists decide, and past the cap each counts as applying throughout, so
  // two dense incompatible schedules are refused.
  return firstOverlap(la.intervals, lb.intervals);
}

/** The first existing override the candidate conflicts with, if any. */
export function findConflict(
  candidate: OverrideSpec,
  existing: readonly ExistingOverride[],
  now: number,
  horizonDays = CRON_CONFLICT_HORIZON_DAYS,
  budget = CHECK_STEP_BUDGET,
): Conflict | undefined {
  let left = budget;
  const spend = (steps: number): void => {
    left -= steps;
    if (left >= 0) return;
    throw new StoreError(
      'conflict',
      `checking this schedule against the recurring overrides of group ${candidate.group} takes more than ${budget} cron steps; retry, or use a sparser cron or fewer overrides`,
      candidate.cron !== undefined ? 'cron' : 'group',
    );
  };
  for (const other of existing) {
    if (other.spec.group !== candidate.group) continue;
    const why = incompatibility(candidate, other.spec);
    if (!why) continue;
    const at = overlapFrom(candidate, other.spec, now, horizonDays * 86_400_000, spend);
    if (at === undefined) continue;
    return {
      id: other.id,
      at,
      message: `${why} of override ${other.id} for group ${candidate.group}; both would apply from ${new Date(at).toISOString()}`,
    };
  }
  return undefined;
}
