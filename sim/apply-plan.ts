/** Carries out a policy's result through a Provider: evictions first, then removals, then scale-outs. */
import type { NodeGroupConfig } from '../agent/config/types.js';
import type { Provider } from '../agent/providers/provider.js';
import type { PolicyResult } from './policies/policy.js';

export async function applyPlan(
  result: PolicyResult,
  provider: Provider,
  groups: ReadonlyMap<string, NodeGroupConfig>,
  evict: (podUid: string) => void,
): Promise<void> {
  for (const uid of result.evictPods ?? []) evict(uid);
  for (const decision of result.plan.decisions) {
    const group = groups.get(decision.group);
    if (!group) continue;
    if (decision.removeNodes.length > 0) {
      await provider.deleteNodes(group, decision.removeNodes);
      continue;
    }
    if (decision.target > (await provider.targetSize(group)))
      await provider.scaleUpTo(group, decision.target);
  }
}
