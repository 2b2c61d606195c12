/**
 * The contract every scaling backend implements (clusterapi, headroom, sim, dry-run). Kept small,
 * like cluster-autoscaler's NodeGroup: the actuator owns retries, validation and idempotency
 * bookkeeping; a provider only translates one call into its backend.
 */
import type { NodeGroupConfig } from '../config/types.js';

/** The Kubernetes object a provider scales for a group, for Events (additive to the contract). */
export interface ObjectReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface Provider {
  /** Backend name, for logs, metrics and events. */
  readonly kind: string;

  /**
   * The size the backend is currently working towards for `group`, including nodes still
   * provisioning. Must reflect the backend's own state (not a cache of our last request), so a
   * restarted agent sees scale-outs it made before.
   */
  targetSize(group: NodeGroupConfig): Promise<number>;

  /**
   * Sets the group's target to `size` when `size` is larger than the current target; a no-op
   * otherwise. Idempotent: calling it twice with the same size adds nodes once.
   */
  scaleUpTo(group: NodeGroupConfig, size: number): Promise<void>;

  /**
   * Removes exactly the named nodes from the group and lowers its target by their count. Nodes
   * already gone are skipped (idempotent). The caller has checked they run no protected pods.
   */
  deleteNodes(group: NodeGroupConfig, nodeNames: readonly string[]): Promise<void>;

  /**
   * Optional: the object this provider scales for `group` (a MachineDeployment, a headroom
   * Deployment), where scale Events are recorded. Undefined: nothing to attach Events to.
   */
  scaledObject?(group: NodeGroupConfig): ObjectReference | undefined;
}
