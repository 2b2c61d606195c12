/**
 * Jobs that can never run to completion in the configured cluster (a pod bigger than a node, or
 * more executors than the group at max or the queue quota can hold at once) are rejected at
 * submission with a reason, instead of hanging the simulation.
 */
import type { NodeGroupConfig, QueueConfig } from '../agent/config/types.js';
import type { TraceJob } from './trace-types.js';

const EPSILON = 1e-9;

/** How many pods of this size fit on one node of the group. */
export function podsPerNode(group: NodeGroupConfig, cpu: number, memoryBytes: number): number {
  const { shape } = group;
  return Math.min(
    Math.floor(shape.cpu / cpu + EPSILON),
    Math.floor(shape.memoryBytes / memoryBytes + EPSILON),
    shape.pods,
  );
}

export function unfittableReason(
  job: TraceJob,
  driverGroup: NodeGroupConfig,
  executorGroup: NodeGroupConfig,
  queue: QueueConfig,
): string | null {
  if (podsPerNode(driverGroup, job.driverCpu, job.driverMemoryBytes) < 1) {
    return `driver (${job.driverCpu} cpu) does not fit a ${driverGroup.name} node`;
  }
  const perNode = podsPerNode(executorGroup, job.executorCpu, job.executorMemoryBytes);
  if (perNode < 1) return `executor (${job.executorCpu} cpu) does not fit a ${executorGroup.name} node`;
  const nodes = Math.ceil(job.executors / perNode);
  if (nodes > executorGroup.max) {
    return `${job.executors} executors need ${nodes} ${executorGroup.name} nodes; max is ${executorGroup.max}`;
  }
  const cpu = job.driverCpu + job.executors * job.executorCpu;
  const memory = job.driverMemoryBytes + job.executors * job.executorMemoryBytes;
  if (cpu > queue.maxCpu + EPSILON || memory > queue.maxMemoryBytes + EPSILON) {
    const gib = (bytes: number): string => `${Math.round(bytes / 2 ** 30)}Gi`;
    return (
      `needs ${cpu} cpu / ${gib(memory)} at once in queue ${queue.name}; ` +
      `its max is ${queue.maxCpu} cpu / ${gib(queue.maxMemoryBytes)}`
    );
  }
  return null;
}
