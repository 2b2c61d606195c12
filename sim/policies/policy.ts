/**
 * What the simulator drives: a policy sees an immutable ClusterSnapshot on each tick and returns
 * a Plan, which the runner actuates through the sim Provider. Hooks let a predictive policy keep
 * demand history (onStep) and learn the scale-out lead time (onScaleOutLatency).
 */
import type { NodeGroupConfig } from '../../agent/config/types.js';
import type { Plan } from '../../agent/decide/plan.js';
import type { ClusterSnapshot } from '../../agent/state/snapshot.js';

export interface PolicyResult {
  readonly plan: Plan;
  /**
   * Pods (by uid) to evict before the plan's node removals, like cluster-autoscaler draining a
   * node. nodecast's own policies never evict.
   */
  readonly evictPods?: readonly string[];
}

export interface SimPolicy {
  readonly name: string;
  /** Seconds between periodic ticks; null when the policy never acts (a fixed fleet). */
  readonly tickSeconds: number | null;
  /** Also tick this long after a new unschedulable pod appears (debounced); null: timer only. */
  readonly eventDebounceMs: number | null;
  /** Ready nodes each group starts with; the group's min when absent. */
  initialSize?(group: NodeGroupConfig): number;
  onTick(snapshot: ClusterSnapshot, now: number): PolicyResult;
  /** Interval of onStep calls (seconds); required when onStep is set. */
  readonly stepSeconds?: number;
  /** A fresh snapshot every step: where a predictive policy samples demand into its history. */
  onStep?(snapshot: ClusterSnapshot, now: number): void;
  /** A scale-out finished: every node it asked for is Ready after `seconds`. */
  onScaleOutLatency?(group: string, seconds: number, now: number): void;
}

/** A plan that keeps every group where it is (for policies with nothing to do this tick). */
export function steadyPlan(snapshot: ClusterSnapshot, groups: readonly NodeGroupConfig[], now: number): Plan {
  return {
    at: now,
    decisions: groups.map((g) => {
      const current = snapshot.groups.get(g.name)?.targetSize ?? 0;
      return {
        group: g.name,
        role: g.role,
        current,
        target: current,
        removeNodes: [],
        demandNodes: 0,
        reasons: [{ code: 'steady' as const, message: 'fixed fleet' }],
      };
    }),
  };
}
