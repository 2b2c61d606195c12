/**
 * What the control loop shows the API: a read-only view of its latest state. The loop implements
 * it; the API never reaches into the loop otherwise. Implementations must be cheap and must not
 * block (the API calls them on every request): return what the last tick computed.
 */
import type { ForecastMode, Role } from '../config/types.js';
import type { Reason } from '../decide/plan.js';

export interface GroupStatusView {
  readonly name: string;
  readonly role: Role;
  /** The provider's target size at the last tick. */
  readonly current: number;
  /** Target of the last plan. */
  readonly target: number;
  readonly min: number;
  readonly max: number;
  /** Nodes needed now for running + pending pods (bin-packed). */
  readonly demandNodes: number;
  /** Effective mode: `off` when a forecast-off override applies. */
  readonly forecastMode: ForecastMode;
  /** Reasons behind the last plan's target for this group (empty before the first plan). */
  readonly lastReasons: readonly Reason[];
  /** Epoch ms of the last plan, if any. */
  readonly lastPlanAt?: number;
  readonly nodes: { readonly ready: number; readonly provisioning: number };
}

export interface ForecastPointView {
  /** Epoch ms. */
  readonly t: number;
  readonly point: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

export interface ForecastResponse {
  /** Model chosen for the group. */
  readonly model: string;
  /** Trusted enough to act on; when false `untrustedReason` says why. */
  readonly trusted: boolean;
  readonly untrustedReason?: string;
  /** Epoch ms the forecast was made. */
  readonly generatedAt: number;
  readonly stepSeconds: number;
  /** Points after generatedAt up to generatedAt + horizon, oldest first. */
  readonly points: readonly ForecastPointView[];
}

export interface AgentView {
  groups(): readonly GroupStatusView[];
  /** Forecast of a group's demand over the next horizonSeconds; undefined when there is none. */
  forecast(group: string, horizonSeconds: number): ForecastResponse | undefined;
  /** Ready when cluster state is synced and the loop is ticking; reason says what is missing. */
  ready(): { ready: boolean; reason?: string };
}
