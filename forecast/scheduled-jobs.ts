/**
 * Leading indicators: scheduled Spark jobs (Config.scheduledJobs or ScheduledSparkApplications)
 * are known in advance, so their executors' demand is added at their next run times instead of
 * waiting for the history to show it. Only runs that start after `now` count: a run already going
 * is in the observed demand.
 */
import { CronExpressionParser } from 'cron-parser';
import type { NodeShape } from '../agent/config/types.js';

export interface ScheduledJobSpec {
  readonly name?: string;
  /** Five-field cron expression, UTC. */
  readonly cron: string;
  readonly executors: number;
  readonly executorCpu: number;
  readonly executorMemoryBytes: number;
  readonly durationSeconds: number;
}

export interface ScheduledRun {
  readonly job: string;
  readonly start: number;
  readonly end: number;
  readonly nodes: number;
}

export class ScheduledJobError extends Error {}

/** Executors of one size that fit on one node of the group (cpu, memory and pod count). */
export function executorsPerNode(shape: NodeShape, executorCpu: number, executorMemoryBytes: number): number {
  const byCpu = executorCpu > 0 ? Math.floor(shape.cpu / executorCpu + 1e-9) : Infinity;
  const byMem =
    executorMemoryBytes > 0 ? Math.floor(shape.memoryBytes / executorMemoryBytes + 1e-9) : Infinity;
  return Math.min(byCpu, byMem, shape.pods);
}

/** Nodes a job's executors need when packed onto the group's shape. */
export function jobNodes(job: ScheduledJobSpec, shape: NodeShape): number {
  const perNode = executorsPerNode(shape, job.executorCpu, job.executorMemoryBytes);
  if (!(perNode >= 1)) {
    throw new ScheduledJobError(
      `scheduled job ${label(job)}: an executor (cpu ${job.executorCpu}, memory ${job.executorMemoryBytes} B) does not fit on a node (cpu ${shape.cpu}, memory ${shape.memoryBytes} B)`,
    );
  }
  return Math.ceil(job.executors / perNode);
}

interface ParsedJob {
  readonly spec: ScheduledJobSpec;
  readonly nodes: number;
}

export class ScheduledDemand {
  private readonly jobs: readonly ParsedJob[];

  /** Validates every cron and packing up front; throws ScheduledJobError naming the job. */
  constructor(jobs: readonly ScheduledJobSpec[], shape: NodeShape) {
    this.jobs = jobs.map((spec) => {
      try {
        CronExpressionParser.parse(spec.cron, { tz: 'UTC' });
      } catch (err) {
        throw new ScheduledJobError(
          `scheduled job ${label(spec)}: bad cron "${spec.cron}": ${(err as Error).message}`,
        );
      }
      if (!(spec.durationSeconds > 0) || !(spec.executors >= 0)) {
        throw new ScheduledJobError(
          `scheduled job ${label(spec)}: durationSeconds must be > 0 and executors >= 0`,
        );
      }
      return { spec, nodes: jobNodes(spec, shape) };
    });
  }

  get size(): number {
    return this.jobs.length;
  }

  /** Runs starting in (now, until]. */
  runsStarting(now: number, until: number): ScheduledRun[] {
    const runs: ScheduledRun[] = [];
    if (!(until > now)) return runs;
    for (const { spec, nodes } of this.jobs) {
      if (nodes === 0) continue;
      const it = CronExpressionParser.parse(spec.cron, {
        currentDate: new Date(now),
        endDate: new Date(until),
        tz: 'UTC',
      });
      while (it.hasNext()) {
        const start = it.next().getTime();
        if (start > until) break;
        runs.push({ job: label(spec), start, end: start + spec.durationSeconds * 1000, nodes });
      }
    }
    return runs.sort((a, b) => a.start - b.start);
  }

  /**
   * Extra nodes at each of `steps` points in time, firstAt + i * stepMs, from runs starting after
   * `now` and still going at that point.
   */
  demandPath(now: number, firstAt: number, stepMs: number, steps: number): Float64Array {
    const out = new Float64Array(steps);
    if (this.jobs.length === 0 || steps === 0) return out;
    for (const run of this.runsStarting(now, firstAt + (steps - 1) * stepMs)) {
      const from = Math.max(0, Math.ceil((run.start - firstAt) / stepMs));
      for (let i = from; i < steps && firstAt + i * stepMs < run.end; i++) out[i]! += run.nodes;
    }
    return out;
  }
}

function label(job: ScheduledJobSpec): string {
  return job.name !== undefined ? `"${job.name}"` : `"${job.cron}"`;
}
