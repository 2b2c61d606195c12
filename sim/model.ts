/**
 * Mutable state of the simulated cluster. Only the engine and its parts (cluster, scheduler,
 * spark-apps) mutate it; policies see it through immutable ClusterSnapshots.
 */
import type { NodeGroupConfig, QueueConfig } from '../agent/config/types.js';
import type { SparkRole } from '../agent/state/snapshot.js';
import type { TraceJob } from './trace-types.js';

/** Requested (reserved) and used resources, kept as running totals. */
export interface ResourceTally {
  reqCpu: number;
  reqMemoryBytes: number;
  useCpu: number;
  useMemoryBytes: number;
  pods: number;
}

export function emptyTally(): ResourceTally {
  return { reqCpu: 0, reqMemoryBytes: 0, useCpu: 0, useMemoryBytes: 0, pods: 0 };
}

export interface SimNode {
  readonly name: string;
  /** Creation order across the cluster; bin-packing ties go to the oldest node. */
  readonly seq: number;
  readonly group: SimGroup;
  /** When the node was requested: billing starts here. */
  readonly createdAt: number;
  readonly readyAt: number;
  ready: boolean;
  deleted: boolean;
  readonly pods: Set<SimPod>;
  readonly tally: ResourceTally;
  /** The scale-out request this node belongs to, until it is Ready. */
  request: ScaleOutRequest | null;
}

export interface ScaleOutRequest {
  readonly group: SimGroup;
  readonly requestedAt: number;
  remaining: number;
}

export interface SimGroup {
  readonly config: NodeGroupConfig;
  /** Live nodes (provisioning and Ready); their count is the provider's target size. */
  readonly nodes: Map<string, SimNode>;
  /** Ready nodes sorted by seq: where the scheduler places pods. */
  readyNodes: SimNode[];
  /** Pending pods that need this group, in scheduling order. */
  pending: SimPod[];
  readonly tally: ResourceTally;
  /** Ready nodes with at least one pod. */
  busyNodes: number;
  peakBusyNodes: number;
  peakNodes: number;
  /** Node-milliseconds accumulated up to `accountedAt`. */
  nodeMs: number;
  accountedAt: number;
}

export interface SimQueue {
  readonly config: QueueConfig;
  readonly group: SimGroup;
  readonly tally: ResourceTally;
}

export type SimPodPhase = 'Pending' | 'Running' | 'Gone';

export interface SimPod {
  readonly uid: string;
  readonly name: string;
  readonly seq: number;
  readonly app: SimApp;
  readonly role: SparkRole;
  readonly cpu: number;
  readonly memoryBytes: number;
  readonly group: SimGroup;
  readonly queue: SimQueue;
  readonly createdAt: number;
  phase: SimPodPhase;
  node: SimNode | null;
  unschedulableSince: number | null;
  quotaHeld: boolean;
  /** Not yet tried by the scheduler. */
  fresh: boolean;
}

export type SimAppState = 'driver-pending' | 'running' | 'done' | 'failed';

export interface SimApp {
  readonly job: TraceJob;
  /** Submission order: the scheduler serves older apps first. */
  readonly seq: number;
  readonly queue: SimQueue;
  /** Share of requests the app's pods actually use (deterministic per app). */
  readonly cpuShare: number;
  readonly memoryShare: number;
  state: SimAppState;
  driver: SimPod | null;
  /** Executor pods alive (pending or running). */
  readonly executors: Set<SimPod>;
  /** Executor pods created so far, for names. */
  executorsCreated: number;
  runningExecutors: number;
  batchScheduled: boolean;
  /** Seconds of full-speed work done, up to `progressAt`. */
  workDone: number;
  progressAt: number;
  rate: number;
  /** Bumped whenever the rate changes; stale finish events carry an old version. */
  version: number;
  finishedAt: number | null;
}
