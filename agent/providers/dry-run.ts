/**
 * Dry-run provider: decides and records, never acts. targetSize echoes the observed node count
 * of the group (from the cluster state), so plans stay grounded in what is really there; each
 * scale request is appended to a bounded in-memory log (and logged) as what would have happened.
 */
import type { NodeGroupConfig } from '../config/types.js';
import type { Provider } from './provider.js';
import { systemClock, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../logger.js';

export interface DryRunRecord {
  readonly at: number;
  readonly group: string;
  readonly action: 'scale-up' | 'delete-nodes';
  readonly from: number;
  readonly to: number;
  readonly nodes: readonly string[];
}

export interface DryRunProviderOptions {
  /** Nodes the group has now, e.g. `(g) => clusterState.groupNodeCount(g.name)`. */
  readonly observedNodes: (group: NodeGroupConfig) => number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Records kept (oldest dropped first). Default 1000. */
  readonly maxRecords?: number;
}

export class DryRunProvider implements Provider {
  readonly kind = 'dry-run';
  private readonly records: DryRunRecord[] = [];
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly opts: DryRunProviderOptions) {
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
  }

  async targetSize(group: NodeGroupConfig): Promise<number> {
    return this.opts.observedNodes(group);
  }

  async scaleUpTo(group: NodeGroupConfig, size: number): Promise<void> {
    const from = this.opts.observedNodes(group);
    if (size <= from) return;
    this.record({ at: this.clock.now(), group: group.name, action: 'scale-up', from, to: size, nodes: [] });
  }

  async deleteNodes(group: NodeGroupConfig, nodeNames: readonly string[]): Promise<void> {
    if (nodeNames.length === 0) return;
    const from = this.opts.observedNodes(group);
    const to = Math.max(0, from - nodeNames.length);
    this.record({
      at: this.clock.now(),
      group: group.name,
      action: 'delete-nodes',
      from,
      to,
      nodes: [...nodeNames],
    });
  }

  /** What would have been done, oldest first. */
  log(): readonly DryRunRecord[] {
    return [...this.records];
  }

  private record(r: DryRunRecord): void {
    this.records.push(r);
    if (this.records.length > (this.opts.maxRecords ?? 1000)) this.records.shift();
    const what =
      r.action === 'scale-up'
        ? `scale ${r.from} -> ${r.to}`
        : `remove ${r.nodes.join(', ')} (${r.from} -> ${r.to})`;
    this.logger.info(`dry-run ${r.group}: would ${what}`, {
      group: r.group,
      action: r.action,
      from: r.from,
      to: r.to,
    });
  }
}
