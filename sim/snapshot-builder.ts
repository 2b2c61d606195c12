/**
 * Builds the ClusterSnapshot the policies decide on from the simulator's state. Built every tick,
 * so it is incremental: views are rebuilt only for pods, nodes and groups touched since the last
 * snapshot, and maps are copied only when something changed (copy-on-write keeps every snapshot
 * handed out immutable).
 */
import type { ClusterSnapshot, GroupObservation, NodeView, PodView } from '../agent/state/snapshot.js';
import type { SimGroup, SimNode, SimPod } from './model.js';

export const SIM_NAMESPACE = 'spark';

export function podView(pod: SimPod): PodView {
  return {
    uid: pod.uid,
    namespace: SIM_NAMESPACE,
    name: pod.name,
    sparkRole: pod.role,
    app: pod.app.job.app,
    queue: pod.queue.config.name,
    requests: { cpu: pod.cpu, memoryBytes: pod.memoryBytes },
    phase: pod.phase === 'Running' ? 'Running' : 'Pending',
    nodeName: pod.node?.name ?? null,
    unschedulableSince: pod.unschedulableSince,
    quotaHeld: pod.quotaHeld,
    nodeSelector: pod.group.config.nodeSelector,
    group: pod.group.config.name,
  };
}

export function nodeView(node: SimNode): NodeView {
  const config = node.group.config;
  const uids: string[] = [];
  for (const pod of node.pods) uids.push(pod.uid);
  return {
    name: node.name,
    group: config.name,
    ready: node.ready,
    unschedulable: false,
    allocatable: { cpu: config.shape.cpu, memoryBytes: config.shape.memoryBytes, pods: config.shape.pods },
    labels: { ...config.nodeSelector, 'kubernetes.io/hostname': node.name },
    // The Node object appears when the machine registers, i.e. when it turns Ready here.
    createdAt: node.readyAt,
    podUids: uids,
  };
}

export class SnapshotBuilder {
  private pods = new Map<string, PodView>();
  private nodes = new Map<string, NodeView>();
  private groups = new Map<string, GroupObservation>();
  private readonly dirtyPods = new Set<SimPod>();
  private readonly dirtyNodes = new Set<SimNode>();
  private readonly dirtyGroups = new Set<SimGroup>();

  touchPod(pod: SimPod): void {
    this.dirtyPods.add(pod);
  }

  touchNode(node: SimNode): void {
    this.dirtyNodes.add(node);
  }

  touchGroup(group: SimGroup): void {
    this.dirtyGroups.add(group);
  }

  build(now: number): ClusterSnapshot {
    if (this.dirtyPods.size > 0) {
      const pods = new Map(this.pods);
      for (const pod of this.dirtyPods) {
        if (pod.phase === 'Gone') pods.delete(pod.uid);
        else pods.set(pod.uid, podView(pod));
      }
      this.pods = pods;
      this.dirtyPods.clear();
    }
    if (this.dirtyNodes.size > 0) {
      const nodes = new Map(this.nodes);
      // Only registered (Ready) nodes are Kubernetes Node objects; provisioning ones show in targetSize.
      for (const node of this.dirtyNodes) {
        if (node.deleted || !node.ready) nodes.delete(node.name);
        else nodes.set(node.name, nodeView(node));
      }
      this.nodes = nodes;
      this.dirtyNodes.clear();
    }
    if (this.dirtyGroups.size > 0) {
      const groups = new Map(this.groups);
      for (const group of this.dirtyGroups) {
        groups.set(group.config.name, { name: group.config.name, targetSize: group.nodes.size });
      }
      this.groups = groups;
      this.dirtyGroups.clear();
    }
    return { takenAt: now, nodes: this.nodes, pods: this.pods, groups: this.groups };
  }
}
