/** Small configs, traces and runs for simulator tests. */
import { defaultConfig } from '../../agent/config/load.js';
import type { Config, NodeGroupConfig, QueueConfig } from '../../agent/config/types.js';
import type { SimPolicy } from '../../sim/policies/policy.js';
import { Simulation, type SimulationOptions } from '../../sim/simulation.js';
import { GiB, type TraceJob } from '../../sim/trace-types.js';

export const T0 = Date.UTC(2024, 0, 1);

export interface TestClusterOptions {
  readonly executorMin?: number;
  readonly executorMax?: number;
  readonly driverMin?: number;
  readonly queues?: readonly QueueConfig[];
  readonly tickSeconds?: number;
}

/** The default config, resized for small tests. */
export function testConfig(options: TestClusterOptions = {}): Config {
  const base = defaultConfig();
  const nodeGroups: NodeGroupConfig[] = base.nodeGroups.map((g) => {
    if (g.role === 'executor') {
      return { ...g, min: options.executorMin ?? g.min, max: options.executorMax ?? g.max };
    }
    if (g.role === 'driver') return { ...g, min: options.driverMin ?? g.min };
    return g;
  });
  return {
    ...base,
    tickSeconds: options.tickSeconds ?? base.tickSeconds,
    nodeGroups,
    queues: options.queues ?? base.queues,
  };
}

export function queue(name: string, maxCpu = Infinity, maxMemoryBytes = Infinity): QueueConfig {
  return { name, executorGroup: 'spark-executor', maxCpu, maxMemoryBytes };
}

/** A job submitted `atSeconds` after T0: 1 cpu / 4 GiB driver, 4 cpu / 28 GiB executors by default. */
export function job(app: string, atSeconds: number, parts: Partial<TraceJob> = {}): TraceJob {
  return {
    submitTime: T0 + atSeconds * 1000,
    app,
    queue: 'etl',
    driverCpu: 1,
    driverMemoryBytes: 4 * GiB,
    executors: 4,
    executorCpu: 4,
    executorMemoryBytes: 28 * GiB,
    durationSeconds: 600,
    ...parts,
  };
}

export function simulation(
  jobs: readonly TraceJob[],
  policy: SimPolicy,
  config: Config,
  options: Partial<SimulationOptions> = {},
): Simulation {
  return new Simulation(jobs, policy, { config, start: T0, ...options });
}

/** Pods of the snapshot in a compact form for assertions. */
export function pods(
  sim: Simulation,
): { name: string; phase: string; node: string | null; quotaHeld: boolean; unschedulable: boolean }[] {
  return [...sim.snapshot().pods.values()].map((p) => ({
    name: p.name,
    phase: p.phase,
    node: p.nodeName,
    quotaHeld: p.quotaHeld,
    unschedulable: p.unschedulableSince !== null,
  }));
}
