/**
 * One place for the selectors and thresholds of nodecast's alerts (as kubernetes-mixin keeps its
 * _config): rules, runbook, promtool tests and dashboards read them from here.
 */
export interface AlertThresholds {
  /** `job` label of the nodecast scrape target. */
  readonly job: string;
  /** Base URL of alerts/runbook.md as people open it; alert anchors are appended. */
  readonly runbookUrl: string;
  /** `up == 0` (or no target at all) for this long. */
  readonly agentDownFor: string;
  /** The leader's last tick is older than this. */
  readonly tickStaleSeconds: number;
  readonly noLeaderFor: string;
  /** Scale-out p90 (request -> nodes Ready) above this over `scaleOutLatencyWindow`. */
  readonly scaleOutLatencySeconds: number;
  readonly scaleOutLatencyQuantile: number;
  readonly scaleOutLatencyWindow: string;
  /** A group at max with unschedulable pods for this long: jobs are queuing. */
  readonly atMaxPendingFor: string;
  /** At least `providerErrorsMin` failed provider calls in `providerErrorsWindow`. */
  readonly providerErrorsMin: number;
  readonly providerErrorsWindow: string;
  /** No event or bookmark on a watch for this long (bookmarks arrive about every minute). */
  readonly watchStaleSeconds: number;
  readonly watchNotSyncedFor: string;
  /** A group with forecasting on has not trusted its forecast for this long. */
  readonly forecastUntrustedFor: string;
  /** Rolling MASE above this (1 = no better than seasonal naive) for `forecastErrorFor`. */
  readonly forecastMaxMase: number;
  readonly forecastErrorFor: string;
  /** The oldest unschedulable executor pod has waited longer than this. */
  readonly executorPendingSeconds: number;
  /** Share of failing ticks over 15 minutes. */
  readonly tickErrorRatio: number;
}

export const alertThresholds: AlertThresholds = {
  job: 'nodecast',
  runbookUrl: 'https://github.com/nodecast/nodecast/blob/main/alerts/runbook.md',
  agentDownFor: '5m',
  tickStaleSeconds: 120,
  noLeaderFor: '5m',
  scaleOutLatencySeconds: 300,
  scaleOutLatencyQuantile: 0.9,
  scaleOutLatencyWindow: '30m',
  atMaxPendingFor: '15m',
  providerErrorsMin: 3,
  providerErrorsWindow: '15m',
  watchStaleSeconds: 900,
  watchNotSyncedFor: '10m',
  forecastUntrustedFor: '6h',
  forecastMaxMase: 1.5,
  forecastErrorFor: '1h',
  executorPendingSeconds: 900,
  tickErrorRatio: 0.5,
};
