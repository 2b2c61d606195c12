/** The decision policy (early stub: returns a steady plan; the real policy replaces the body). */
import type { Config } from '../config/types.js';
import type { ClusterSnapshot } from '../state/snapshot.js';
import type { DecideInputs, Plan, PolicyState } from './plan.js';

export function decide(
  snapshot: ClusterSnapshot,
  config: Config,
  state: PolicyState,
  now: number,
  _inputs: DecideInputs = {},
): { plan: Plan; state: PolicyState } {
  const decisions = config.nodeGroups.map((g) => {
    const current = snapshot.groups.get(g.name)?.targetSize ?? 0;
    return {
      group: g.name,
      role: g.role,
      current,
      target: current,
      removeNodes: [],
      demandNodes: 0,
      reasons: [{ code: 'steady' as const, message: 'stub policy' }],
    };
  });
  return { plan: { at: now, decisions }, state };
}
