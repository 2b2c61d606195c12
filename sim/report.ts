/** The summary of one simulated run: cost (node-hours) and delay (pending times, slowdown). */
import { mean, quantile } from 'simple-statistics';
import type { Cluster } from './cluster.js';
import type { Metrics, Rejection } from './metrics.js';

export interface Percentiles {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

/** A queue's share of the executor wait: pods, their p95, and how many waited for a node. */
export interface QueueWaits {
  readonly pods: number;
  readonly p95: number | null;
  /** Pods that waited longer than WAITED_SECONDS: they found no room and waited for capacity. */
  readonly waited: number;
}

/**
 * A pod that fits a running node binds within a scheduling cycle or two; one that waits longer
 * than this waited for a node to be added (or for quota). The p95 is 0 only when under 5% did.
 */
export const WAITED_SECONDS = 30;

export interface SimReport {
  readonly policy: string;
  /** Jobs in the trace. */
  readonly jobs: number;
  readonly jobsCompleted: number;
  /** Could never fit the cluster or queue (see `rejections`); never started. */
  readonly jobsRejected: number;
  /** Their driver was killed (a policy removed its node). */
  readonly jobsFailed: number;
  /** Still running or pending when the simulation stopped. */
  readonly jobsUnfinished: number;
  readonly nodeHours: number;
  readonly nodeHoursByGroup: Readonly<Record<string, number>>;
  /** node-hours x pricePerNodeHour of each group. */
  readonly cost: number;
  readonly peakNodes: number;
  readonly peakNodesByGroup: Readonly<Record<string, number>>;
  readonly executorPendingSeconds: Percentiles;
  /** Executor pending by YuniKorn queue (absent in results written before it existed). */
  readonly executorPendingByQueue?: Readonly<Record<string, QueueWaits>>;
  readonly driverPendingSeconds: Percentiles;
  /** (finish - submit) / duration_seconds of completed jobs. */
  readonly jobSlowdown: { readonly mean: number | null; readonly p95: number | null };
  /** Scale-out request until every requested node is Ready. */
  readonly scaleOutLatencySeconds: {
    readonly p50: number | null;
    readonly p95: number | null;
    readonly count: number;
  };
  readonly evictions: number;
  readonly podsKilledByNodeDeletion: number;
  /** Must be 0 for nodecast's policies: a node removed while executors ran on it. */
  readonly executorNodesRemovedWhileBusy: number;
  readonly driverNodesRemovedWhileBusy: number;
  /** The first rejections, with reasons. */
  readonly rejections: readonly Rejection[];
  readonly simulatedHours: number;
  readonly policyTicks: number;
  readonly wallSeconds: number;
}

function q(values: readonly number[], p: number): number | null {
  return values.length === 0 ? null : round(quantile(values, p));
}

export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function percentiles(values: readonly number[]): Percentiles {
  return { p50: q(values, 0.5), p95: q(values, 0.95), p99: q(values, 0.99) };
}

function queueWaits(byQueue: ReadonlyMap<string, readonly number[]>): Record<string, QueueWaits> {
  const out: Record<string, QueueWaits> = {};
  for (const [queue, seconds] of [...byQueue].sort(([a], [b]) => a.localeCompare(b))) {
    out[queue] = {
      pods: seconds.length,
      p95: q(seconds, 0.95),
      waited: seconds.filter((s) => s > WAITED_SECONDS).length,
    };
  }
  return out;
}

export function buildReport(input: {
  readonly policy: string;
  readonly metrics: Metrics;
  readonly cluster: Cluster;
  readonly unfinished: number;
  readonly start: number;
  readonly end: number;
  readonly wallSeconds: number;
}): SimReport {
  const { metrics, cluster } = input;
  const nodeHoursByGroup: Record<string, number> = {};
  const peakNodesByGroup: Record<string, number> = {};
  let nodeHours = 0;
  let cost = 0;
  for (const [name, group] of cluster.groups) {
    const hours = group.nodeMs / 3_600_000;
    nodeHoursByGroup[name] = round(hours, 1);
    peakNodesByGroup[name] = group.peakNodes;
    nodeHours += hours;
    cost += hours * group.config.pricePerNodeHour;
  }
  return {
    policy: input.policy,
    jobs: metrics.jobs,
    jobsCompleted: metrics.jobsCompleted,
    jobsRejected: metrics.rejected.length,
    jobsFailed: metrics.jobsFailed,
    jobsUnfinished: input.unfinished,
    nodeHours: round(nodeHours, 1),
    nodeHoursByGroup,
    cost: round(cost, 2),
    peakNodes: cluster.peakTotalNodes,
    peakNodesByGroup,
    executorPendingSeconds: percentiles(metrics.executorPendingSeconds),
    executorPendingByQueue: queueWaits(metrics.executorPendingByQueue),
    driverPendingSeconds: percentiles(metrics.driverPendingSeconds),
    jobSlowdown: {
      mean: metrics.slowdowns.length === 0 ? null : round(mean(metrics.slowdowns)),
      p95: q(metrics.slowdowns, 0.95),
    },
    scaleOutLatencySeconds: {
      p50: q(metrics.scaleOutLatencySeconds, 0.5),
      p95: q(metrics.scaleOutLatencySeconds, 0.95),
      count: metrics.scaleOutLatencySeconds.length,
    },
    evictions: metrics.evictions,
    podsKilledByNodeDeletion: metrics.podsKilledByNodeDeletion,
    executorNodesRemovedWhileBusy: metrics.executorNodesRemovedWhileBusy,
    driverNodesRemovedWhileBusy: metrics.driverNodesRemovedWhileBusy,
    rejections: metrics.rejected.slice(0, 20),
    simulatedHours: round((input.end - input.start) / 3_600_000, 2),
    policyTicks: metrics.ticks,
    wallSeconds: round(input.wallSeconds, 2),
  };
}
