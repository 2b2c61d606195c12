/**
 * `ca`: a cluster-autoscaler-like baseline (not nodecast's policy). Every scan (10 s):
 * - scale-up: unschedulable pods of a group are bin-packed onto the nodes already coming, then
 *   onto new nodes (CA's binpacking estimator); the group grows by the new nodes, up to max.
 * - scale-down: a node is unneeded when its requests are under 50% of allocatable (the larger of
 *   cpu and memory, as CA computes utilization) and its pods can move: executors only if they
 *   fit on other nodes of the group (checked cumulatively), drivers never (we assume they carry
 *   safe-to-evict: false). After 10 minutes unneeded it is removed: empty nodes up to 10 per
 *   scan, plus one non-empty node per scan whose executors are evicted first (counted; evicted
 *   executors are replaced by Spark and restart; lost task work is not modelled).
 * - no scale-down for 10 minutes after any scale-up (scale-down-delay-after-add).
 */
import type { Config, NodeGroupConfig } from '../../agent/config/types.js';
import type { GroupDecision, Plan } from '../../agent/decide/plan.js';
import type { ClusterSnapshot, NodeView, PodView } from '../../agent/state/snapshot.js';
import { estimateNewNodes } from './binpack-estimate.js';
import type { SimHandle, SimPolicy } from './policy.js';

/** One scan's plan, and the pods to evict before its node removals (CA drains busy nodes). */
export interface CaScan {
  readonly plan: Plan;
  readonly evictPods: readonly string[];
}

export interface CaPolicy extends SimPolicy {
  scan(snapshot: ClusterSnapshot, now: number): CaScan;
}

/** CA's own actuation (not nodecast's Actuator): evictions first, then removals, then scale-ups. */
async function actuate(scan: CaScan, sim: SimHandle, groups: readonly NodeGroupConfig[]): Promise<void> {
  for (const uid of scan.evictPods) sim.evict(uid);
  for (const decision of scan.plan.decisions) {
    const group = groups.find((g) => g.name === decision.group);
    if (!group) continue;
    if (decision.removeNodes.length > 0) {
      await sim.provider.deleteNodes(group, decision.removeNodes);
      continue;
    }
    if (decision.target > (await sim.provider.targetSize(group)))
      await sim.provider.scaleUpTo(group, decision.target);
  }
}

export interface CaOptions {
  readonly scanSeconds: number;
  readonly utilizationThreshold: number;
  readonly unneededSeconds: number;
  readonly delayAfterAddSeconds: number;
  readonly maxEmptyBulkDelete: number;
}

export const CA_DEFAULTS: CaOptions = {
  scanSeconds: 10,
  utilizationThreshold: 0.5,
  unneededSeconds: 600,
  delayAfterAddSeconds: 600,
  maxEmptyBulkDelete: 10,
};

const EPSILON = 1e-9;

interface NodeInfo {
  readonly view: NodeView;
  readonly pods: PodView[];
  freeCpu: number;
  freeMemoryBytes: number;
  freePods: number;
}

function nodeInfos(snapshot: ClusterSnapshot): Map<string, NodeInfo> {
  const infos = new Map<string, NodeInfo>();
  for (const view of snapshot.nodes.values()) {
    const a = view.allocatable;
    infos.set(view.name, {
      view,
      pods: [],
      freeCpu: a.cpu,
      freeMemoryBytes: a.memoryBytes,
      freePods: a.pods,
    });
  }
  for (const pod of snapshot.pods.values()) {
    const info = pod.nodeName ? infos.get(pod.nodeName) : undefined;
    if (!info) continue;
    info.pods.push(pod);
    info.freeCpu -= pod.requests.cpu;
    info.freeMemoryBytes -= pod.requests.memoryBytes;
    info.freePods--;
  }
  return infos;
}

function utilization(info: NodeInfo): number {
  const a = info.view.allocatable;
  return Math.max(1 - info.freeCpu / a.cpu, 1 - info.freeMemoryBytes / a.memoryBytes);
}

function fitsOn(info: NodeInfo, pod: PodView): boolean {
  return (
    info.freeCpu + EPSILON >= pod.requests.cpu &&
    info.freeMemoryBytes + EPSILON >= pod.requests.memoryBytes &&
    info.freePods > 0
  );
}

/** Tentatively moves the node's pods onto others (first fit); commits only when all move. */
function canDrain(info: NodeInfo, others: readonly NodeInfo[]): boolean {
  if (info.pods.some((p) => p.sparkRole === 'driver')) return false;
  const moves: [NodeInfo, PodView][] = [];
  for (const pod of info.pods) {
    const target = others.find((o) => o !== info && fitsOn(o, pod));
    if (!target) {
      for (const [o, p] of moves) adjust(o, p, +1);
      return false;
    }
    adjust(target, pod, -1);
    moves.push([target, pod]);
  }
  return true;
}

function adjust(info: NodeInfo, pod: PodView, sign: number): void {
  info.freeCpu += sign * pod.requests.cpu;
  info.freeMemoryBytes += sign * pod.requests.memoryBytes;
  info.freePods += sign;
}

export function caPolicy(config: Config, overrides: Partial<CaOptions> = {}): CaPolicy {
  const options = { ...CA_DEFAULTS, ...overrides };
  const unneededSince = new Map<string, number>();
  let lastScaleUpAt = -Infinity;

  function decision(
    group: NodeGroupConfig,
    current: number,
    target: number,
    removeNodes: string[],
    message: string,
  ): GroupDecision {
    const code = target > current ? 'pending-pods' : removeNodes.length > 0 ? 'idle-node' : 'steady';
    return {
      group: group.name,
      role: group.role,
      current,
      target,
      removeNodes,
      demandNodes: 0,
      reasons: [{ code, message }],
    };
  }

  function scaleDown(
    group: NodeGroupConfig,
    current: number,
    infos: NodeInfo[],
    now: number,
    evict: string[],
  ): string[] {
    const ordered = infos
      .filter((i) => utilization(i) < options.utilizationThreshold)
      .sort((a, b) => utilization(a) - utilization(b) || a.view.name.localeCompare(b.view.name));
    const removable = new Set<NodeInfo>();
    for (const info of ordered) {
      const destinations = infos.filter((o) => !removable.has(o) && o !== info);
      if (info.pods.length === 0 || canDrain(info, destinations)) removable.add(info);
    }
    for (const info of infos) {
      if (removable.has(info)) unneededSince.set(info.view.name, unneededSince.get(info.view.name) ?? now);
      else unneededSince.delete(info.view.name);
    }
    if (now - lastScaleUpAt < options.delayAfterAddSeconds * 1000) return [];
    const due = [...removable].filter(
      (i) => now - (unneededSince.get(i.view.name) ?? now) >= options.unneededSeconds * 1000,
    );
    const room = Math.max(0, current - group.min);
    const empty = due.filter((i) => i.pods.length === 0).slice(0, Math.min(room, options.maxEmptyBulkDelete));
    const busy = due.filter((i) => i.pods.length > 0).slice(0, room - empty.length > 0 ? 1 : 0);
    for (const info of busy) evict.push(...info.pods.map((p) => p.uid));
    return [...empty, ...busy].map((i) => i.view.name);
  }

  const policy: CaPolicy = {
    name: 'ca',
    tickSeconds: options.scanSeconds,
    eventDebounceMs: null,
    tick: (sim) => actuate(policy.scan(sim.snapshot(), sim.now), sim, config.nodeGroups),
    scan(snapshot, now): CaScan {
      const infos = nodeInfos(snapshot);
      const pendingByGroup = new Map<string, PodView[]>();
      for (const pod of snapshot.pods.values()) {
        if (pod.phase !== 'Pending' || pod.unschedulableSince === null || pod.quotaHeld || !pod.group)
          continue;
        const list = pendingByGroup.get(pod.group) ?? [];
        list.push(pod);
        pendingByGroup.set(pod.group, list);
      }
      const decisions: GroupDecision[] = [];
      const evict: string[] = [];
      for (const group of config.nodeGroups) {
        const current = snapshot.groups.get(group.name)?.targetSize ?? 0;
        const groupInfos = [...infos.values()].filter((i) => i.view.group === group.name);
        const pending = pendingByGroup.get(group.name) ?? [];
        const upcoming = Math.max(0, current - groupInfos.length);
        const add = estimateNewNodes(
          pending.map((p) => p.requests),
          group.shape,
          upcoming,
        );
        if (add > 0 && current < group.max) {
          lastScaleUpAt = now;
          const target = Math.min(group.max, current + add);
          decisions.push(
            decision(
              group,
              current,
              target,
              [],
              `${pending.length} unschedulable pods need ${add} more nodes`,
            ),
          );
          continue;
        }
        const remove = group.role === 'system' ? [] : scaleDown(group, current, groupInfos, now, evict);
        decisions.push(
          decision(
            group,
            current,
            current - remove.length,
            remove,
            `${remove.length} unneeded nodes removed`,
          ),
        );
      }
      return { plan: { at: now, decisions }, evictPods: evict };
    },
  };
  return policy;
}
