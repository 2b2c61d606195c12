/**
 * The Provider the simulator actuates through: the same contract as the cloud backends, over the
 * simulated cluster. Scale-outs above the group's max are capped there, as a cloud node group
 * (ASG max, MachineDeployment bounds) would.
 */
import type { NodeGroupConfig } from '../agent/config/types.js';
import type { Provider } from '../agent/providers/provider.js';

/** The part of the simulation the provider drives. */
export interface SimCluster {
  targetSize(group: string): number;
  scaleUpTo(group: string, size: number): void;
  deleteNodes(group: string, nodeNames: readonly string[]): void;
}

export class SimProvider implements Provider {
  readonly kind = 'sim';
  /** Calls made, for tests and debugging. */
  scaleUpCalls = 0;
  deleteCalls = 0;

  constructor(private readonly cluster: SimCluster) {}

  targetSize(group: NodeGroupConfig): Promise<number> {
    return Promise.resolve(this.cluster.targetSize(group.name));
  }

  scaleUpTo(group: NodeGroupConfig, size: number): Promise<void> {
    this.scaleUpCalls++;
    this.cluster.scaleUpTo(group.name, Math.min(size, group.max));
    return Promise.resolve();
  }

  deleteNodes(group: NodeGroupConfig, nodeNames: readonly string[]): Promise<void> {
    this.deleteCalls++;
    this.cluster.deleteNodes(group.name, nodeNames);
    return Promise.resolve();
  }
}
