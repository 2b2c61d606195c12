/**
 * Combines the floors and ceilings on a group's target. Precedence, strongest first:
 *   1. config min/max (hard rails: a pin or floor beyond them is clamped),
 *   2. a pin (target = pin),
 *   3. ceilings (override) over floors (override floor, forecast) when they conflict: a ceiling
 *      is a budget someone set on purpose, a floor a wish for headroom,
 *   4. the reactive target (current + scale-out) inside [lower, upper].
 */
import type { NodeGroupConfig } from '../config/types.js';
import { podsLeftPending } from './estimator.js';
import { describe, type OverrideBounds } from './overrides.js';
import type { GroupForecastView, Reason, ReasonCode } from './plan.js';
import { forecastFloorMessage } from './predictive.js';
import { plural, reason } from './reasons.js';
import type { ScaleOutProposal } from './scale-out.js';

export interface LimitInput {
  readonly group: NodeGroupConfig;
  readonly current: number;
  readonly scaleOut: ScaleOutProposal;
  readonly overrides: OverrideBounds;
  readonly forecastFloor?: number;
  readonly forecast?: GroupForecastView;
}

export interface Limited {
  /** The size the group should have; below current only when current is above a ceiling. */
  readonly desired: number;
  /** Scale-in may not go below this. */
  readonly lower: number;
  /** What sets `lower`, for the reason when it stops a scale-in. */
  readonly lowerCode: ReasonCode;
  readonly lowerText: string;
  /** What sets the upper bound, for the reason when nodes above it are removed. */
  readonly upperCode: ReasonCode;
  readonly upperText: string;
  readonly reasons: readonly Reason[];
}

export function applyLimits(input: LimitInput): Limited {
  const { group, current, scaleOut, overrides } = input;
  const clamp = (value: number): number => Math.min(group.max, Math.max(group.min, value));
  const reasons: Reason[] = [];
  if (overrides.pin) {
    const pinned = clamp(overrides.pin.value);
    const note =
      pinned === overrides.pin.value ? '' : ` clamped to ${pinned} (min ${group.min}, max ${group.max})`;
    reasons.push(reason('override', `pinned by ${describe(overrides.pin)}${note}`));
    const text = `pin ${pinned}`;
    return {
      desired: pinned,
      lower: pinned,
      lowerCode: 'override',
      lowerText: text,
      upperCode: 'override',
      upperText: text,
      reasons,
    };
  }
  const ceiling = overrides.ceiling && overrides.ceiling.value < group.max ? overrides.ceiling : undefined;
  const upper = Math.max(group.min, ceiling ? ceiling.value : group.max);
  const upperCode: ReasonCode = ceiling && upper < group.max ? 'override' : 'max';
  const belowMin = ceiling && ceiling.value < group.min ? ` raised to min ${group.min}` : '';
  const upperText =
    upperCode === 'override' ? `ceiling of ${describe(ceiling!)}${belowMin}` : `max ${group.max}`;

  const floors: { value: number; code: ReasonCode; text: string }[] = [
    { value: group.min, code: 'min', text: `min ${group.min}` },
  ];
  if (overrides.floor)
    floors.push({
      value: overrides.floor.value,
      code: 'override',
      text: `floor of ${describe(overrides.floor)}`,
    });
  if (input.forecastFloor !== undefined)
    floors.push({
      value: input.forecastFloor,
      code: 'forecast',
      text: `forecast floor ${input.forecastFloor}`,
    });
  const strongest = floors.reduce((a, b) => (b.value > a.value ? b : a));
  const lower = Math.min(strongest.value, upper);

  const reactive = current + scaleOut.add;
  const desired = Math.min(upper, Math.max(lower, reactive));
  if (desired > reactive) {
    const binding = floors.filter((f) => Math.min(f.value, upper) === desired);
    for (const f of binding) reasons.push(floorReason(f, input, desired));
  }
  for (const f of floors) {
    if (f.value > upper) reasons.push(reason(upperCode, `${f.text} capped at ${upperText}`));
  }
  if (reactive > upper) {
    const pending = podsLeftPending(scaleOut.pack, scaleOut.provisioning + Math.max(0, desired - current));
    reasons.push(reason(upperCode, `capped at ${upperText}: ${plural(pending, 'pod')} stay pending`));
  }
  if (overrides.floor && !reasons.some((r) => r.message.includes(describe(overrides.floor!))))
    reasons.push(reason('override', `${describe(overrides.floor)} in force`));
  const anyCeiling = overrides.ceiling;
  if (anyCeiling && !reasons.some((r) => r.message.includes(describe(anyCeiling))))
    reasons.push(
      reason('override', `${describe(anyCeiling)} in force${ceiling ? '' : ` (not below max ${group.max})`}`),
    );
  const lowerIsStrongest = strongest.value <= upper;
  return {
    desired,
    lower,
    lowerCode: lowerIsStrongest ? strongest.code : upperCode,
    lowerText: lowerIsStrongest ? strongest.text : upperText,
    upperCode,
    upperText,
    reasons,
  };
}

function floorReason(f: { code: ReasonCode; text: string }, input: LimitInput, desired: number): Reason {
  if (f.code === 'forecast' && input.forecast)
    return reason('forecast', forecastFloorMessage(input.group, input.forecast, desired));
  if (f.code === 'min') return reason('min', `raised to min ${input.group.min}`);
  return reason(f.code, `raised to the ${f.text}`);
}
