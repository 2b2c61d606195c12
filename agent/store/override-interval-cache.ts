/**
 * Remembers each cron override's occurrence list over an hour-aligned window, so a write checks
 * its candidate against a group's existing schedules without re-walking every existing cron
 * (cron-parser takes 40-550 us a step). Specs are immutable values, so the key is the spec itself;
 * the window is aligned to whole UTC days so that a day's checks share entries (each spec is
 * listed about once a day).
 */
import type { OverrideSpec } from './override-model.js';
import { listIntervals, type Interval, type SpendSteps } from './override-schedule.js';

export interface IntervalList {
  readonly intervals: readonly Interval[];
  /** False when listing stopped at the cap and the rest of the range was assumed covered. */
  readonly complete: boolean;
}

const DAY_MS = 86_400_000;
const MAX_ENTRIES = 4096;

function keyOf(spec: OverrideSpec, from: number, to: number): string {
  return `${spec.cron}|${spec.durationSeconds}|${spec.startMs}|${spec.endMs}|${from}|${to}`;
}

/** The part of sorted intervals inside `range`. */
function clipTo(list: readonly Interval[], range: Interval): Interval[] {
  const out: Interval[] = [];
  for (const x of list) {
    if (x.to <= range.from) continue;
    if (x.from >= range.to) break;
    out.push({ from: Math.max(x.from, range.from), to: Math.min(x.to, range.to) });
  }
  return out;
}

export class IntervalCache {
  private readonly entries = new Map<string, IntervalList>();

  constructor(private readonly cap: number) {}

  /** Occurrences of `spec` in `range` (finite), listed over a slightly larger aligned window. */
  list(spec: OverrideSpec, range: Interval, spend?: SpendSteps): IntervalList {
    if (spec.cron === undefined || !Number.isFinite(range.to)) return listIntervals(spec, range, this.cap);
    const from = Math.floor(range.from / DAY_MS) * DAY_MS;
    const to = Math.ceil(range.to / DAY_MS) * DAY_MS + DAY_MS;
    const key = keyOf(spec, from, to);
    let hit = this.entries.get(key);
    if (!hit) {
      hit = listIntervals(spec, { from, to }, this.cap, spend);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, hit);
    }
    // An incomplete list covers everything past its last listed occurrence, so clipping keeps it
    // conservative; a complete list clipped is still exact.
    return { intervals: clipTo(hit.intervals, range), complete: hit.complete };
  }
}
