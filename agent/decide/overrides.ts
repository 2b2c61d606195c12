/**
 * Human overrides in force for one group, reduced to the bounds they impose. Several of a kind
 * can be active at once (the store does not forbid overlapping windows): the highest floor and
 * the lowest ceiling apply, and of several pins the highest wins (the safe side for running jobs).
 */
import type { ActiveOverride, Reason } from './plan.js';
import { reason } from './reasons.js';

export interface OverrideBounds {
  readonly pin?: ActiveOverride & { readonly value: number };
  readonly floor?: ActiveOverride & { readonly value: number };
  readonly ceiling?: ActiveOverride & { readonly value: number };
  readonly forecastOff?: ActiveOverride;
  /** One reason per override seen for the group, ignored ones included. */
  readonly reasons: readonly Reason[];
}

type Valued = ActiveOverride & { readonly value: number };

const hasValue = (o: ActiveOverride): o is Valued =>
  typeof o.value === 'number' && Number.isFinite(o.value) && o.value >= 0;

export function resolveOverrides(
  group: string,
  overrides: readonly ActiveOverride[] | undefined,
): OverrideBounds {
  const mine = (overrides ?? []).filter((o) => o.group === group);
  if (mine.length === 0) return { reasons: [] };
  let pin: Valued | undefined;
  let floor: Valued | undefined;
  let ceiling: Valued | undefined;
  let forecastOff: ActiveOverride | undefined;
  const reasons: Reason[] = [];
  for (const o of mine) {
    if (o.kind === 'forecast-off') {
      forecastOff ??= o;
      reasons.push(
        reason('override', `forecasting off by override ${o.id} (${o.reason}): reactive rules only`),
      );
      continue;
    }
    if (!hasValue(o)) {
      reasons.push(reason('override', `override ${o.id} (${o.kind}) ignored: it has no valid node count`));
      continue;
    }
    const value = Math.floor(o.value);
    const valued = { ...o, value };
    if (o.kind === 'pin' && (!pin || value > pin.value)) pin = valued;
    if (o.kind === 'floor' && (!floor || value > floor.value)) floor = valued;
    if (o.kind === 'ceiling' && (!ceiling || value < ceiling.value)) ceiling = valued;
  }
  return { pin, floor, ceiling, forecastOff, reasons };
}

export function describe(o: Valued): string {
  return `override ${o.id} (${o.kind} ${o.value}: ${o.reason})`;
}

/** Groups a `forecast-off` override takes off forecasting right now (every ForecastSource drops their views). */
export function forecastOffGroups(overrides: readonly ActiveOverride[]): ReadonlySet<string> {
  return new Set(overrides.filter((o) => o.kind === 'forecast-off').map((o) => o.group));
}
