/**
 * Views of the Spark operator's custom resources (sparkoperator.k8s.io v1beta2):
 * SparkApplications (what is running or about to run) and ScheduledSparkApplications, whose cron
 * schedules the forecaster uses as known future demand. Never throws; unusable objects give
 * problems naming the field.
 *
 * Executor pod size follows Spark's rules: cpu = `coreRequest` (a Kubernetes quantity) or `cores`
 * (default 1); memory = `memory` (JVM notation, default 1g) + `memoryOverhead`, or else
 * max(384 MiB, factor x memory) with factor `memoryOverheadFactor` or 0.1 (JVM) / 0.4 (Python, R).
 * Executor count: `instances`, else dynamic allocation's `maxExecutors` (worst case), else 1.
 * Duration is not in the spec: annotation `nodecast.io/expected-duration-seconds`, else a default.
 */
import { CronExpressionParser } from 'cron-parser';
import type { ScheduledJobConfig } from '../config/types.js';
import { parseQuantity } from './quantity.js';
import { asObject, asString, stringMap } from './object-fields.js';

export const SPARK_OPERATOR_GROUP = 'sparkoperator.k8s.io';
export const EXPECTED_DURATION_ANNOTATION = 'nodecast.io/expected-duration-seconds';

const MiB = 2 ** 20;
const JVM_UNITS: Record<string, number> = {
  '': MiB,
  b: 1,
  k: 2 ** 10,
  m: MiB,
  g: 2 ** 30,
  t: 2 ** 40,
  p: 2 ** 50,
};

/** Spark/JVM memory notation ("512m", "4g", "1024" = MiB) in bytes; throws on malformed input. */
export function parseSparkMemory(value: string | number): number {
  if (typeof value === 'number') return value * MiB;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgtp]?)b?\s*$/i.exec(value);
  if (!m) throw new Error(`not a Spark memory size: "${value}"`);
  return Math.round(Number(m[1]) * JVM_UNITS[m[2]!.toLowerCase()]!);
}

export interface SparkAppView {
  readonly namespace: string;
  readonly name: string;
  /** status.applicationState.state, e.g. SUBMITTED, RUNNING, COMPLETED; null before the operator acts. */
  readonly state: string | null;
  readonly queue: string | null;
  readonly executors: number;
  readonly executorCpu: number;
  readonly executorMemoryBytes: number;
}

interface ExecutorShape {
  executors: number;
  executorCpu: number;
  executorMemoryBytes: number;
  queue: string | null;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function executorShape(specRaw: unknown, path: string, problems: string[]): ExecutorShape {
  const spec = asObject(specRaw);
  const exec = asObject(spec?.executor);
  const dyn = asObject(spec?.dynamicAllocation);
  const guard = <T>(field: string, f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (err) {
      problems.push(`${path}.${field}: ${(err as Error).message}`);
      return fallback;
    }
  };
  const cpu =
    exec?.coreRequest !== undefined
      ? guard('executor.coreRequest', () => parseQuantity(exec.coreRequest as string), 1)
      : (num(exec?.cores) ?? 1);
  const memory = guard(
    'executor.memory',
    () => parseSparkMemory((exec?.memory as string | number | undefined) ?? '1g'),
    2 ** 30,
  );
  const nonJvm = spec?.type === 'Python' || spec?.type === 'R';
  const factor = num(spec?.memoryOverheadFactor) ?? (nonJvm ? 0.4 : 0.1);
  const overhead =
    exec?.memoryOverhead !== undefined
      ? guard('executor.memoryOverhead', () => parseSparkMemory(exec.memoryOverhead as string), 384 * MiB)
      : Math.max(384 * MiB, Math.round(factor * memory));
  const instances = num(exec?.instances) ?? (dyn?.enabled === true ? num(dyn.maxExecutors) : undefined) ?? 1;
  const queue = asString(asObject(spec?.batchSchedulerOptions)?.queue) ?? null;
  return {
    executors: Math.max(0, Math.floor(instances)),
    executorCpu: cpu,
    executorMemoryBytes: memory + overhead,
    queue,
  };
}

export function toSparkAppView(raw: unknown): { view: SparkAppView | null; problems: string[] } {
  const obj = asObject(raw);
  const meta = asObject(obj?.metadata);
  const name = asString(meta?.name);
  if (!name) return { view: null, problems: ['metadata.name: missing'] };
  const problems: string[] = [];
  const shape = executorShape(obj?.spec, 'spec', problems);
  const state = asString(asObject(asObject(obj?.status)?.applicationState)?.state) ?? null;
  return {
    view: Object.freeze({ namespace: asString(meta?.namespace) ?? '', name, state, ...shape }),
    problems,
  };
}

/**
 * A ScheduledSparkApplication as a scheduled job for the forecaster; null (with problems) when it
 * is suspended, has no usable schedule, or is malformed. Name is `namespace/name`.
 */
export function toScheduledJob(
  raw: unknown,
  defaultDurationSeconds: number,
): { job: ScheduledJobConfig | null; problems: string[] } {
  const obj = asObject(raw);
  const meta = asObject(obj?.metadata);
  const name = asString(meta?.name);
  if (!name) return { job: null, problems: ['metadata.name: missing'] };
  const spec = asObject(obj?.spec);
  if (spec?.suspend === true) return { job: null, problems: [] };
  const cron = asString(spec?.schedule);
  const problems: string[] = [];
  if (!cron) return { job: null, problems: ['spec.schedule: missing'] };
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
  } catch (err) {
    return { job: null, problems: [`spec.schedule: ${(err as Error).message}`] };
  }
  const shape = executorShape(spec?.template, 'spec.template', problems);
  const declared = num(stringMap(meta?.annotations)[EXPECTED_DURATION_ANNOTATION]);
  const job: ScheduledJobConfig = {
    name: `${asString(meta?.namespace) ?? ''}/${name}`,
    cron,
    queue: shape.queue ?? '',
    executors: shape.executors,
    executorCpu: shape.executorCpu,
    executorMemoryBytes: shape.executorMemoryBytes,
    durationSeconds: declared !== undefined && declared > 0 ? declared : defaultDurationSeconds,
  };
  return { job: Object.freeze(job), problems };
}
