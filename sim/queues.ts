/**
 * Resolves YuniKorn queues and node groups for the simulation. With no queues configured, every
 * queue name in the trace is accepted, unbounded, with executors in the first executor group.
 */
import type { Config, NodeGroupConfig, QueueConfig } from '../agent/config/types.js';
import { emptyTally, type SimGroup, type SimQueue } from './model.js';

export class QueueResolver {
  private readonly queues = new Map<string, SimQueue>();
  readonly driverGroup: SimGroup;
  private readonly defaultExecutorGroup: SimGroup;

  constructor(
    private readonly config: Config,
    private readonly groups: ReadonlyMap<string, SimGroup>,
  ) {
    const executor = config.nodeGroups.find((g) => g.role === 'executor');
    if (!executor) throw new Error('config has no executor node group: nowhere to run Spark executors');
    this.defaultExecutorGroup = this.group(executor);
    const driver = config.nodeGroups.find((g) => g.role === 'driver') ?? executor;
    this.driverGroup = this.group(driver);
    for (const queue of config.queues) {
      const group = groups.get(queue.executorGroup);
      if (!group)
        throw new Error(`queue ${queue.name}: executorGroup ${queue.executorGroup} is not a node group`);
      this.queues.set(queue.name, { config: queue, group, tally: emptyTally() });
    }
  }

  /** The queue, or null when queues are configured and this one is not among them. */
  resolve(name: string): SimQueue | null {
    const known = this.queues.get(name);
    if (known) return known;
    if (this.config.queues.length > 0) return null;
    const config: QueueConfig = {
      name,
      executorGroup: this.defaultExecutorGroup.config.name,
      maxCpu: Infinity,
      maxMemoryBytes: Infinity,
    };
    const queue: SimQueue = { config, group: this.defaultExecutorGroup, tally: emptyTally() };
    this.queues.set(name, queue);
    return queue;
  }

  all(): SimQueue[] {
    return [...this.queues.values()];
  }

  private group(config: NodeGroupConfig): SimGroup {
    const group = this.groups.get(config.name);
    if (!group) throw new Error(`unknown node group ${config.name}`);
    return group;
  }
}
