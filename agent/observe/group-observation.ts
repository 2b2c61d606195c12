/**
 * What the observe stage derives from one snapshot for each node group, before anything is
 * decided: the nodes the group needs now (the estimator over running and pending Spark pods), its
 * Ready nodes, and since when its oldest pod has been unschedulable. The forecaster is fed from
 * here, so the forecast a tick acts on already includes that tick's demand.
 */
import type { NodeGroupConfig } from '../config/types.js';
import { collectGroupFacts } from '../decide/group-facts.js';
import { groupDemand } from '../decide/estimator.js';
import type { ClusterSnapshot } from '../state/snapshot.js';

export interface GroupObservationFacts {
  readonly group: string;
  /** Nodes the group needs now: occupied nodes plus a packing of its pending pods. */
  readonly demandNodes: number;
  /** Names of the group's Ready nodes. */
  readonly readyNodes: readonly string[];
  /** Epoch ms the oldest unschedulable (not quota-held) Spark pod of the group became so; null if none. */
  readonly firstPendingAt: number | null;
}

export function observeGroups(
  snapshot: ClusterSnapshot,
  groups: readonly NodeGroupConfig[],
): ReadonlyMap<string, GroupObservationFacts> {
  const facts = collectGroupFacts(snapshot, groups);
  const oldest = new Map<string, number>();
  for (const pod of snapshot.pods.values()) {
    if (pod.group === null || pod.nodeName !== null || pod.sparkRole === null || pod.quotaHeld) continue;
    if (pod.unschedulableSince === null || pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    oldest.set(pod.group, Math.min(oldest.get(pod.group) ?? Infinity, pod.unschedulableSince));
  }
  const out = new Map<string, GroupObservationFacts>();
  for (const group of groups) {
    const f = facts.get(group.name)!;
    const first = oldest.get(group.name);
    out.set(group.name, {
      group: group.name,
      demandNodes: groupDemand(group, f),
      readyNodes: f.nodes.filter((n) => n.ready).map((n) => n.name),
      firstPendingAt: first === undefined ? null : first,
    });
  }
  return out;
}
