/**
 * One pass over the snapshot that sorts what decide needs by node group: the group's nodes, which
 * of them host Spark pods, which are idle (removal candidates, with their load), and the pods
 * waiting for capacity. Linear in nodes + pods; everything later works on these small summaries.
 */
import type { NodeGroupConfig } from '../config/types.js';
import type { ClusterSnapshot, NodeView, PodView, Resources } from '../state/snapshot.js';

/** A node without Spark pods, with the requests of what does run there (daemons, other pods). */
export interface IdleNode {
  readonly node: NodeView;
  readonly requestedCpu: number;
  readonly requestedMemoryBytes: number;
}

export interface GroupFacts {
  /** Registered nodes of the group (any readiness). */
  readonly nodes: NodeView[];
  /** Nodes hosting at least one Spark pod, or a pod the snapshot does not describe. */
  occupied: number;
  /** Spark-free, schedulable nodes: the only nodes decide may ever remove. */
  readonly idle: IdleNode[];
  /** Pending pods the scheduler marked Unschedulable (quota-held excluded): drive scale-out. */
  readonly unschedulable: Resources[];
  /** All unbound pending pods not held by quota, and executors Spark apps are about to create: part of demand. */
  readonly pending: Resources[];
  /** Epoch ms the oldest unschedulable (not quota-held) Spark pod became so; null if none. */
  oldestUnschedulableSince: number | null;
  quotaHeld: number;
  requestedCpu: number;
  requestedMemoryBytes: number;
}

const terminated = (pod: PodView): boolean => pod.phase === 'Succeeded' || pod.phase === 'Failed';

export function collectGroupFacts(
  snapshot: ClusterSnapshot,
  groups: readonly NodeGroupConfig[],
): ReadonlyMap<string, GroupFacts> {
  const byGroup = new Map<string, GroupFacts>();
  for (const group of groups) {
    byGroup.set(group.name, {
      nodes: [],
      occupied: 0,
      idle: [],
      unschedulable: [],
      pending: [],
      oldestUnschedulableSince: null,
      quotaHeld: 0,
      requestedCpu: 0,
      requestedMemoryBytes: 0,
    });
  }
  const sparkNodes = new Set<string>();
  for (const pod of snapshot.pods.values()) {
    if (terminated(pod)) continue;
    if (pod.nodeName !== null && pod.sparkRole !== null) sparkNodes.add(pod.nodeName);
    const facts = pod.group === null ? undefined : byGroup.get(pod.group);
    if (!facts) continue;
    if (pod.nodeName === null) {
      if (pod.quotaHeld) {
        facts.quotaHeld++;
        continue;
      }
      facts.pending.push(pod.requests);
      if (pod.unschedulableSince !== null) {
        facts.unschedulable.push(pod.requests);
        if (pod.sparkRole !== null)
          facts.oldestUnschedulableSince = Math.min(
            facts.oldestUnschedulableSince ?? Infinity,
            pod.unschedulableSince,
          );
      }
    }
    facts.requestedCpu += pod.requests.cpu;
    facts.requestedMemoryBytes += pod.requests.memoryBytes;
  }
  // Executors Spark apps will create shortly are demand, not yet unschedulable pods (no scale-out).
  for (const [group, requests] of snapshot.expectedExecutors ?? []) {
    const facts = byGroup.get(group);
    if (!facts) continue;
    for (const r of requests) {
      facts.pending.push(r);
      facts.requestedCpu += r.cpu;
      facts.requestedMemoryBytes += r.memoryBytes;
    }
  }
  for (const node of snapshot.nodes.values()) {
    const facts = node.group === null ? undefined : byGroup.get(node.group);
    if (!facts) continue;
    facts.nodes.push(node);
    const idle = sparkNodes.has(node.name) ? undefined : inspectIdle(node, snapshot.pods);
    if (!idle) facts.occupied++;
    else if (!node.unschedulable) facts.idle.push(idle);
  }
  return byGroup;
}

/**
 * Cross-checks the node's own pod list: a listed pod that is a Spark pod, or that the snapshot
 * does not know, keeps the node (we cannot prove it is safe to remove). Returns the node's load
 * when it is idle.
 */
function inspectIdle(node: NodeView, pods: ReadonlyMap<string, PodView>): IdleNode | undefined {
  let requestedCpu = 0;
  let requestedMemoryBytes = 0;
  for (const uid of node.podUids) {
    const pod = pods.get(uid);
    if (!pod) return undefined;
    if (terminated(pod)) continue;
    if (pod.sparkRole !== null) return undefined;
    requestedCpu += pod.requests.cpu;
    requestedMemoryBytes += pod.requests.memoryBytes;
  }
  return { node, requestedCpu, requestedMemoryBytes };
}
