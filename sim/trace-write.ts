/** Writes jobs as trace CSV (docs/trace-format.md); parseTrace reads it back unchanged. */
import { GiB, TRACE_COLUMNS, type TraceJob } from './trace-types.js';

function num(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function formatTraceRow(job: TraceJob): string {
  return [
    isoSeconds(job.submitTime),
    job.app,
    job.queue,
    num(job.driverCpu),
    num(job.driverMemoryBytes / GiB),
    String(job.executors),
    num(job.executorCpu),
    num(job.executorMemoryBytes / GiB),
    num(job.durationSeconds),
  ].join(',');
}

export function formatTrace(jobs: readonly TraceJob[]): string {
  return [TRACE_COLUMNS.join(','), ...jobs.map(formatTraceRow)].join('\n') + '\n';
}
