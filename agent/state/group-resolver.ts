/**
 * Which node group a node belongs to, and which group a pod needs capacity in.
 *
 * Node precedence (first hit wins):
 *   1. a configured group whose nodeSelector is a non-empty subset of the node's labels
 *      (several match: the one with the most selector keys; ties: config order);
 *   2. a node-pool label whose value is a group's name, checked in the order
 *      `karpenter.sh/nodepool`, `eks.amazonaws.com/nodegroup`, `cloud.google.com/gke-nodepool`;
 *   3. `node.kubernetes.io/instance-type` equal to a group's name;
 *   4. none (null).
 *
 * Pod precedence:
 *   1. its placement constraints: spec.nodeSelector together with each required node-affinity
 *      term (terms are ORed, so each is tried in order) satisfy a group's nodeSelector (a key is
 *      satisfied by an equal nodeSelector value or an `In` expression listing the value), or name
 *      a group through one of the node-pool / instance-type labels above;
 *   2. an executor: the `executorGroup` of its queue (`root.` prefixes are ignored when comparing);
 *   3. an executor with no mapped queue: the executor group, when exactly one is configured;
 *   4. a driver: the (first) driver group;
 *   5. none (null).
 */
import type { Config, NodeGroupConfig } from '../config/types.js';
import type { SparkRole } from './snapshot.js';
import { INSTANCE_TYPE_LABEL, NODE_POOL_LABELS } from './labels.js';

/** One alternative set of node requirements of a pod: key -> the values it accepts. */
export type NodeRequirements = ReadonlyMap<string, readonly string[]>;

export interface PodPlacement {
  readonly sparkRole: SparkRole | null;
  readonly queue: string | null;
  /** Alternatives (ORed). A pod without affinity has one: its nodeSelector (possibly empty). */
  readonly requirements: readonly NodeRequirements[];
}

const POOL_KEYS: readonly string[] = [...NODE_POOL_LABELS, INSTANCE_TYPE_LABEL];

const normaliseQueue = (q: string): string => (q.startsWith('root.') ? q.slice(5) : q);

export class GroupResolver {
  private readonly groups: readonly NodeGroupConfig[];
  private readonly byName: ReadonlyMap<string, NodeGroupConfig>;
  /** Groups with a selector, most specific first, with the selector as entries (hot path). */
  private readonly selectorGroups: readonly {
    name: string;
    entries: readonly (readonly [string, string])[];
  }[];
  private readonly queueGroup: ReadonlyMap<string, string>;
  private readonly driverGroup: string | null;
  private readonly soleExecutorGroup: string | null;

  constructor(config: Pick<Config, 'nodeGroups' | 'queues'>) {
    this.groups = config.nodeGroups;
    this.byName = new Map(this.groups.map((g) => [g.name, g]));
    // Most specific selector first; Array.prototype.sort is stable, so ties keep config order.
    this.selectorGroups = this.groups
      .filter((g) => Object.keys(g.nodeSelector).length > 0)
      .sort((a, b) => Object.keys(b.nodeSelector).length - Object.keys(a.nodeSelector).length)
      .map((g) => ({ name: g.name, entries: Object.entries(g.nodeSelector) }));
    this.queueGroup = new Map(
      config.queues
        .filter((q) => this.byName.has(q.executorGroup))
        .map((q) => [normaliseQueue(q.name), q.executorGroup]),
    );
    this.driverGroup = this.groups.find((g) => g.role === 'driver')?.name ?? null;
    const executors = this.groups.filter((g) => g.role === 'executor');
    this.soleExecutorGroup = executors.length === 1 ? executors[0]!.name : null;
  }

  /** The group of a node with these labels, or null. */
  nodeGroup(labels: Readonly<Record<string, string>>): string | null {
    for (const g of this.selectorGroups) {
      if (g.entries.every(([k, v]) => labels[k] === v)) return g.name;
    }
    for (const key of POOL_KEYS) {
      const value = labels[key];
      if (value !== undefined && this.byName.has(value)) return value;
    }
    return null;
  }

  /** The group a pod needs capacity in, or null. */
  podGroup(placement: PodPlacement): string | null {
    for (const req of placement.requirements) {
      const group = this.groupForRequirements(req);
      if (group) return group;
    }
    if (placement.sparkRole === 'executor') {
      const byQueue =
        placement.queue === null ? undefined : this.queueGroup.get(normaliseQueue(placement.queue));
      return byQueue ?? this.soleExecutorGroup;
    }
    if (placement.sparkRole === 'driver') return this.driverGroup;
    return null;
  }

  private groupForRequirements(req: NodeRequirements): string | null {
    if (req.size === 0) return null;
    for (const g of this.selectorGroups) {
      if (g.entries.every(([k, v]) => req.get(k)?.includes(v) === true)) return g.name;
    }
    for (const key of POOL_KEYS) {
      const values = req.get(key);
      // Only an unambiguous pool pin names a group.
      if (values?.length === 1 && this.byName.has(values[0]!)) return values[0]!;
    }
    return null;
  }
}
