/**
 * The pods a SparkApplication spec asks for, derived as Spark on Kubernetes derives them
 * (BasicDriverFeatureStep / BasicExecutorFeatureStep, Spark 3.4 and later) from the Spark
 * Operator's v1beta2 fields. docs/spark-operator.md has the table and a worked example.
 *
 * - cpu request: `coreRequest` (spark.kubernetes.<role>.request.cores), else `cores`
 *   (spark.<role>.cores, default 1). `coreLimit` is only the limit.
 * - memory request, whole MiB as Spark computes it: `memory` (spark.<role>.memory, default 1g)
 *   + overhead, where overhead = `memoryOverhead` if set, else max(factor x memory, 384 MiB or
 *   spark.<role>.minMemoryOverhead). factor = spark.<role>.memoryOverheadFactor, else
 *   `spec.memoryOverheadFactor` (spark.kubernetes.memoryOverheadFactor), else 0.1 for JVM apps
 *   and 0.4 for Python and R apps (Spark still defaults non-JVM apps on Kubernetes to 0.4).
 *   Executors of Python apps add spark.executor.pyspark.memory; executors add
 *   spark.memory.offHeap.size when spark.memory.offHeap.enabled.
 * - executors: `instances` (spark.executor.instances, default 2). With dynamic allocation, the
 *   count at start is max(minExecutors, initialExecutors, instances) and maxExecutors (unset:
 *   unbounded) the upper bound.
 */
import { stringMap, asObject, asString } from './object-fields.js';
import { GiB, MiB, SparkSpecReader, type Found } from './spark-settings.js';

export const DEFAULT_MIN_OVERHEAD_BYTES = 384 * MiB;
/** spark.executor.instances when nothing sets it (SchedulerBackendUtils.DEFAULT_NUMBER_EXECUTORS). */
export const DEFAULT_EXECUTOR_INSTANCES = 2;
const APP_TYPES = new Set(['Java', 'Scala', 'Python', 'R']);
const YUNIKORN_QUEUE_ANNOTATION = 'yunikorn.apache.org/queue';

export type SparkRole = 'driver' | 'executor';

export interface SparkPodRequest {
  /** cpu request in cores. */
  readonly cpu: number;
  /** cpu limit in cores (coreLimit), null when unset. */
  readonly cpuLimit: number | null;
  /** memory request in bytes: heap + overhead (+ PySpark and off-heap memory for executors). */
  readonly memoryBytes: number;
  readonly heapBytes: number;
  readonly overheadBytes: number;
}

export interface ExecutorCounts {
  readonly dynamicAllocation: boolean;
  /** Executors asked for at start: instances, or dynamic allocation's initial count. */
  readonly initial: number;
  /** Lower bound (equals `initial` without dynamic allocation). */
  readonly min: number;
  /** Upper bound; null when dynamic allocation has no maxExecutors (unbounded). */
  readonly max: number | null;
}

export interface SparkAppResources {
  /** spec.type (Java, Scala, Python, R); null when missing or unknown. */
  readonly type: string | null;
  readonly driver: SparkPodRequest;
  readonly executor: SparkPodRequest;
  readonly executors: ExecutorCounts;
  /** YuniKorn (or Volcano) queue: batchSchedulerOptions.queue, else the executor pods' queue label/annotation. */
  readonly queue: string | null;
  /** spec.batchScheduler, e.g. yunikorn or volcano; null for the default scheduler. */
  readonly batchScheduler: string | null;
}

/** Reads a SparkApplicationSpec at `path`; problems get one entry per bad field. */
export function sparkAppResources(specRaw: unknown, path: string, problems: string[]): SparkAppResources {
  const r = new SparkSpecReader(specRaw, path, problems);
  const rawType = r.spec.type;
  const type = typeof rawType === 'string' && APP_TYPES.has(rawType) ? rawType : null;
  if (rawType !== undefined && type === null) {
    r.problem(`${path}.type`, `must be one of Java, Scala, Python, R, got ${JSON.stringify(rawType)}`);
  }
  const nonJvm = type === 'Python' || type === 'R';
  return {
    type,
    driver: podRequest(r, 'driver', nonJvm, type === 'Python'),
    executor: podRequest(r, 'executor', nonJvm, type === 'Python'),
    executors: executorCounts(r),
    queue: queueOf(r),
    batchScheduler: asString(r.spec.batchScheduler) ?? null,
  };
}

function podRequest(r: SparkSpecReader, role: SparkRole, nonJvm: boolean, python: boolean): SparkPodRequest {
  const cores = r.count(r.find(role, 'cores', `spark.${role}.cores`), 1) ?? 1;
  const cpu = r.cpu(r.find(role, 'coreRequest', `spark.kubernetes.${role}.request.cores`), cores);
  const limit = r.find(role, 'coreLimit', `spark.kubernetes.${role}.limit.cores`);
  const cpuLimit = limit ? r.cpu(limit, Number.NaN) : null;
  // Spark sizes the container in whole MiB (executorMemoryMiB, overhead .toInt).
  const heapMiB = wholeMiB(r.memory(r.find(role, 'memory', `spark.${role}.memory`), GiB));
  const overheadMiB = overhead(r, role, heapMiB, nonJvm);
  let extraMiB = 0;
  if (role === 'executor') {
    if (python) extraMiB += wholeMiB(r.memory(r.confValue('spark.executor.pyspark.memory'), 0));
    if (r.flag(r.confValue('spark.memory.offHeap.enabled')) === true) {
      extraMiB += wholeMiB(r.memory(r.confValue('spark.memory.offHeap.size'), 0, 1));
    }
  }
  return {
    cpu,
    cpuLimit: cpuLimit === null || Number.isNaN(cpuLimit) ? null : cpuLimit,
    memoryBytes: (heapMiB + overheadMiB + extraMiB) * MiB,
    heapBytes: heapMiB * MiB,
    overheadBytes: overheadMiB * MiB,
  };
}

function overhead(r: SparkSpecReader, role: SparkRole, heapMiB: number, nonJvm: boolean): number {
  const explicit = r.find(role, 'memoryOverhead', `spark.${role}.memoryOverhead`);
  if (explicit) return wholeMiB(r.memory(explicit, DEFAULT_MIN_OVERHEAD_BYTES));
  const factor =
    r.factor(r.confValue(`spark.${role}.memoryOverheadFactor`)) ??
    r.factor(r.find(null, 'memoryOverheadFactor', 'spark.kubernetes.memoryOverheadFactor')) ??
    (nonJvm ? 0.4 : 0.1);
  const minMiB = wholeMiB(
    r.memory(r.confValue(`spark.${role}.minMemoryOverhead`), DEFAULT_MIN_OVERHEAD_BYTES),
  );
  return Math.max(Math.floor(factor * heapMiB), minMiB);
}

function executorCounts(r: SparkSpecReader): ExecutorCounts {
  const instances = r.count(r.find('executor', 'instances', 'spark.executor.instances'));
  const dyn = (field: string, key: string): Found | undefined => r.find('dynamicAllocation', field, key);
  const enabled = r.flag(dyn('enabled', 'spark.dynamicAllocation.enabled')) === true;
  if (!enabled) {
    const n = instances ?? DEFAULT_EXECUTOR_INSTANCES;
    return { dynamicAllocation: false, initial: n, min: n, max: n };
  }
  const min = r.count(dyn('minExecutors', 'spark.dynamicAllocation.minExecutors')) ?? 0;
  const initialSetting = r.count(dyn('initialExecutors', 'spark.dynamicAllocation.initialExecutors')) ?? min;
  const maxFound = dyn('maxExecutors', 'spark.dynamicAllocation.maxExecutors');
  const max = r.count(maxFound, 1) ?? null;
  // Utils.getDynamicAllocationInitialExecutors: the largest of the three.
  let initial = Math.max(min, initialSetting, instances ?? 0);
  if (max !== null && initial > max) {
    // Spark refuses to start such an app; count what it could at most run.
    r.problem(maxFound!.at, `initial executors (${initial}) exceed maxExecutors (${max})`);
    initial = max;
  }
  return { dynamicAllocation: true, initial, min: Math.min(min, initial), max };
}

function queueOf(r: SparkSpecReader): string | null {
  const fromOptions = asString(asObject(r.spec.batchSchedulerOptions)?.queue);
  if (fromOptions) return fromOptions;
  const executor = asObject(r.spec.executor);
  return (
    stringMap(executor?.labels).queue ??
    stringMap(executor?.annotations)[YUNIKORN_QUEUE_ANNOTATION] ??
    r.conf['spark.kubernetes.executor.label.queue'] ??
    r.conf[`spark.kubernetes.executor.annotation.${YUNIKORN_QUEUE_ANNOTATION}`] ??
    null
  );
}

const wholeMiB = (bytes: number): number => Math.floor(bytes / MiB);
