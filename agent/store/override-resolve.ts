/**
 * Which active overrides take effect when several apply to one group at once:
 * - a pin wins over floors and ceilings (the newest pin, should two ever overlap);
 * - otherwise the highest floor and the lowest ceiling apply;
 * - should a floor above a ceiling ever be active together (only possible past the cron conflict
 *   horizon), the newer of the two applies;
 * - forecast-off applies alongside any of these.
 */
import type { ActiveOverride } from '../decide/plan.js';

export interface ActiveCandidate extends ActiveOverride {
  /** Epoch ms the override was created: the tie-breaker, newest wins. */
  readonly createdAt: number;
}

const newer = (a: ActiveCandidate, b: ActiveCandidate): boolean =>
  a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);

function best(
  list: readonly ActiveCandidate[],
  better: (a: ActiveCandidate, b: ActiveCandidate) => boolean,
): ActiveCandidate | undefined {
  let out: ActiveCandidate | undefined;
  for (const o of list) if (!out || better(o, out)) out = o;
  return out;
}

function resolveGroup(list: readonly ActiveCandidate[]): ActiveCandidate[] {
  const of = (kind: ActiveOverride['kind']) => list.filter((o) => o.kind === kind);
  const forecastOff = best(of('forecast-off'), newer);
  const pin = best(of('pin'), newer);
  const extras = forecastOff ? [forecastOff] : [];
  if (pin) return [pin, ...extras];
  const floor = best(
    of('floor'),
    (a, b) => (a.value ?? 0) > (b.value ?? 0) || (a.value === b.value && newer(a, b)),
  );
  const ceiling = best(
    of('ceiling'),
    (a, b) => (a.value ?? 0) < (b.value ?? 0) || (a.value === b.value && newer(a, b)),
  );
  if (floor && ceiling && (floor.value ?? 0) > (ceiling.value ?? 0)) {
    return [newer(floor, ceiling) ? floor : ceiling, ...extras];
  }
  return [...(floor ? [floor] : []), ...(ceiling ? [ceiling] : []), ...extras];
}

const KIND_ORDER: Record<ActiveOverride['kind'], number> = {
  pin: 0,
  floor: 1,
  ceiling: 2,
  'forecast-off': 3,
};

/** The overrides that take effect, at most one per kind per group, sorted by group then kind. */
export function resolveActive(active: readonly ActiveCandidate[]): ActiveOverride[] {
  const byGroup = new Map<string, ActiveCandidate[]>();
  for (const o of active) byGroup.set(o.group, [...(byGroup.get(o.group) ?? []), o]);
  return [...byGroup.keys()]
    .sort()
    .flatMap((g) => resolveGroup(byGroup.get(g)!).sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]))
    .map(({ id, group, kind, value, reason }) =>
      value === undefined ? { id, group, kind, reason } : { id, group, kind, value, reason },
    );
}
