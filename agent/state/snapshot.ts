/**
 * The immutable view of the cluster that one tick decides on. Built by the observer (Kubernetes
 * watches or the simulator), never mutated afterwards: readers may share it freely.
 */
export type SparkRole = 'driver' | 'executor';
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** Resource requests of a pod, computed by Kubernetes rules (cpu in cores, memory in bytes). */
export interface Resources {
  readonly cpu: number;
  readonly memoryBytes: number;
}

export interface PodView {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly sparkRole: SparkRole | null;
  readonly app: string | null;
  readonly queue: string | null;
  readonly requests: Resources;
  readonly phase: PodPhase;
  readonly nodeName: string | null;
  /** Epoch ms when PodScheduled turned False/Unschedulable; null when not unschedulable. */
  readonly unschedulableSince: number | null;
  /** YuniKorn held it back for queue quota (reason SchedulingSkipped): new nodes cannot help it. */
  readonly quotaHeld: boolean;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** The node group this pod needs capacity in (resolved from selector, role and queue); null if none. */
  readonly group: string | null;
}

export interface NodeView {
  readonly name: string;
  /** The node group this node belongs to, or null when it matches none. */
  readonly group: string | null;
  readonly ready: boolean;
  /** Cordoned (spec.unschedulable) or being deleted: no new pods land on it. */
  readonly unschedulable: boolean;
  readonly allocatable: Resources & { readonly pods: number };
  readonly labels: Readonly<Record<string, string>>;
  /** Epoch ms of creation. */
  readonly createdAt: number;
  /** UIDs of non-terminated pods bound to this node. */
  readonly podUids: readonly string[];
}

/** What the provider says about a group: the size it is working towards. */
export interface GroupObservation {
  readonly name: string;
  /** The provider's current target size (includes nodes still provisioning). */
  readonly targetSize: number;
}

export interface ClusterSnapshot {
  /** Epoch ms when the snapshot was taken. */
  readonly takenAt: number;
  readonly nodes: ReadonlyMap<string, NodeView>;
  readonly pods: ReadonlyMap<string, PodView>;
  readonly groups: ReadonlyMap<string, GroupObservation>;
  /**
   * Executors SparkApplications are about to create but have no pods for yet, by executor group
   * (agent/state/spark-app-demand.ts). Absent when there are none (and in the simulator).
   */
  readonly expectedExecutors?: ReadonlyMap<string, readonly Resources[]>;
}
