/**
 * Re-validation of a scale-in against fresh state (karpenter re-validates a command before it
 * carries it out): a node named by the plan is dropped when it is gone, belongs to another group,
 * or now runs a Spark executor (or, in the driver group, a driver).
 */
import type { NodeGroupConfig } from '../config/types.js';
import type { ClusterSnapshot } from '../state/snapshot.js';
import type { DroppedNode } from './result.js';

export function removableNodes(
  group: NodeGroupConfig,
  names: readonly string[],
  snapshot: ClusterSnapshot,
): { kept: string[]; dropped: DroppedNode[] } {
  const kept: string[] = [];
  const dropped: DroppedNode[] = [];
  for (const name of names) {
    const node = snapshot.nodes.get(name);
    if (kept.includes(name)) dropped.push({ node: name, reason: 'duplicate' });
    else if (!node) dropped.push({ node: name, reason: 'gone' });
    else if (node.group !== group.name) dropped.push({ node: name, reason: 'not-in-group' });
    else {
      const roles = node.podUids.map((uid) => snapshot.pods.get(uid)?.sparkRole);
      if (roles.includes('executor')) dropped.push({ node: name, reason: 'runs-executor' });
      else if (group.role === 'driver' && roles.includes('driver'))
        dropped.push({ node: name, reason: 'runs-driver' });
      else kept.push(name);
    }
  }
  return { kept, dropped };
}
