/**
 * What every override store enforces and answers the same way, whichever backend keeps the rows
 * (SQLite here, ForecastOverride objects in Kubernetes): the per-group cap and the conflict check
 * on writes, the list filters, and which overrides take effect now. Pure functions of overrides.
 */
import type { ActiveOverride } from '../decide/plan.js';
import { findConflict } from './override-conflicts.js';
import type { Override, OverrideSpec } from './override-model.js';
import { specOf } from './override-model.js';
import { resolveActive } from './override-resolve.js';
import { isActiveAt, isExpiredAt } from './override-schedule.js';
import { StoreError } from './store-errors.js';

/** Live (not deleted, not expired) overrides a group may have at once. */
export const MAX_OVERRIDES_PER_GROUP = 200;

/** active: applies now; current: not deleted and not expired; all: everything, deleted included. */
export type OverrideStatusFilter = 'active' | 'current' | 'all';

export interface OverrideFilter {
  readonly group?: string;
  readonly status?: OverrideStatusFilter;
}

const isLive = (o: Override, now: number): boolean =>
  o.deletedAt === undefined && !isExpiredAt(specOf(o), now);

/**
 * Refuses a write that would exceed the group's cap (creates only: `exceptId` marks an update) or
 * contradict a live override of the group at some time both apply.
 */
export function checkWrite(
  spec: OverrideSpec,
  all: Iterable<Override>,
  now: number,
  exceptId?: string,
): void {
  const existing: { id: string; spec: OverrideSpec }[] = [];
  for (const o of all) {
    if (o.group !== spec.group || o.id === exceptId || !isLive(o, now)) continue;
    existing.push({ id: o.id, spec: specOf(o) });
  }
  // A bound on what every later write and tick has to look through.
  if (exceptId === undefined && existing.length >= MAX_OVERRIDES_PER_GROUP) {
    throw new StoreError(
      'conflict',
      `group ${spec.group} already has ${existing.length} live overrides (at most ${MAX_OVERRIDES_PER_GROUP}); delete some first`,
      'group',
    );
  }
  const conflict = findConflict(spec, existing, now);
  if (conflict) throw new StoreError('conflict', conflict.message, 'value');
}

/** Filters overrides (given newest first) as GET /overrides does. */
export function filterOverrides(all: readonly Override[], filter: OverrideFilter, now: number): Override[] {
  const status = filter.status ?? 'current';
  return all.filter((o) => {
    if (filter.group !== undefined && o.group !== filter.group) return false;
    if (status === 'all') return true;
    if (o.deletedAt !== undefined) return false;
    const spec = specOf(o);
    return status === 'current' ? !isExpiredAt(spec, now) : isActiveAt(spec, now);
  });
}

/** The overrides that take effect at `now`, resolved per group (see override-resolve.ts). */
export function activeAt(all: Iterable<Override>, now: number): ActiveOverride[] {
  const candidates = [];
  for (const o of all) {
    if (o.deletedAt !== undefined || !isActiveAt(specOf(o), now)) continue;
    candidates.push({
      id: o.id,
      group: o.group,
      kind: o.kind,
      ...(o.value === undefined ? {} : { value: o.value }),
      reason: o.reason,
      createdAt: Date.parse(o.createdAt),
    });
  }
  return resolveActive(candidates);
}

/** Newest first, ties by id: the order every list answers in. */
export function newestFirst(a: Override, b: Override): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
