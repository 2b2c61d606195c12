/**
 * Decisions are data: `decide` returns a Plan, each group's target carrying the reasons that
 * produced it, so a human (or the API, or a test) can ask "why".
 */
import type { Role } from '../config/types.js';
import type { GroupForecastView } from '../../forecast/view.js';
import type { GroupFacts } from './group-facts.js';

export type { GroupForecastView };

export type ReasonCode =
  | 'pending-pods' // unschedulable pods need nodes
  | 'provisioning' // nodes already coming cover (part of) the need
  | 'quota-held' // pending pods held by a queue quota: nodes cannot help
  | 'forecast' // the forecast raised the floor
  | 'forecast-untrusted' // forecast exists but is not trusted: reactive rules only
  | 'forecast-unavailable' // too little history, or forecasting off
  | 'forecast-shadow' // shadow mode: computed, not acted on
  | 'scale-in-hold' // the forecast says demand returns soon: keep nodes
  | 'override' // a human override applied
  | 'idle-node' // nodes removed because they were unneeded long enough
  | 'unneeded-wait' // idle nodes not yet unneeded long enough
  | 'min' // clamped up to min
  | 'max' // clamped down to max (jobs will queue)
  | 'cooldown' // scale-out held by cooldown
  | 'scale-in-cap' // removals capped per tick
  | 'static' // system group: never scaled
  | 'scale-out-only' // group that never scales in
  | 'steady'; // nothing to change

export interface Reason {
  readonly code: ReasonCode;
  /** Human sentence with the numbers behind it. */
  readonly message: string;
}

export interface GroupDecision {
  readonly group: string;
  readonly role: Role;
  /** The provider's target size when the plan was made. */
  readonly current: number;
  /** Desired target size (min <= target <= max). */
  readonly target: number;
  /** For scale-in: exactly which nodes to remove (target = current - removeNodes.length). */
  readonly removeNodes: readonly string[];
  /** Nodes needed now for running + schedulable pending pods (bin-packed). */
  readonly demandNodes: number;
  /** Never empty. */
  readonly reasons: readonly Reason[];
}

export interface Plan {
  /** Epoch ms the plan was made for. */
  readonly at: number;
  readonly decisions: readonly GroupDecision[];
}

/** What decide carries from tick to tick; decide returns the next one and never mutates its input. */
export interface PolicyState {
  /** group -> epoch ms of the last scale-out. */
  readonly lastScaleOutAt: Readonly<Record<string, number>>;
  /** node name -> epoch ms since it has been unneeded. */
  readonly unneededSince: Readonly<Record<string, number>>;
}

export const initialPolicyState: PolicyState = { lastScaleOutAt: {}, unneededSince: {} };

/** A human override in force at `now`, as decide sees it (the store resolves windows and cron). */
export interface ActiveOverride {
  readonly id: string;
  readonly group: string;
  readonly kind: 'floor' | 'ceiling' | 'pin' | 'forecast-off';
  /** Node count for floor / ceiling / pin. */
  readonly value?: number;
  readonly reason: string;
}

/** Everything decide reads besides the snapshot. All optional parts default to "none". */
export interface DecideInputs {
  /** Nodes each group needs now, as the observe stage measured them (decide computes it when absent). */
  readonly demand?: ReadonlyMap<string, number>;
  /** This snapshot's per-group facts, if observe already collected them (decide collects them when absent). */
  readonly facts?: ReadonlyMap<string, GroupFacts>;
  readonly forecasts?: ReadonlyMap<string, GroupForecastView>;
  readonly overrides?: readonly ActiveOverride[];
}
