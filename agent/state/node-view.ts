/**
 * V1Node (raw watch JSON or a client-node model) -> NodeView. Never throws: a node without a name
 * yields no view; malformed allocatable quantities count as 0 and are reported as problems.
 * `unschedulable` covers cordoned nodes, nodes being deleted (deletionTimestamp) and nodes tainted
 * for removal by cluster-autoscaler or Karpenter. The group follows GroupResolver.nodeGroup's
 * precedence. `podUids` is filled in by ClusterState, which owns the node -> pod index.
 */
import type { NodeView } from './snapshot.js';
import type { GroupResolver } from './group-resolver.js';
import { QuantityError, parseQuantity } from '../quantity.js';
import { asArray, asObject, asString, epochMs, frozenMap, stringMap } from './object-fields.js';
import { DELETION_TAINTS } from './labels.js';

export interface NodeViewResult {
  readonly view: NodeView | null;
  readonly problems: readonly string[];
}

const NO_PODS: readonly string[] = Object.freeze([]);

function allocatable(raw: unknown, name: string, problems: string[]): number {
  if (raw === undefined || raw === null) return 0;
  try {
    if (typeof raw !== 'string' && typeof raw !== 'number')
      throw new QuantityError(`not a quantity: ${JSON.stringify(raw)}`);
    return Math.max(0, parseQuantity(raw));
  } catch (err) {
    problems.push(`status.allocatable.${name}: ${(err as Error).message}`);
    return 0;
  }
}

function beingRemoved(
  meta: Record<string, unknown> | undefined,
  spec: Record<string, unknown> | undefined,
): boolean {
  if (spec?.unschedulable === true || meta?.deletionTimestamp) return true;
  return asArray(spec?.taints).some((t) => {
    const taint = asObject(t);
    return DELETION_TAINTS.includes(asString(taint?.key) ?? '') && taint?.effect !== 'PreferNoSchedule';
  });
}

export function toNodeView(node: unknown, resolver: GroupResolver): NodeViewResult {
  const obj = asObject(node);
  const meta = asObject(obj?.metadata);
  const name = asString(meta?.name);
  if (!name) return { view: null, problems: ['metadata.name: missing'] };
  const spec = asObject(obj?.spec);
  const status = asObject(obj?.status);
  const problems: string[] = [];
  const alloc = asObject(status?.allocatable);
  const labels = frozenMap(stringMap(meta?.labels));
  const ready = asArray(status?.conditions).some(
    (c) => asObject(c)?.type === 'Ready' && asObject(c)?.status === 'True',
  );
  const view: NodeView = {
    name,
    group: resolver.nodeGroup(labels),
    ready,
    unschedulable: beingRemoved(meta, spec),
    allocatable: Object.freeze({
      cpu: allocatable(alloc?.cpu, 'cpu', problems),
      memoryBytes: allocatable(alloc?.memory, 'memory', problems),
      pods: allocatable(alloc?.pods, 'pods', problems),
    }),
    labels,
    createdAt: epochMs(meta?.creationTimestamp) ?? 0,
    podUids: NO_PODS,
  };
  return { view: Object.freeze(view), problems };
}
