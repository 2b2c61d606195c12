import { describe, expect, it } from 'vitest';
import { metricSeries, metricValue } from './metric-values.js';
import { createMetrics } from './metrics.js';
import type { Metrics } from './metrics.js';
import {
  classifyProviderError,
  recordCost,
  recordForecastStatus,
  recordGroupStatus,
  recordPodScheduled,
  recordProviderError,
  recordQueueStatus,
  recordScaleAction,
  recordScaleOutLatency,
  recordTick,
  recordWatchEvent,
  recordWatchRelist,
  recordWatchSynced,
  scaleReason,
} from './record.js';
import type { GroupStatus } from './record.js';

const none = { unschedulable: 0, quotaHeld: 0, oldestUnschedulableSeconds: 0 };
const executorGroup: GroupStatus = {
  group: 'spark-executor',
  role: 'executor',
  ready: 8,
  notReady: 1,
  provisioning: 3,
  target: 12,
  min: 2,
  max: 200,
  demandNodes: 11,
  requestedCpu: 80.5,
  requestedMemoryBytes: 640 * 2 ** 30,
  allocatableCpu: 120,
  allocatableMemoryBytes: 960 * 2 ** 30,
  pendingByRole: {
    driver: none,
    executor: { unschedulable: 14, quotaHeld: 2, oldestUnschedulableSeconds: 95 },
  },
  usedCpu: 61.25,
};

const value = (m: Metrics, name: string, labels: Record<string, string> = {}) => metricValue(m, name, labels);

describe('recordGroupStatus', () => {
  it('writes size, bounds, demand, capacity, usage and pending pods', async () => {
    const m = createMetrics();
    recordGroupStatus(m, executorGroup);
    const g = { group: 'spark-executor' };
    expect(await value(m, 'nodecast_group_info', { ...g, role: 'executor' })).toBe(1);
    expect(await value(m, 'nodecast_group_nodes', { ...g, state: 'ready' })).toBe(8);
    expect(await value(m, 'nodecast_group_nodes', { ...g, state: 'not_ready' })).toBe(1);
    expect(await value(m, 'nodecast_group_nodes', { ...g, state: 'provisioning' })).toBe(3);
    expect(await value(m, 'nodecast_group_target_nodes', g)).toBe(12);
    expect(await value(m, 'nodecast_group_max_nodes', g)).toBe(200);
    expect(await value(m, 'nodecast_group_demand_nodes', g)).toBe(11);
    expect(await value(m, 'nodecast_group_requested_cpu_cores', g)).toBe(80.5);
    expect(await value(m, 'nodecast_group_allocatable_memory_bytes', g)).toBe(960 * 2 ** 30);
    expect(await value(m, 'nodecast_group_used_cpu_cores', g)).toBe(61.25);
    expect(await value(m, 'nodecast_group_used_memory_bytes', g)).toBeUndefined();
    expect(await value(m, 'nodecast_pending_pods', { ...g, role: 'executor', reason: 'unschedulable' })).toBe(
      14,
    );
    expect(await value(m, 'nodecast_pending_pods', { ...g, role: 'executor', reason: 'quota_held' })).toBe(2);
    expect(await value(m, 'nodecast_pending_pods', { ...g, role: 'driver', reason: 'unschedulable' })).toBe(
      0,
    );
    expect(await value(m, 'nodecast_pending_pod_oldest_age_seconds', { ...g, role: 'executor' })).toBe(95);
  });

  it('skips non-finite numbers instead of exporting NaN or throwing', async () => {
    const m = createMetrics();
    recordGroupStatus(m, { ...executorGroup, demandNodes: Number.NaN, target: Infinity });
    expect(await value(m, 'nodecast_group_demand_nodes', { group: 'spark-executor' })).toBeUndefined();
    expect(await value(m, 'nodecast_group_target_nodes', { group: 'spark-executor' })).toBeUndefined();
    expect(await value(m, 'nodecast_group_min_nodes', { group: 'spark-executor' })).toBe(2);
  });
});

describe('recordQueueStatus', () => {
  it('exports limits only for bounded queues', async () => {
    const m = createMetrics();
    const q = { queue: 'etl', group: 'spark-executor', requestedCpu: 12, requestedMemoryBytes: 1e9 };
    recordQueueStatus(m, { ...q, maxCpu: 100, maxMemoryBytes: Infinity, usedCpu: 9 });
    expect(await value(m, 'nodecast_queue_max_cpu_cores', { queue: 'etl' })).toBe(100);
    expect(await value(m, 'nodecast_queue_max_memory_bytes', { queue: 'etl' })).toBeUndefined();
    expect(await value(m, 'nodecast_queue_used_cpu_cores', { queue: 'etl' })).toBe(9);
    recordQueueStatus(m, { ...q, maxCpu: Infinity });
    expect(await value(m, 'nodecast_queue_max_cpu_cores', { queue: 'etl' })).toBeUndefined();
  });
});

describe('recordForecastStatus', () => {
  const base = {
    group: 'g',
    mode: 'active' as const,
    trusted: true,
    pointNodes: 10,
    quantileNodes: 14,
    quantile: 0.9,
  };

  it('exports the mode one-hot and the numbers', async () => {
    const m = createMetrics();
    recordForecastStatus(m, { ...base, model: 'mstl', leadSeconds: 310, mase: 0.8 });
    expect(await value(m, 'nodecast_forecast_mode', { group: 'g', mode: 'active' })).toBe(1);
    expect(await value(m, 'nodecast_forecast_mode', { group: 'g', mode: 'shadow' })).toBe(0);
    expect(await value(m, 'nodecast_forecast_trusted', { group: 'g' })).toBe(1);
    expect(await value(m, 'nodecast_forecast_quantile_nodes', { group: 'g' })).toBe(14);
    expect(await value(m, 'nodecast_forecast_lead_seconds', { group: 'g' })).toBe(310);
    expect(await value(m, 'nodecast_forecast_mase', { group: 'g' })).toBe(0.8);
  });

  it('keeps exactly one model series per group', async () => {
    const m = createMetrics();
    recordForecastStatus(m, { ...base, model: 'seasonal-naive' });
    recordForecastStatus(m, { ...base, model: 'ets' });
    recordForecastStatus(m, { ...base, group: 'h', model: 'seasonal-naive' });
    const series = await metricSeries(m, 'nodecast_forecast_model_info');
    expect(series.map((s) => `${s.labels.group}/${s.labels.model}`).sort()).toEqual([
      'g/ets',
      'h/seasonal-naive',
    ]);
  });

  it('drops forecast numbers when forecasting is turned off', async () => {
    const m = createMetrics();
    recordForecastStatus(m, { ...base, model: 'ets' });
    recordForecastStatus(m, { group: 'g', mode: 'off', trusted: false });
    expect(await value(m, 'nodecast_forecast_point_nodes', { group: 'g' })).toBeUndefined();
    expect(await value(m, 'nodecast_forecast_trusted', { group: 'g' })).toBe(0);
    expect(await value(m, 'nodecast_forecast_mode', { group: 'g', mode: 'off' })).toBe(1);
    expect(await metricSeries(m, 'nodecast_forecast_model_info')).toEqual([]);
  });
});

describe('scale actions and provider errors', () => {
  it('counts actions and nodes by direction, group and reason', async () => {
    const m = createMetrics();
    recordScaleAction(m, { group: 'g', direction: 'out', nodes: 5, reason: 'pending-pods' });
    recordScaleAction(m, { group: 'g', direction: 'out', nodes: 2, reason: 'pending-pods' });
    recordScaleAction(m, { group: 'g', direction: 'in', nodes: 3, reason: 'idle-node' });
    recordScaleAction(m, { group: 'g', direction: 'in', nodes: 0, reason: 'idle-node' });
    expect(await value(m, 'nodecast_scale_out_actions_total', { group: 'g', reason: 'pending-pods' })).toBe(
      2,
    );
    expect(await value(m, 'nodecast_scale_out_nodes_total', { group: 'g', reason: 'pending-pods' })).toBe(7);
    expect(await value(m, 'nodecast_scale_in_actions_total', { group: 'g', reason: 'idle-node' })).toBe(1);
    expect(await value(m, 'nodecast_scale_in_nodes_total', { group: 'g', reason: 'idle-node' })).toBe(3);
  });

  it('picks the reason that drove the change', () => {
    const r = (...codes: string[]) => codes.map((code) => ({ code }) as { code: never });
    expect(scaleReason(r('provisioning', 'pending-pods', 'forecast'), 'out')).toBe('pending-pods');
    expect(scaleReason(r('forecast', 'cooldown'), 'out')).toBe('forecast');
    expect(scaleReason(r('max', 'override', 'pending-pods'), 'out')).toBe('override');
    expect(scaleReason(r('scale-in-cap', 'idle-node'), 'in')).toBe('idle-node');
    expect(scaleReason(r('steady'), 'in')).toBe('steady');
    expect(scaleReason([], 'in')).toBe('steady');
  });

  it('keeps the provider error kind bounded', async () => {
    const m = createMetrics();
    recordProviderError(m, 'g', 'conflict');
    recordProviderError(m, 'g', 'some new failure mode');
    expect(await value(m, 'nodecast_provider_errors_total', { group: 'g', kind: 'conflict' })).toBe(1);
    expect(await value(m, 'nodecast_provider_errors_total', { group: 'g', kind: 'other' })).toBe(1);
  });

  it('classifies provider errors', () => {
    expect(classifyProviderError({ code: 409 })).toBe('conflict');
    expect(classifyProviderError({ statusCode: 404 })).toBe('not_found');
    expect(classifyProviderError({ status: 403 })).toBe('forbidden');
    expect(classifyProviderError({ code: 429 })).toBe('quota');
    expect(classifyProviderError({ code: 422 })).toBe('invalid');
    expect(classifyProviderError({ code: 503 })).toBe('unavailable');
    expect(classifyProviderError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(
      'unavailable',
    );
    expect(classifyProviderError(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe('timeout');
    expect(classifyProviderError(new Error('boom'))).toBe('other');
    expect(classifyProviderError('boom')).toBe('other');
  });
});

describe('latencies, ticks, watches and cost', () => {
  it('observes latencies with the trace id as exemplar and ignores impossible values', async () => {
    const m = createMetrics();
    recordScaleOutLatency(m, { group: 'g', seconds: 250, traceId: 'abcdef0123456789abcdef0123456789' });
    recordScaleOutLatency(m, { group: 'g', seconds: -1 });
    recordPodScheduled(m, { group: 'g', role: 'executor', seconds: 12 });
    recordPodScheduled(m, { group: 'g', role: 'executor', seconds: Number.NaN });
    expect(await value(m, 'nodecast_scale_out_latency_seconds_count', { group: 'g' })).toBe(1);
    expect(await value(m, 'nodecast_pod_pending_seconds_count', { group: 'g', role: 'executor' })).toBe(1);
    const { body } = await m.render('openmetrics');
    expect(body).toContain('le="300",group="g"} 1 # {trace_id="abcdef0123456789abcdef0123456789"} 250');
  });

  it('records ticks, stage durations, failures and the last tick time', async () => {
    const m = createMetrics();
    recordTick(m, { finishedAt: 1_700_000_000_000, stages: { observe: 0.004, decide: 0.002 } });
    recordTick(m, {
      finishedAt: 1_700_000_010_000,
      stages: { observe: 0.003, actuate: 0.2 },
      failedStage: 'actuate',
    });
    expect(await value(m, 'nodecast_ticks_total')).toBe(2);
    expect(await value(m, 'nodecast_tick_errors_total', { stage: 'actuate' })).toBe(1);
    expect(await value(m, 'nodecast_tick_duration_seconds_count', { stage: 'observe' })).toBe(2);
    expect(await value(m, 'nodecast_tick_duration_seconds_sum', { stage: 'actuate' })).toBeCloseTo(0.2);
    expect(await value(m, 'nodecast_last_tick_timestamp_seconds')).toBe(1_700_000_010);
  });

  it('records watch health', async () => {
    const m = createMetrics({ clock: { now: () => 60_000 } });
    recordWatchEvent(m, 'pods', 30_000);
    recordWatchRelist(m, 'pods');
    recordWatchSynced(m, 'pods', true);
    recordWatchSynced(m, 'nodes', false);
    expect(await value(m, 'nodecast_watch_last_event_age_seconds', { kind: 'pods' })).toBe(30);
    expect(await value(m, 'nodecast_watch_relists_total', { kind: 'pods' })).toBe(1);
    expect(await value(m, 'nodecast_watch_synced', { kind: 'nodes' })).toBe(0);
  });

  it('accumulates cost and saving against a fleet at max', async () => {
    const m = createMetrics();
    const input = { group: 'g', nodes: 3, maxNodes: 10, pricePerNodeHour: 2 };
    recordCost(m, input, 1800);
    recordCost(m, input, 1800);
    recordCost(m, { ...input, nodes: 12 }, 3600);
    expect(await value(m, 'nodecast_group_cost_hourly_rate', { group: 'g' })).toBe(24);
    expect(await value(m, 'nodecast_group_max_fleet_cost_hourly_rate', { group: 'g' })).toBe(20);
    expect(await value(m, 'nodecast_group_cost_total', { group: 'g' })).toBe(6 + 24);
    // Above max for an hour costs more than the static fleet; the saving counter never goes down.
    expect(await value(m, 'nodecast_group_saving_total', { group: 'g' })).toBe(14);
  });
});
