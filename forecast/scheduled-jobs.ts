/**
 * Leading indicators: scheduled Spark jobs (Config.scheduledJobs or ScheduledSparkApplications)
 * are known in advance, so their executors' demand is added at their next run times instead of
 * waiting for the history to show it. Only runs that start after `now` count: a run already going
 * is in the observed demand.
 *
 * A job with dynamic allocation starts with `executors` and may grow to `maxExecutors`: the
 * expected path counts the first, the upper path (read by the upper bands) the second.
 * ScheduledSparkApplication's concurrencyPolicy holds: with Forbid a run due while the previous
 * one is going is skipped, with Replace it ends the previous one; either way one run at a time.
 */
import { CronExpressionParser } from 'cron-parser';

/** What a node of the group holds: how many executors of a job fit on one. */
export interface JobNodeShape {
  readonly cpu: number;
  readonly memoryBytes: number;
  readonly pods: number;
}

/** ScheduledSparkApplication spec.concurrencyPolicy. */
export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

export interface ScheduledJobSpec {
  readonly name?: string;
  /** Five-field cron expression, in `timeZone` (default UTC). */
  readonly cron: string;
  readonly timeZone?: string;
  readonly executors: number;
  /** Upper bound under dynamic allocation (default `executors`). */
  readonly maxExecutors?: number;
  /** Default Allow (runs may overlap). */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  readonly executorCpu: number;
  readonly executorMemoryBytes: number;
  readonly durationSeconds: number;
}

export interface ScheduledRun {
  readonly job: string;
  readonly start: number;
  readonly end: number;
  readonly nodes: number;
  /** Nodes at the job's maxExecutors (equals `nodes` without dynamic allocation). */
  readonly maxNodes: number;
}

export class ScheduledJobError extends Error {}

/** Executors of one size that fit on one node of the group (cpu, memory and pod count). */
export function executorsPerNode(
  shape: JobNodeShape,
  executorCpu: number,
  executorMemoryBytes: number,
): number {
  const byCpu = executorCpu > 0 ? Math.floor(shape.cpu / executorCpu + 1e-9) : Infinity;
  const byMem =
    executorMemoryBytes > 0 ? Math.floor(shape.memoryBytes / executorMemoryBytes + 1e-9) : Infinity;
  return Math.min(byCpu, byMem, shape.pods);
}

/** Nodes a job's executors need when packed onto the group's shape. */
export function jobNodes(job: ScheduledJobSpec, shape: JobNodeShape): number {
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
  readonly maxNodes: number;
}

export class ScheduledDemand {
  private readonly jobs: readonly ParsedJob[];

  /** Validates every cron and packing up front; throws ScheduledJobError naming the job. */
  constructor(jobs: readonly ScheduledJobSpec[], shape: JobNodeShape) {
    this.jobs = jobs.map((spec) => {
      try {
        CronExpressionParser.parse(spec.cron, { tz: spec.timeZone ?? 'UTC' });
      } catch (err) {
        throw new ScheduledJobError(
          `scheduled job ${label(spec)}: bad cron "${spec.cron}": ${(err as Error).message}`,
        );
      }
      const max = spec.maxExecutors ?? spec.executors;
      if (!(spec.durationSeconds > 0) || !(spec.executors >= 0) || !(max >= spec.executors)) {
        throw new ScheduledJobError(
          `scheduled job ${label(spec)}: durationSeconds must be > 0 and 0 <= executors <= maxExecutors`,
        );
      }
      return { spec, nodes: jobNodes(spec, shape), maxNodes: jobNodes({ ...spec, executors: max }, shape) };
    });
  }

  get size(): number {
    return this.jobs.length;
  }

  /** Runs starting in (now, until]. */
  runsStarting(now: number, until: number): ScheduledRun[] {
    const runs: ScheduledRun[] = [];
    if (!(until > now)) return runs;
    for (const { spec, nodes, maxNodes } of this.jobs) {
      if (maxNodes === 0) continue;
      const it = CronExpressionParser.parse(spec.cron, {
        currentDate: new Date(now),
        endDate: new Date(until),
        tz: spec.timeZone ?? 'UTC',
      });
      const policy = spec.concurrencyPolicy ?? 'Allow';
      let previous: ScheduledRun | undefined;
      while (it.hasNext()) {
        const start = it.next().getTime();
        if (start > until) break;
        if (previous && start < previous.end && policy === 'Forbid') continue;
        if (previous && start < previous.end && policy === 'Replace') {
          runs[runs.length - 1] = { ...previous, end: start }; // this job's runs are pushed in order
        }
        previous = { job: label(spec), start, end: start + spec.durationSeconds * 1000, nodes, maxNodes };
        runs.push(previous);
      }
    }
    return runs.sort((a, b) => a.start - b.start);
  }

  /**
   * Extra nodes at each of `steps` points in time, firstAt + i * stepMs, from runs starting after
   * `now` and still going at that point. `bound` 'upper' counts each run at its maxExecutors.
   */
  demandPath(
    now: number,
    firstAt: number,
    stepMs: number,
    steps: number,
    bound: 'expected' | 'upper' = 'expected',
  ): Float64Array {
    const out = new Float64Array(steps);
    if (this.jobs.length === 0 || steps === 0) return out;
    for (const run of this.runsStarting(now, firstAt + (steps - 1) * stepMs)) {
      const nodes = bound === 'upper' ? run.maxNodes : run.nodes;
      const from = Math.max(0, Math.ceil((run.start - firstAt) / stepMs));
      for (let i = from; i < steps && firstAt + i * stepMs < run.end; i++) out[i]! += nodes;
    }
    return out;
  }
}

function label(job: ScheduledJobSpec): string {
  return job.name !== undefined ? `"${job.name}"` : `"${job.cron}"`;
}
