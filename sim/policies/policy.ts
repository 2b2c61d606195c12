/**
 * What the simulator drives. nodecast's own policies (reactive, predictive, oracle, headroom) are
 * the agent's ControlLoop and Actuator over the simulation (loop-policy.ts); `static` and `ca`
 * are baselines that act through the same Provider.
 */
import type { NodeGroupConfig } from '../../agent/config/types.js';
import type { Plan } from '../../agent/decide/plan.js';
import type { Provider } from '../../agent/providers/provider.js';
import type { ClusterSnapshot } from '../../agent/state/snapshot.js';

/** The part of a running simulation a policy sees and acts on. */
export interface SimHandle {
  /** Simulated epoch ms. */
  readonly now: number;
  /** The cluster as the Kubernetes watches would show it right now. */
  snapshot(): ClusterSnapshot;
  /** The sim Provider: the same contract as the cloud backends. */
  readonly provider: Provider;
  /** Evicts a running pod (cluster-autoscaler draining a node); Spark replaces an executor. */
  evict(podUid: string): void;
}

export interface SimPolicy {
  readonly name: string;
  /** Seconds between periodic ticks; null when the policy never acts (a fixed fleet). */
  readonly tickSeconds: number | null;
  /** Also tick this long after a new unschedulable pod appears (debounced); null: timer only. */
  readonly eventDebounceMs: number | null;
  /** Ready nodes each group starts with; the group's min when absent. */
  initialSize?(group: NodeGroupConfig): number;
  /** One tick: observe the simulation, decide, and act through its provider. */
  tick(sim: SimHandle, trigger: 'timer' | 'event'): Promise<void>;
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
