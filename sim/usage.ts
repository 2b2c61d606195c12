/** Requested and used resources per node, group and queue: what observability reads from the sim. */
import type { ResourceTally } from './model.js';

export interface UsageView {
  readonly requestedCpu: number;
  readonly requestedMemoryBytes: number;
  readonly usedCpu: number;
  readonly usedMemoryBytes: number;
  readonly pods: number;
}

export interface SimUsage {
  readonly nodes: ReadonlyMap<string, UsageView>;
  readonly groups: ReadonlyMap<string, UsageView>;
  readonly queues: ReadonlyMap<string, UsageView>;
}

export function usageView(tally: ResourceTally): UsageView {
  return {
    requestedCpu: tally.reqCpu,
    requestedMemoryBytes: tally.reqMemoryBytes,
    usedCpu: tally.useCpu,
    usedMemoryBytes: tally.useMemoryBytes,
    pods: tally.pods,
  };
}
