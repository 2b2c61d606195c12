/**
 * Each group's demand over a whole run, sampled every tick with the agent's own estimator
 * (agent/observe): the "future" the oracle baseline reads. Recorded on the sizing run, where
 * every group is at max so no pod ever waits for a node: demand there is what the trace asks
 * for, not what a policy let it have.
 */
import type { Config } from '../../agent/config/types.js';
import { observeGroups } from '../../agent/observe/group-observation.js';
import type { SimPolicy } from './policy.js';

export class DemandTrace {
  private readonly series = new Map<string, number[]>();

  constructor(
    readonly start: number,
    readonly stepMs: number,
  ) {}

  record(group: string, t: number, nodes: number): void {
    const list = this.series.get(group) ?? [];
    const i = Math.round((t - this.start) / this.stepMs);
    while (list.length < i) list.push(list.at(-1) ?? 0);
    list[i] = nodes;
    this.series.set(group, list);
  }

  /** Highest demand of the group over [from, to] (epoch ms); 0 outside the recorded run. */
  max(group: string, from: number, to: number): number {
    const list = this.series.get(group);
    if (!list) return 0;
    const first = Math.max(0, Math.floor((from - this.start) / this.stepMs));
    const last = Math.min(list.length - 1, Math.ceil((to - this.start) / this.stepMs));
    let best = 0;
    for (let i = first; i <= last; i++) best = Math.max(best, list[i]!);
    return best;
  }

  /** The group's samples, one per step from `start` (empty for an unknown group). */
  values(group: string): readonly number[] {
    return this.series.get(group) ?? [];
  }

  /** Samples recorded for a group (for tests). */
  length(group: string): number {
    return this.series.get(group)?.length ?? 0;
  }
}

/** Every group at max, never acting; each tick samples demand into `trace`. */
export function atMaxRecordingPolicy(config: Config, trace: DemandTrace): SimPolicy {
  return {
    name: 'at-max',
    tickSeconds: trace.stepMs / 1000,
    eventDebounceMs: null,
    initialSize: (g) => g.max,
    tick: (sim) => {
      for (const g of observeGroups(sim.snapshot(), config.nodeGroups).values())
        trace.record(g.group, sim.now, g.demandNodes);
      return Promise.resolve();
    },
  };
}
