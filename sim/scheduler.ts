/**
 * A YuniKorn-like scheduler: queue quotas (max cpu / memory), oldest application first, and
 * bin-packing placement (most-allocated node first) within the pod's node group. Incremental: a
 * pass only retries pods that something could have helped (new pods, freed node capacity in
 * their group, freed quota in their queue).
 */
import { allocatedScore, fits, type Cluster } from './cluster.js';
import type { SimGroup, SimNode, SimPod, SimQueue } from './model.js';

export interface SchedulerListener {
  /** The pod's pending status (unschedulableSince / quotaHeld) changed. */
  podChanged(pod: SimPod): void;
  /** The pod was bound to a node and is Running. */
  podScheduled(pod: SimPod, now: number): void;
}

const EPSILON = 1e-9;

/** Pods sort by application age, then creation order. */
function before(a: SimPod, b: SimPod): boolean {
  return a.app.seq < b.app.seq || (a.app.seq === b.app.seq && a.seq < b.seq);
}

function exceedsQuota(queue: SimQueue, pod: SimPod): boolean {
  const { maxCpu, maxMemoryBytes } = queue.config;
  return (
    queue.tally.reqCpu + pod.cpu > maxCpu + EPSILON ||
    queue.tally.reqMemoryBytes + pod.memoryBytes > maxMemoryBytes + EPSILON
  );
}

/** The fitting Ready node with the most allocated resources (oldest on ties), or null. */
export function bestNode(group: SimGroup, cpu: number, memoryBytes: number): SimNode | null {
  let best: SimNode | null = null;
  let bestScore = -1;
  for (const node of group.readyNodes) {
    if (!fits(node, cpu, memoryBytes)) continue;
    const score = allocatedScore(node);
    if (score > bestScore + EPSILON) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}

export class Scheduler {
  private readonly capacityFreed = new Set<SimGroup>();
  private readonly quotaFreed = new Set<SimQueue>();
  private readonly withFresh = new Set<SimGroup>();

  constructor(
    private readonly cluster: Cluster,
    private readonly listener: SchedulerListener,
  ) {}

  get dirty(): boolean {
    return this.withFresh.size > 0 || this.capacityFreed.size > 0 || this.quotaFreed.size > 0;
  }

  /** Queues a new pending pod. */
  add(pod: SimPod): void {
    const list = pod.group.pending;
    let i = list.length;
    while (i > 0 && before(pod, list[i - 1] as SimPod)) i--;
    list.splice(i, 0, pod);
    pod.fresh = true;
    this.withFresh.add(pod.group);
  }

  groupCapacityFreed(group: SimGroup): void {
    if (group.pending.length > 0) this.capacityFreed.add(group);
  }

  queueQuotaFreed(queue: SimQueue): void {
    // Unbounded queues never hold pods back: nothing to retry.
    if (Number.isFinite(queue.config.maxCpu) || Number.isFinite(queue.config.maxMemoryBytes)) {
      this.quotaFreed.add(queue);
    }
  }

  /** Places what can be placed; returns how many pods newly turned unschedulable. */
  pass(now: number): number {
    const capacityFreed = new Set(this.capacityFreed);
    const quotaFreed = new Set(this.quotaFreed);
    const groups = new Set<SimGroup>([...this.withFresh, ...capacityFreed]);
    // A queue's pods live in several groups (drivers and executors): retry them all.
    if (quotaFreed.size > 0) for (const group of this.cluster.groups.values()) groups.add(group);
    this.withFresh.clear();
    this.capacityFreed.clear();
    this.quotaFreed.clear();
    let newlyUnschedulable = 0;
    for (const group of groups) {
      newlyUnschedulable += this.passGroup(group, capacityFreed.has(group), quotaFreed, now);
    }
    return newlyUnschedulable;
  }

  private passGroup(
    group: SimGroup,
    everyPod: boolean,
    quotaFreed: ReadonlySet<SimQueue>,
    now: number,
  ): number {
    // Shapes that found no node in this pass: a pod at least as large cannot fit either.
    const failed: { cpu: number; memoryBytes: number }[] = [];
    const kept: SimPod[] = [];
    let newlyUnschedulable = 0;
    for (const pod of group.pending) {
      if (pod.phase !== 'Pending') continue;
      if (!(everyPod || pod.fresh || quotaFreed.has(pod.queue))) {
        kept.push(pod);
        continue;
      }
      pod.fresh = false;
      if (exceedsQuota(pod.queue, pod)) {
        this.markHeld(pod, true, null);
        kept.push(pod);
        continue;
      }
      const blocked = failed.some(
        (f) => pod.cpu >= f.cpu - EPSILON && pod.memoryBytes >= f.memoryBytes - EPSILON,
      );
      const node = blocked ? null : bestNode(group, pod.cpu, pod.memoryBytes);
      if (!node) {
        if (!blocked) failed.push({ cpu: pod.cpu, memoryBytes: pod.memoryBytes });
        if (pod.unschedulableSince === null) newlyUnschedulable++;
        this.markHeld(pod, false, pod.unschedulableSince ?? now);
        kept.push(pod);
        continue;
      }
      pod.phase = 'Running';
      this.markHeld(pod, false, null);
      this.cluster.bind(pod, node);
      this.listener.podScheduled(pod, now);
    }
    group.pending = kept;
    return newlyUnschedulable;
  }

  private markHeld(pod: SimPod, quotaHeld: boolean, unschedulableSince: number | null): void {
    if (pod.quotaHeld === quotaHeld && pod.unschedulableSince === unschedulableSince) return;
    pod.quotaHeld = quotaHeld;
    pod.unschedulableSince = unschedulableSince;
    this.listener.podChanged(pod);
  }
}
