/** What a group's forecaster hands the decision policy each tick: demand at the lead, and trust. */
/** The forecast of one group's demand as the predictive policy consumes it. */
export interface GroupForecastView {
  readonly group: string;
  /** Model name chosen for the group. */
  readonly model: string;
  /** Trusted enough to act on; when false `untrustedReason` says why. */
  readonly trusted: boolean;
  readonly untrustedReason?: string;
  /**
   * Set while the model is flagged untrusted but still acted on within the forecast hub's trust
   * grace (a short verdict at a spike does not drop the floor): why it was flagged.
   */
  readonly graceReason?: string;
  /** Demand (nodes) at now + lead at the configured quantile. */
  readonly demandAtLead: number;
  /** Point forecast at now + lead. */
  readonly pointAtLead: number;
  /** Max median forecast demand over (now, now + lead + unneeded time]: used to hold scale-in. */
  readonly maxDemandWithinHold: number;
  readonly leadSeconds: number;
  /** Rolling out-of-sample MASE of the chosen model, when known (exported as a metric). */
  readonly recentError?: number;
}
