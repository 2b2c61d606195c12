/**
 * Per-group and per-queue facts derived from one snapshot and plan: what metrics export and what
 * the API shows. Pure and computed in one pass over nodes and pods.
 */
import type { Config } from '../config/types.js';
import type { Plan } from '../decide/plan.js';
import type { ClusterSnapshot } from '../state/snapshot.js';
import type { GroupStatus, PendingCounts, QueueStatus } from '../telemetry/record.js';

interface MutablePending {
  unschedulable: number;
  quotaHeld: number;
  oldestSince: number;
}

interface GroupTally {
  ready: number;
  notReady: number;
  readyNodes: string[];
  nodes: number;
  requestedCpu: number;
  requestedMemoryBytes: number;
  allocatableCpu: number;
  allocatableMemoryBytes: number;
  pending: { driver: MutablePending; executor: MutablePending };
}

export interface GroupFacts extends GroupStatus {
  readonly readyNodes: readonly string[];
  /** Epoch ms the oldest unschedulable (not quota-held) pod of the group became so; null if none. */
  readonly firstPendingAt: number | null;
}

const newPending = (): MutablePending => ({ unschedulable: 0, quotaHeld: 0, oldestSince: Infinity });

export function groupFacts(snapshot: ClusterSnapshot, config: Config, plan: Plan | undefined): GroupFacts[] {
  const tallies = new Map<string, GroupTally>();
  for (const g of config.nodeGroups) {
    tallies.set(g.name, {
      ready: 0,
      notReady: 0,
      readyNodes: [],
      nodes: 0,
      requestedCpu: 0,
      requestedMemoryBytes: 0,
      allocatableCpu: 0,
      allocatableMemoryBytes: 0,
      pending: { driver: newPending(), executor: newPending() },
    });
  }
  for (const node of snapshot.nodes.values()) {
    const t = node.group === null ? undefined : tallies.get(node.group);
    if (!t) continue;
    t.nodes++;
    if (node.ready) {
      t.ready++;
      t.readyNodes.push(node.name);
    } else t.notReady++;
    t.allocatableCpu += node.allocatable.cpu;
    t.allocatableMemoryBytes += node.allocatable.memoryBytes;
  }
  for (const pod of snapshot.pods.values()) {
    const t = pod.group === null ? undefined : tallies.get(pod.group);
    if (!t || pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    t.requestedCpu += pod.requests.cpu;
    t.requestedMemoryBytes += pod.requests.memoryBytes;
    if (pod.nodeName !== null || pod.sparkRole === null) continue;
    const p = t.pending[pod.sparkRole];
    if (pod.quotaHeld) p.quotaHeld++;
    else if (pod.unschedulableSince !== null) {
      p.unschedulable++;
      p.oldestSince = Math.min(p.oldestSince, pod.unschedulableSince);
    }
  }
  const decisions = new Map(plan?.decisions.map((d) => [d.group, d]));
  return config.nodeGroups.map((g) => {
    const t = tallies.get(g.name)!;
    const targetSize = snapshot.groups.get(g.name)?.targetSize ?? t.nodes;
    const decision = decisions.get(g.name);
    const oldest = Math.min(t.pending.driver.oldestSince, t.pending.executor.oldestSince);
    return {
      group: g.name,
      role: g.role,
      ready: t.ready,
      notReady: t.notReady,
      provisioning: Math.max(0, targetSize - t.nodes),
      target: decision?.target ?? targetSize,
      min: g.min,
      max: g.max,
      demandNodes: decision?.demandNodes ?? 0,
      requestedCpu: t.requestedCpu,
      requestedMemoryBytes: t.requestedMemoryBytes,
      allocatableCpu: t.allocatableCpu,
      allocatableMemoryBytes: t.allocatableMemoryBytes,
      pendingByRole: {
        driver: finish(t.pending.driver, snapshot.takenAt),
        executor: finish(t.pending.executor, snapshot.takenAt),
      },
      readyNodes: t.readyNodes,
      firstPendingAt: Number.isFinite(oldest) ? oldest : null,
    };
  });
}

function finish(p: MutablePending, now: number): PendingCounts {
  return {
    unschedulable: p.unschedulable,
    quotaHeld: p.quotaHeld,
    oldestUnschedulableSeconds: Number.isFinite(p.oldestSince)
      ? Math.max(0, (now - p.oldestSince) / 1000)
      : 0,
  };
}

/** Requested resources per queue (running and pending pods), with the queue's limits. */
export function queueStatuses(snapshot: ClusterSnapshot, config: Config): QueueStatus[] {
  const requested = new Map(config.queues.map((q) => [q.name, { cpu: 0, memory: 0 }]));
  for (const pod of snapshot.pods.values()) {
    const r = pod.queue === null ? undefined : requested.get(pod.queue);
    if (!r || pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    r.cpu += pod.requests.cpu;
    r.memory += pod.requests.memoryBytes;
  }
  return config.queues.map((q) => ({
    queue: q.name,
    group: q.executorGroup,
    requestedCpu: requested.get(q.name)!.cpu,
    requestedMemoryBytes: requested.get(q.name)!.memory,
    maxCpu: q.maxCpu,
    maxMemoryBytes: q.maxMemoryBytes,
  }));
}
