/**
 * The predictive rules: for an executor group with forecasting active and a trusted forecast, the
 * target is at least the forecast quantile of demand at now + lead, and scale-in keeps enough
 * nodes for the highest median demand expected within lead + unneeded time. The forecast only ever raises
 * floors; when it is missing or untrusted the group runs on reactive rules and the plan says so.
 */
import type { NodeGroupConfig } from '../config/types.js';
import type { GroupForecastView, Reason } from './plan.js';
import { amount, reason, since } from './reasons.js';

export interface PredictiveFloors {
  /** Target floor from demand at lead, when the forecast is acted on. */
  readonly floor?: number;
  /** Nodes scale-in must leave, from the max demand within the hold window. */
  readonly holdFloor?: number;
  /** The forecast acted on (for messages of later rules). */
  readonly forecast?: GroupForecastView;
  readonly reasons: readonly Reason[];
}

/** Node counts from fractional demand; the epsilon keeps 12.0000000001 from becoming 13. */
export const nodesFor = (demand: number): number => Math.max(0, Math.ceil(demand - 1e-9));

export function predictiveFloors(
  group: NodeGroupConfig,
  forecast: GroupForecastView | undefined,
  forecastOff: boolean,
  current: number,
): PredictiveFloors {
  const mode = group.forecast.mode;
  if (group.role !== 'executor' || mode === 'off' || forecastOff) return { reasons: [] };
  const q = `p${Math.round(group.forecast.quantile * 100)}`;
  const problem = !forecast
    ? 'no forecast for this group yet'
    : !forecast.trusted
      ? `model ${forecast.model} not trusted (${forecast.untrustedReason ?? 'no reason given'})`
      : !Number.isFinite(forecast.demandAtLead) || !Number.isFinite(forecast.maxDemandWithinHold)
        ? `model ${forecast.model} returned a non-finite demand`
        : undefined;
  if (mode === 'shadow') {
    const message = problem
      ? `shadow mode: ${problem}`
      : `shadow mode: would keep at least ${nodesFor(forecast!.demandAtLead)} nodes (${q} demand ${amount(forecast!.demandAtLead)} at +${since(forecast!.leadSeconds * 1000)}, model ${forecast!.model}); target unchanged at ${current}`;
    return { reasons: [reason('forecast-shadow', message)] };
  }
  if (problem) {
    const code = forecast ? 'forecast-untrusted' : 'forecast-unavailable';
    return { reasons: [reason(code, `${problem}: reactive rules only`)] };
  }
  const view = forecast!;
  return {
    floor: nodesFor(view.demandAtLead),
    holdFloor: nodesFor(view.maxDemandWithinHold),
    forecast: view,
    reasons: [],
  };
}

export function forecastFloorMessage(group: NodeGroupConfig, view: GroupForecastView, floor: number): string {
  const q = `p${Math.round(group.forecast.quantile * 100)}`;
  return `${q} demand at +${since(view.leadSeconds * 1000)} is ${amount(view.demandAtLead)} nodes (model ${view.model}, point ${amount(view.pointAtLead)}): at least ${floor} nodes${graceNote(view)}`;
}

export function holdMessage(group: NodeGroupConfig, view: GroupForecastView, kept: number): string {
  const window = since((view.leadSeconds + group.scaleIn.unneededSeconds) * 1000);
  return `keeping ${kept} idle node${kept === 1 ? '' : 's'}: median demand reaches ${amount(view.maxDemandWithinHold)} nodes within ${window} (model ${view.model})${graceNote(view)}`;
}

/** A model flagged untrusted but still acted on within the hub's trust grace says so. */
function graceNote(view: GroupForecastView): string {
  return view.graceReason ? `; model flagged, acted on within the trust grace: ${view.graceReason}` : '';
}
