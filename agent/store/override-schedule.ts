/**
 * When an override applies. A window override applies for start <= t < end (absent bounds are
 * open). A cron override applies for occ <= t < occ + durationSeconds for each cron occurrence
 * `occ` (UTC), and only inside its start/end bounds. Pure functions of the spec and a time.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Override, OverrideSpec } from './override-model.js';
import { specOf } from './override-model.js';

export type OverrideState = 'active' | 'scheduled' | 'expired' | 'deleted';

/** Half-open interval [from, to) in epoch ms. */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

/** Enumeration cap per cron override: past it the rest of the range is assumed covered. */
export const MAX_CRON_OCCURRENCES = 5000;

function withinBounds(spec: OverrideSpec, t: number): boolean {
  return (spec.startMs === undefined || t >= spec.startMs) && (spec.endMs === undefined || t < spec.endMs);
}

/** The latest cron occurrence at or before t, or undefined. */
function occurrenceAtOrBefore(cron: string, t: number): number | undefined {
  try {
    return CronExpressionParser.parse(cron, { tz: 'UTC', currentDate: new Date(t + 1) })
      .prev()
      .getTime();
  } catch {
    return undefined;
  }
}

export function isActiveAt(spec: OverrideSpec, t: number): boolean {
  if (!withinBounds(spec, t)) return false;
  if (spec.cron === undefined || spec.durationSeconds === undefined) return true;
  const occ = occurrenceAtOrBefore(spec.cron, t);
  return occ !== undefined && t < occ + spec.durationSeconds * 1000;
}

export function isExpiredAt(spec: OverrideSpec, t: number): boolean {
  return spec.endMs !== undefined && spec.endMs <= t;
}

/** The state a human sees: active now, scheduled (will or may apply later), expired, deleted. */
export function overrideState(o: Override, now: number): OverrideState {
  if (o.deletedAt !== undefined) return 'deleted';
  const spec = specOf(o);
  if (isExpiredAt(spec, now)) return 'expired';
  return isActiveAt(spec, now) ? 'active' : 'scheduled';
}

function clip(i: Interval, spec: OverrideSpec, range: Interval): Interval | undefined {
  const from = Math.max(i.from, spec.startMs ?? -Infinity, range.from);
  const to = Math.min(i.to, spec.endMs ?? Infinity, range.to);
  return from < to ? { from, to } : undefined;
}

/** Charged with the cron work done (in occurrence steps); may throw to stop a costly listing. */
export type SpendSteps = (steps: number) => void;
const free: SpendSteps = () => {};

function cronIntervals(
  spec: OverrideSpec & { cron: string; durationSeconds: number },
  range: Interval,
  cap: number,
  spend: SpendSteps,
): { intervals: Interval[]; complete: boolean } {
  const durationMs = spec.durationSeconds * 1000;
  const out: Interval[] = [];
  const iter = CronExpressionParser.parse(spec.cron, {
    tz: 'UTC',
    currentDate: new Date(range.from - durationMs - 1),
  });
  for (let n = 0; n < cap; n++) {
    spend(1);
    let occ: number;
    try {
      occ = iter.next().getTime();
    } catch {
      return { intervals: out, complete: true }; // no further occurrences
    }
    if (occ >= range.to) return { intervals: out, complete: true };
    const clipped = clip({ from: occ, to: occ + durationMs }, spec, range);
    if (!clipped) continue;
    const last = out[out.length - 1];
    if (last && clipped.from <= last.to)
      out[out.length - 1] = { from: last.from, to: Math.max(last.to, clipped.to) };
    else out.push(clipped);
  }
  // Too many occurrences to list: conservatively treat the rest of the range as covered.
  const tailFrom = out.length > 0 ? out[out.length - 1]!.from : range.from;
  const tail = clip({ from: tailFrom, to: range.to }, spec, range);
  if (tail) out[Math.max(0, out.length - 1)] = tail;
  return { intervals: out, complete: false };
}

/**
 * Like activeIntervals, and says whether the list is exact (`complete`) or was cut at `cap`
 * occurrences with the rest of the range conservatively covered.
 */
export function listIntervals(
  spec: OverrideSpec,
  range: Interval,
  cap: number,
  spend: SpendSteps = free,
): { intervals: Interval[]; complete: boolean } {
  if (spec.cron !== undefined && spec.durationSeconds !== undefined) {
    return cronIntervals(
      { ...spec, cron: spec.cron, durationSeconds: spec.durationSeconds },
      range,
      cap,
      spend,
    );
  }
  const clipped = clip({ from: -Infinity, to: Infinity }, spec, range);
  return { intervals: clipped ? [clipped] : [], complete: true };
}

/** Sorted, disjoint intervals within `range` during which the override applies. */
export function activeIntervals(spec: OverrideSpec, range: Interval): Interval[] {
  return listIntervals(spec, range, MAX_CRON_OCCURRENCES).intervals;
}

/**
 * The first instant in `intervals` at which the cron override `spec` applies, or undefined. One
 * cron lookup per interval (the occurrence in force at its start, then the next one), so a dense
 * schedule such as `* * * * *` costs as much as the sparse side it is compared with.
 */
export function firstActiveWithin(
  spec: OverrideSpec,
  intervals: readonly Interval[],
  spend: SpendSteps = free,
): number | undefined {
  for (const x of intervals) {
    const from = Math.max(x.from, spec.startMs ?? -Infinity);
    const to = Math.min(x.to, spec.endMs ?? Infinity);
    if (from >= to) continue;
    // Two fresh parses (prev, then next): about three occurrence steps' worth of cron-parser time.
    if (spec.cron !== undefined) spend(3);
    if (isActiveAt(spec, from)) return from;
    if (spec.cron === undefined) continue;
    let next: number;
    try {
      next = CronExpressionParser.parse(spec.cron, { tz: 'UTC', currentDate: new Date(from) })
        .next()
        .getTime();
    } catch {
      continue;
    }
    if (next < to) return next;
  }
  return undefined;
}

/** The first instant two sorted interval lists share, or undefined when they never meet. */
export function firstOverlap(a: readonly Interval[], b: readonly Interval[]): number | undefined {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const from = Math.max(x.from, y.from);
    if (from < Math.min(x.to, y.to)) return from;
    if (x.to <= y.to) i++;
    else j++;
  }
  return undefined;
}
