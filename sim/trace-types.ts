/** One Spark application of a workload trace (docs/trace-format.md), in base units. */
export interface TraceJob {
  /** Epoch ms the application is submitted. */
  readonly submitTime: number;
  /** Application name, unique in the trace. */
  readonly app: string;
  /** YuniKorn queue. */
  readonly queue: string;
  readonly driverCpu: number;
  readonly driverMemoryBytes: number;
  /** Executors the application asks for (spark.executor.instances). */
  readonly executors: number;
  readonly executorCpu: number;
  readonly executorMemoryBytes: number;
  /** Run time with all executors running; fewer executors stretch it proportionally. */
  readonly durationSeconds: number;
}

export const TRACE_COLUMNS = [
  'submit_time',
  'app',
  'queue',
  'driver_cpu',
  'driver_memory_gib',
  'executors',
  'executor_cpu',
  'executor_memory_gib',
  'duration_seconds',
] as const;

export type TraceColumn = (typeof TRACE_COLUMNS)[number];

export const GiB = 2 ** 30;
