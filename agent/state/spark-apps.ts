/**
 * Views of the Spark operator's custom resources (sparkoperator.k8s.io v1beta2):
 * SparkApplications (what is running or about to run) and ScheduledSparkApplications, whose cron
 * schedules the forecaster uses as known future demand. Never throws; unusable objects give
 * problems naming the field. Pod sizes and executor counts: spark-app-resources.ts.
 *
 * Duration is not in the spec: annotation `nodecast.io/expected-duration-seconds`, else a default.
 */
import { CronExpressionParser } from 'cron-parser';
import type { ConcurrencyPolicy, ScheduledJobConfig } from '../config/types.js';
import { asObject, asString, stringMap } from './object-fields.js';
import { sparkAppResources, type SparkAppResources } from './spark-app-resources.js';

export { parseSparkMemory } from './spark-settings.js';

export const SPARK_OPERATOR_GROUP = 'sparkoperator.k8s.io';
export const EXPECTED_DURATION_ANNOTATION = 'nodecast.io/expected-duration-seconds';
const CONCURRENCY_POLICIES: readonly ConcurrencyPolicy[] = ['Allow', 'Forbid', 'Replace'];

export interface SparkAppView extends SparkAppResources {
  readonly namespace: string;
  readonly name: string;
  /** status.applicationState.state, e.g. SUBMITTED, RUNNING, COMPLETED; null before the operator acts. */
  readonly state: string | null;
  /** status.sparkApplicationId: the `spark-app-selector` label of its pods; null before submission. */
  readonly appId: string | null;
  /** Executors the operator has recorded in status.executorState (any state). */
  readonly executorsRecorded: number;
}

export function toSparkAppView(raw: unknown): { view: SparkAppView | null; problems: string[] } {
  const obj = asObject(raw);
  const meta = asObject(obj?.metadata);
  const name = asString(meta?.name);
  if (!name) return { view: null, problems: ['metadata.name: missing'] };
  const problems: string[] = [];
  const resources = sparkAppResources(obj?.spec, 'spec', problems);
  const status = asObject(obj?.status);
  const state = asString(asObject(status?.applicationState)?.state) ?? null;
  const appId = asString(status?.sparkApplicationId) || null;
  const executorsRecorded = Object.keys(asObject(status?.executorState) ?? {}).length;
  const namespace = asString(meta?.namespace) ?? '';
  return {
    view: Object.freeze({ namespace, name, state, appId, executorsRecorded, ...resources }),
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
  if (spec?.suspend === true) return { job: null, problems: [] }; // no runs until resumed
  const problems: string[] = [];
  if (spec?.suspend !== undefined && spec.suspend !== false && spec.suspend !== null) {
    problems.push(`spec.suspend: must be true or false, got ${JSON.stringify(spec.suspend)}`);
  }
  const when = schedule(spec, problems);
  if (!when) return { job: null, problems };
  const policy = concurrencyPolicy(spec?.concurrencyPolicy, problems);
  const app = sparkAppResources(spec?.template, 'spec.template', problems);
  const declared = Number(stringMap(meta?.annotations)[EXPECTED_DURATION_ANNOTATION]);
  const { initial, max } = app.executors;
  const job: ScheduledJobConfig = {
    name: `${asString(meta?.namespace) ?? ''}/${name}`,
    cron: when.cron,
    queue: app.queue ?? '',
    executors: initial,
    executorCpu: app.executor.cpu,
    executorMemoryBytes: app.executor.memoryBytes,
    durationSeconds: Number.isFinite(declared) && declared > 0 ? declared : defaultDurationSeconds,
    ...(max !== null && max > initial ? { maxExecutors: max } : {}),
    ...(policy !== 'Allow' ? { concurrencyPolicy: policy } : {}),
    ...(when.timeZone !== undefined ? { timeZone: when.timeZone } : {}),
  };
  return { job: Object.freeze(job), problems };
}

/**
 * spec.schedule (robfig/cron as the operator reads it: five fields, @daily-style macros, an
 * optional `CRON_TZ=` / `TZ=` prefix) and spec.timeZone when present. `@every` intervals are not
 * cron expressions and are reported as unusable.
 */
function schedule(
  spec: Record<string, unknown> | undefined,
  problems: string[],
): { cron: string; timeZone?: string } | null {
  const raw = asString(spec?.schedule)?.trim();
  if (!raw) {
    problems.push('spec.schedule: missing');
    return null;
  }
  const prefixed = /^(?:CRON_TZ|TZ)=(\S+)\s+(.+)$/.exec(raw);
  const cron = prefixed ? prefixed[2]! : raw;
  const zoneField = asString(spec?.timeZone);
  const timeZone = prefixed?.[1] ?? (zoneField !== undefined && zoneField !== '' ? zoneField : undefined);
  const zoneAt = prefixed ? 'spec.schedule' : 'spec.timeZone';
  if (timeZone !== undefined && !validTimeZone(timeZone)) {
    problems.push(`${zoneAt}: unknown time zone "${timeZone}"`);
    return null;
  }
  if (cron.startsWith('@every')) {
    problems.push(
      `spec.schedule: "${cron}" is an interval, not a cron schedule; nodecast cannot place its runs`,
    );
    return null;
  }
  try {
    CronExpressionParser.parse(cron, { tz: timeZone ?? 'UTC' });
  } catch (err) {
    problems.push(`spec.schedule: ${(err as Error).message}`);
    return null;
  }
  return timeZone !== undefined ? { cron, timeZone } : { cron };
}

function concurrencyPolicy(value: unknown, problems: string[]): ConcurrencyPolicy {
  if (value === undefined || value === null || value === '') return 'Allow';
  if (CONCURRENCY_POLICIES.includes(value as ConcurrencyPolicy)) return value as ConcurrencyPolicy;
  problems.push(
    `spec.concurrencyPolicy: must be Allow, Forbid or Replace, got ${JSON.stringify(value)}; using Allow`,
  );
  return 'Allow';
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
