/**
 * `static`: a fixed fleet sized for the trace's peak, never scaled: the over-provisioning
 * baseline. Sizing (sizeStaticFleet) replays the trace once with every group at max and no
 * policy, and takes each group's peak number of busy nodes (nodes running at least one pod).
 * Because placement is most-allocated-first with the oldest node winning ties, that run only
 * ever uses its oldest `peak` nodes, so a fleet of exactly `peak` nodes reproduces it: no pod
 * waits for a node (queue quotas still apply).
 */
import type { NodeGroupConfig } from '../../agent/config/types.js';
import type { SimPolicy } from './policy.js';

export function fixedFleetPolicy(name: string, sizes: (group: NodeGroupConfig) => number): SimPolicy {
  return {
    name,
    tickSeconds: null,
    eventDebounceMs: null,
    initialSize: sizes,
    tick: () => Promise.resolve(),
  };
}

/** Every group at its max: the sizing run. */
export function atMaxPolicy(): SimPolicy {
  return fixedFleetPolicy('at-max', (g) => g.max);
}

/** The fixed fleet: `peakBusy` per group from a sizing run, never below min. */
export function staticPolicy(peakBusy: ReadonlyMap<string, number>): SimPolicy {
  return fixedFleetPolicy('static', (g) => Math.max(g.min, peakBusy.get(g.name) ?? g.min));
}
