/**
 * What the observe stage derives from one snapshot for each node group, before anything is
 * decided: the nodes the group needs now (the estimator over running and pending Spark pods), its
 * Ready nodes, and since when its oldest pod has been unschedulable. The forecaster is fed from
 * here, so the forecast a tick acts on already includes that tick's demand.
 */
import type { NodeGroupConfig } from '../config/types.js';
import { collectGroupFacts, type GroupFacts } from '../decide/group-facts.js';
import type { ClusterSnapshot } from '../state/snapshot.js';
import { groupDemand } from '../decide/estimator.js';

export interface GroupObservationFacts {
  readonly group: string;
  /** Nodes the group needs now: occupied nodes plus a packing of its pending pods. */
  readonly demandNodes: number;
  /** Names of the group's Ready nodes. */
  readonly readyNodes: readonly string[];
  /** Epoch ms the oldest unschedulable (not quota-held) Spark pod of the group became so; null if none. */
  readonly firstPendingAt: number | null;
}

/** `facts`: this snapshot's one pass over pods and nodes, which the loop shares with decide. */
export function observeGroups(
  snapshot: ClusterSnapshot,
  groups: readonly NodeGroupConfig[],
  facts: ReadonlyMap<string, GroupFacts> = collectGroupFacts(snapshot, groups),
): ReadonlyMap<string, GroupObservationFacts> {
  const out = new Map<string, GroupObservationFacts>();
  for (const group of groups) {
    const f = facts.get(group.name)!;
    out.set(group.name, {
      group: group.name,
      demandNodes: groupDemand(group, f),
      readyNodes: f.nodes.filter((n) => n.ready).map((n) => n.name),
      firstPendingAt: f.oldestUnschedulableSince,
    });
  }
  return out;
}
