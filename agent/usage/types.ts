/**
 * Shared shapes of the usage pipeline: samples of what pods and nodes actually use, and the
 * UsageSource the metrics listener reads (defined by agent/export/telemetry-listener.ts).
 * cpu is in cores, memory in bytes (working set: what the kernel would not reclaim, the number
 * the OOM killer and the kubelet's eviction act on).
 */
import type { ClusterSnapshot } from '../state/snapshot.js';

export type { UsageSource } from '../export/telemetry-listener.js';

export interface Usage {
  readonly cpu: number;
  readonly memoryBytes: number;
}

/** What one pod uses now (summed over its containers). */
export interface PodUsageSample extends Usage {
  readonly namespace: string;
  readonly name: string;
}

/** What one node uses now, system daemons and kubelet overhead included. */
export interface NodeUsageSample extends Usage {
  readonly node: string;
}

export interface UsageSamples {
  readonly pods: readonly PodUsageSample[];
  /**
   * Node-level samples, when the source has them. Undefined means "pods only": a node's usage is
   * then the sum of its pods', and a node without pod samples uses nothing.
   */
  readonly nodes?: readonly NodeUsageSample[];
}

/** The snapshot to attribute samples with; undefined until the observer has synced. */
export type SnapshotProvider = () => ClusterSnapshot | undefined;

/** Health of a polling usage source, for logs, /readyz-style reporting and tests. */
export interface UsageSourceStatus {
  readonly kind: 'metrics-server' | 'collector';
  /** Epoch ms of the last poll whose results are being served; null before the first. */
  readonly lastSuccessAt: number | null;
  readonly polls: number;
  /** Polls that failed outright (nothing usable came back). */
  readonly errors: number;
  readonly lastError: string | null;
  /** Items skipped as malformed (one pod metric, one collector report), across all polls. */
  readonly skippedItems: number;
  /** Samples of the last poll for pods / nodes the snapshot did not know (ignored). */
  readonly unknownPods: number;
  readonly unknownNodes: number;
  /** Nodes of the last snapshot that no sample covered. */
  readonly unsampledNodes: number;
}
