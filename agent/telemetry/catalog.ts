/**
 * The one catalog of nodecast's Prometheus metrics: name, help, type, labels and buckets, in code.
 * The exporter (metrics.ts), the dashboards and the alert rules all take names from here, so a
 * renamed metric breaks a test instead of a dashboard.
 *
 * Conventions: prefix `nodecast_`, base units in the name (`_seconds`, `_bytes`, `_cores`),
 * `_total` on counters, and only bounded labels (group, role, queue, reason, state, stage, model,
 * mode, kind); never pod or node names.
 */
export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface MetricDefinition<L extends string = string, T extends MetricType = MetricType> {
  readonly name: string;
  readonly help: string;
  readonly type: T;
  readonly labels: readonly L[];
  /** Histograms only: upper bounds in the metric's base unit. */
  readonly buckets?: readonly number[];
  /** Histograms only: keep a trace_id exemplar per bucket (rendered in OpenMetrics). */
  readonly exemplars?: boolean;
}

/** Pending time and scale-out latency: 5 s up to 30 min (the production bound is 5 min). */
export const LATENCY_BUCKETS = [
  5, 10, 20, 30, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800,
] as const;
/** One stage of a tick: milliseconds to seconds. */
export const TICK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export const NODE_STATES = ['ready', 'not_ready', 'provisioning'] as const;
export const PENDING_REASONS = ['unschedulable', 'quota_held'] as const;
export const SPARK_ROLES = ['driver', 'executor'] as const;
export const TICK_STAGES = ['observe', 'forecast', 'decide', 'actuate', 'export'] as const;
export const FORECAST_MODES = ['off', 'shadow', 'active'] as const;
export const PROVIDER_ERROR_KINDS = [
  'timeout',
  'conflict',
  'not_found',
  'forbidden',
  'quota',
  'unavailable',
  'invalid',
  'other',
] as const;

export type NodeState = (typeof NODE_STATES)[number];
export type PendingReason = (typeof PENDING_REASONS)[number];
export type PodRole = (typeof SPARK_ROLES)[number];
export type TickStage = (typeof TICK_STAGES)[number];
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

const gauge = <const L extends string>(name: string, help: string, labels: readonly L[]) =>
  ({ name, help, type: 'gauge', labels }) as MetricDefinition<L, 'gauge'>;
const counter = <const L extends string>(name: string, help: string, labels: readonly L[]) =>
  ({ name, help, type: 'counter', labels }) as MetricDefinition<L, 'counter'>;
const histogram = <const L extends string>(
  name: string,
  help: string,
  labels: readonly L[],
  buckets: readonly number[],
  exemplars = false,
) => ({ name, help, type: 'histogram', labels, buckets, exemplars }) as MetricDefinition<L, 'histogram'>;

export const catalog = {
  // --- node groups: size, bounds, demand and capacity
  groupInfo: gauge('nodecast_group_info', 'Always 1; carries the role of each node group.', [
    'group',
    'role',
  ]),
  groupNodes: gauge('nodecast_group_nodes', 'Nodes of the group by state (ready, not_ready, provisioning).', [
    'group',
    'state',
  ]),
  groupTarget: gauge('nodecast_group_target_nodes', 'Target size of the group in the current plan.', [
    'group',
  ]),
  groupMin: gauge('nodecast_group_min_nodes', 'Configured minimum size of the group.', ['group']),
  groupMax: gauge('nodecast_group_max_nodes', 'Configured maximum size of the group.', ['group']),
  groupDemand: gauge(
    'nodecast_group_demand_nodes',
    'Nodes the group needs for its running and pending pods (bin-packed).',
    ['group'],
  ),
  groupRequestedCpu: gauge('nodecast_group_requested_cpu_cores', 'CPU requested by pods of the group.', [
    'group',
  ]),
  groupRequestedMemory: gauge(
    'nodecast_group_requested_memory_bytes',
    'Memory requested by pods of the group.',
    ['group'],
  ),
  groupAllocatableCpu: gauge(
    'nodecast_group_allocatable_cpu_cores',
    'Allocatable CPU of ready nodes of the group.',
    ['group'],
  ),
  groupAllocatableMemory: gauge(
    'nodecast_group_allocatable_memory_bytes',
    'Allocatable memory of ready nodes of the group.',
    ['group'],
  ),
  groupUsedCpu: gauge('nodecast_group_used_cpu_cores', 'CPU used on nodes of the group (usage source).', [
    'group',
  ]),
  groupUsedMemory: gauge(
    'nodecast_group_used_memory_bytes',
    'Memory used on nodes of the group (usage source).',
    ['group'],
  ),

  // --- queues
  queueRequestedCpu: gauge('nodecast_queue_requested_cpu_cores', 'CPU requested by pods of the queue.', [
    'queue',
    'group',
  ]),
  queueRequestedMemory: gauge(
    'nodecast_queue_requested_memory_bytes',
    'Memory requested by pods of the queue.',
    ['queue', 'group'],
  ),
  queueUsedCpu: gauge('nodecast_queue_used_cpu_cores', 'CPU used by pods of the queue (usage source).', [
    'queue',
    'group',
  ]),
  queueUsedMemory: gauge(
    'nodecast_queue_used_memory_bytes',
    'Memory used by pods of the queue (usage source).',
    ['queue', 'group'],
  ),
  queueMaxCpu: gauge(
    'nodecast_queue_max_cpu_cores',
    'Configured CPU limit of the queue (absent when unbounded).',
    ['queue', 'group'],
  ),
  queueMaxMemory: gauge(
    'nodecast_queue_max_memory_bytes',
    'Configured memory limit of the queue (absent when unbounded).',
    ['queue', 'group'],
  ),

  // --- pending pods
  pendingPods: gauge(
    'nodecast_pending_pods',
    'Pending Spark pods by group, role and reason (unschedulable, quota_held).',
    ['group', 'role', 'reason'],
  ),
  oldestPendingAge: gauge(
    'nodecast_pending_pod_oldest_age_seconds',
    'Age of the oldest unschedulable (not quota-held) pod of the group and role; 0 when none.',
    ['group', 'role'],
  ),

  // --- forecast
  forecastPoint: gauge('nodecast_forecast_point_nodes', 'Point forecast of demand at now + lead.', ['group']),
  forecastQuantile: gauge(
    'nodecast_forecast_quantile_nodes',
    'Forecast demand at now + lead at the configured quantile (forecast.quantile, default p80).',
    ['group'],
  ),
  forecastQuantileLevel: gauge(
    'nodecast_forecast_quantile_level',
    'The quantile the forecast target covers.',
    ['group'],
  ),
  forecastLead: gauge('nodecast_forecast_lead_seconds', 'Lead time the forecast looks ahead.', ['group']),
  forecastModel: gauge('nodecast_forecast_model_info', 'Always 1; the model chosen for the group.', [
    'group',
    'model',
  ]),
  forecastMase: gauge(
    'nodecast_forecast_mase',
    'Rolling forecast error: MASE against seasonal naive (below 1 beats it).',
    ['group'],
  ),
  forecastTrusted: gauge('nodecast_forecast_trusted', '1 when the forecast is trusted enough to act on.', [
    'group',
  ]),
  forecastMode: gauge(
    'nodecast_forecast_mode',
    '1 for the forecast mode of the group (off, shadow, active).',
    ['group', 'mode'],
  ),

  // --- actions
  scaleOutActions: counter(
    'nodecast_scale_out_actions_total',
    'Scale-out requests made, by group and reason.',
    ['group', 'reason'],
  ),
  apiAuthFailures: counter(
    'nodecast_api_auth_failures_total',
    'API requests refused for their credentials, by reason (missing, invalid, forbidden).',
    ['reason'],
  ),
  scaleInActions: counter('nodecast_scale_in_actions_total', 'Scale-in requests made, by group and reason.', [
    'group',
    'reason',
  ]),
  scaleOutNodes: counter(
    'nodecast_scale_out_nodes_total',
    'Nodes requested by scale-outs, by group and reason.',
    ['group', 'reason'],
  ),
  scaleInNodes: counter('nodecast_scale_in_nodes_total', 'Nodes removed by scale-ins, by group and reason.', [
    'group',
    'reason',
  ]),
  usageSourceErrors: counter(
    'nodecast_usage_source_errors_total',
    'Failed polls of the usage source (metrics-server or the node collectors).',
    ['kind'],
  ),
  providerErrors: counter(
    'nodecast_provider_errors_total',
    'Failed provider calls, by group and error kind.',
    ['group', 'kind'],
  ),

  // --- latencies
  scaleOutLatency: histogram(
    'nodecast_scale_out_latency_seconds',
    'Time from a scale-out request to all requested nodes Ready.',
    ['group'],
    LATENCY_BUCKETS,
    true,
  ),
  podPendingTime: histogram(
    'nodecast_pod_pending_seconds',
    'Time from a Spark pod turning unschedulable to it being scheduled.',
    ['group', 'role'],
    LATENCY_BUCKETS,
    true,
  ),

  // --- the loop
  tickDuration: histogram(
    'nodecast_tick_duration_seconds',
    'Duration of each stage of a tick.',
    ['stage'],
    TICK_BUCKETS,
  ),
  ticks: counter('nodecast_ticks_total', 'Ticks run.', []),
  tickErrors: counter('nodecast_tick_errors_total', 'Ticks that failed, by the stage that failed.', [
    'stage',
  ]),
  lastTick: gauge('nodecast_last_tick_timestamp_seconds', 'Unix time the last tick finished.', []),
  isLeader: gauge('nodecast_is_leader', '1 when this replica holds the leader lease.', []),

  // --- watches
  watchLastEventAge: gauge(
    'nodecast_watch_last_event_age_seconds',
    'Seconds since the last event (or bookmark) of the watch, by resource kind (pods, nodes ...).',
    ['kind'],
  ),
  watchRelists: counter('nodecast_watch_relists_total', 'Full re-lists of the watched resource.', ['kind']),
  watchSynced: gauge('nodecast_watch_synced', '1 once the watch has listed and is following events.', [
    'kind',
  ]),

  // --- build
  buildInfo: gauge('nodecast_build_info', 'Always 1; the running build.', [
    'version',
    'node_version',
    'commit',
  ]),

  // --- cost (in the currency of the configured price per node-hour)
  costRate: gauge('nodecast_group_cost_hourly_rate', 'Current cost per hour of the group: nodes x price.', [
    'group',
  ]),
  costTotal: counter('nodecast_group_cost_total', 'Estimated cost accumulated: node-hours x price.', [
    'group',
  ]),
  maxFleetCostRate: gauge(
    'nodecast_group_max_fleet_cost_hourly_rate',
    'Cost per hour of the group fixed at its max size: the static baseline.',
    ['group'],
  ),
  savingTotal: counter(
    'nodecast_group_saving_total',
    'Estimated saving accumulated against a fleet fixed at max.',
    ['group'],
  ),
} as const;

export type Catalog = typeof catalog;
export type MetricKey = keyof Catalog;

/** The catalog as data, in declaration order. */
export const metricDefinitions: readonly MetricDefinition[] = Object.values(catalog);

/**
 * Every series name a Prometheus server stores for the catalog: histograms add `_bucket`, `_sum`
 * and `_count`. PromQL checks use this set.
 */
export function exportedSeriesNames(
  defs: readonly MetricDefinition[] = metricDefinitions,
): ReadonlySet<string> {
  const names = new Set<string>();
  for (const def of defs) {
    if (def.type === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(def.name + suffix);
    } else {
      names.add(def.name);
    }
  }
  return names;
}
