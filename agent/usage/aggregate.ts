/**
 * Attributes usage samples to node groups and YuniKorn queues through a cluster snapshot. Pure.
 *
 * Groups ("used on nodes of the group", like allocatable): a node sample counts for its node's
 * group; a pod sample counts for the group of the node it runs on, unless that node already has a
 * node sample (no double counting), and for the pod's own group when the snapshot has not bound it
 * yet. Queues: a pod sample counts for the pod's queue.
 *
 * Unknown is not zero: a group is reported only when at least one of its nodes is covered (has a
 * node sample or pod samples; in pods-only mode every node is), a queue only when one of its pods
 * has a sample. Names passed as `known` are reported as 0 when the snapshot shows nothing could be
 * using anything there (a group without nodes, a queue without bound pods), so an idle queue
 * reads 0 instead of keeping its last value.
 */
import type { Config } from '../config/types.js';
import type { ClusterSnapshot, NodeView, PodView } from '../state/snapshot.js';
import type { NodeUsageSample, Usage, UsageSamples } from './types.js';

export interface KnownNames {
  readonly groups?: Iterable<string>;
  readonly queues?: Iterable<string>;
}

/** The configured group and queue names: pass them so idle ones read 0. */
export function knownNamesOf(config: Pick<Config, 'nodeGroups' | 'queues'>): KnownNames {
  return { groups: config.nodeGroups.map((g) => g.name), queues: config.queues.map((q) => q.name) };
}

export interface UsageTotals {
  readonly groups: ReadonlyMap<string, Usage>;
  readonly queues: ReadonlyMap<string, Usage>;
  /** Pod samples for pods the snapshot does not know (deleted since, or not seen yet): ignored. */
  readonly unknownPods: number;
  /** Node samples for nodes the snapshot does not know: ignored. */
  readonly unknownNodes: number;
  /** Nodes in a group with no sample at all (no collector there, metrics lagging a new node). */
  readonly unsampledNodes: number;
}

class Totals {
  readonly map = new Map<string, { cpu: number; memoryBytes: number }>();
  add(key: string, u: Usage): void {
    const t = this.ensure(key);
    t.cpu += u.cpu;
    t.memoryBytes += u.memoryBytes;
  }
  ensure(key: string): { cpu: number; memoryBytes: number } {
    let t = this.map.get(key);
    if (!t) this.map.set(key, (t = { cpu: 0, memoryBytes: 0 }));
    return t;
  }
}

const podKey = (namespace: string, name: string): string => `${namespace}/${name}`;

function podIndex(snapshot: ClusterSnapshot): Map<string, PodView> {
  const index = new Map<string, PodView>();
  for (const pod of snapshot.pods.values()) index.set(podKey(pod.namespace, pod.name), pod);
  return index;
}

function knownNodeSamples(
  samples: readonly NodeUsageSample[],
  nodes: ReadonlyMap<string, NodeView>,
): { byNode: Map<string, NodeUsageSample>; unknown: number } {
  const byNode = new Map<string, NodeUsageSample>();
  let unknown = 0;
  for (const s of samples) {
    if (nodes.has(s.node)) byNode.set(s.node, s);
    else unknown++;
  }
  return { byNode, unknown };
}

/** Adds pod samples to queues, and to groups where no node sample already covers them. */
function attributePods(
  samples: UsageSamples,
  snapshot: ClusterSnapshot,
  sampledNodes: ReadonlyMap<string, NodeUsageSample>,
  out: { groups: Totals; queues: Totals },
): { unknownPods: number; nodesWithPodSamples: Set<string> } {
  const pods = podIndex(snapshot);
  const nodesWithPodSamples = new Set<string>();
  let unknownPods = 0;
  for (const s of samples.pods) {
    const pod = pods.get(podKey(s.namespace, s.name));
    if (!pod) {
      unknownPods++;
      continue;
    }
    if (pod.queue !== null) out.queues.add(pod.queue, s);
    if (pod.nodeName !== null) nodesWithPodSamples.add(pod.nodeName);
    if (pod.nodeName !== null && sampledNodes.has(pod.nodeName)) continue;
    const node = pod.nodeName === null ? undefined : snapshot.nodes.get(pod.nodeName);
    const group = node ? node.group : pod.group;
    if (group !== null) out.groups.add(group, s);
  }
  return { unknownPods, nodesWithPodSamples };
}

/** Gives covered groups an entry (0 if nothing was added) and counts nodes no sample covers. */
function groupCoverage(
  snapshot: ClusterSnapshot,
  covered: (node: string) => boolean,
  groups: Totals,
  known: Iterable<string>,
): number {
  const groupsWithNodes = new Set<string>();
  let unsampled = 0;
  for (const node of snapshot.nodes.values()) {
    if (node.group === null) continue;
    groupsWithNodes.add(node.group);
    if (covered(node.name)) groups.ensure(node.group);
    else unsampled++;
  }
  for (const g of known) if (!groupsWithNodes.has(g)) groups.ensure(g);
  return unsampled;
}

/** Known queues without a bound, live pod use nothing: report them as 0. */
function idleQueues(snapshot: ClusterSnapshot, queues: Totals, known: Iterable<string>): void {
  const busy = new Set<string>();
  for (const pod of snapshot.pods.values()) {
    if (pod.queue !== null && pod.nodeName !== null && pod.phase !== 'Succeeded' && pod.phase !== 'Failed')
      busy.add(pod.queue);
  }
  for (const q of known) if (!busy.has(q)) queues.ensure(q);
}

export function aggregateUsage(
  samples: UsageSamples,
  snapshot: ClusterSnapshot,
  known: KnownNames = {},
): UsageTotals {
  const groups = new Totals();
  const queues = new Totals();
  const nodeSamples = knownNodeSamples(samples.nodes ?? [], snapshot.nodes);
  for (const [name, s] of nodeSamples.byNode) {
    const group = snapshot.nodes.get(name)!.group;
    if (group !== null) groups.add(group, s);
  }
  const pods = attributePods(samples, snapshot, nodeSamples.byNode, { groups, queues });
  const podsOnly = samples.nodes === undefined;
  const covered = (node: string) =>
    podsOnly || nodeSamples.byNode.has(node) || pods.nodesWithPodSamples.has(node);
  const unsampledNodes = groupCoverage(snapshot, covered, groups, known.groups ?? []);
  idleQueues(snapshot, queues, known.queues ?? []);
  return {
    groups: groups.map,
    queues: queues.map,
    unknownPods: pods.unknownPods,
    unknownNodes: nodeSamples.unknown,
    unsampledNodes,
  };
}
