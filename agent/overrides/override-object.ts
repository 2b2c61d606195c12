/**
 * An override as a ForecastOverride object (deploy/forecastoverride-crd.yaml) and back. The object's
 * name is the override id; times the API shows with millisecond precision live in annotations,
 * since metadata.creationTimestamp has whole seconds. Reading an object validates it as the API
 * validates a POST, so a bad object applied with kubectl or GitOps is skipped with a reason naming
 * the field, never acted on.
 */
import type { Override } from '../store/override-model.js';
import { specFromInput } from '../store/override-model.js';
import { StoreError } from '../store/store-errors.js';

export const OVERRIDE_GROUP = 'nodecast.io';
export const OVERRIDE_VERSION = 'v1alpha1';
export const OVERRIDE_PLURAL = 'forecastoverrides';
export const OVERRIDE_KIND = 'ForecastOverride';
const CREATED_AT = 'nodecast.io/created-at';
const UPDATED_AT = 'nodecast.io/updated-at';
export const GROUP_LABEL = 'nodecast.io/node-group';

/** At most this many audit entries stay in status.history (the CRD's maxItems). */
export const MAX_HISTORY = 50;

export interface HistoryEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly detail?: string;
}

export interface ForecastOverrideObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
  status?: { history?: HistoryEntry[] };
}

/** Label values are at most 63 characters of [A-Za-z0-9_.-]; group names usually are. */
function labelValue(group: string): string | undefined {
  return /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/.test(group) ? group : undefined;
}

export function toObject(o: Override, namespace: string): ForecastOverrideObject {
  const spec: Record<string, unknown> = { group: o.group, kind: o.kind };
  for (const key of ['value', 'start', 'end', 'cron', 'durationSeconds'] as const) {
    if (o[key] !== undefined) spec[key] = o[key];
  }
  spec.reason = o.reason;
  spec.createdBy = o.createdBy;
  if (o.deletedAt !== undefined) spec.deletedAt = o.deletedAt;
  const label = labelValue(o.group);
  return {
    apiVersion: `${OVERRIDE_GROUP}/${OVERRIDE_VERSION}`,
    kind: OVERRIDE_KIND,
    metadata: {
      name: o.id,
      namespace,
      ...(label ? { labels: { [GROUP_LABEL]: label } } : {}),
      annotations: { [CREATED_AT]: o.createdAt, [UPDATED_AT]: o.updatedAt },
    },
    spec,
  };
}

const optional = <T>(v: unknown, type: 'string' | 'number'): T | undefined =>
  typeof v === type ? (v as T) : undefined;

/** The override an object holds, or a reason (naming the field) why it cannot be used. */
export function fromObject(obj: ForecastOverrideObject): Override | { problem: string } {
  const name = obj.metadata?.name;
  const spec = obj.spec ?? {};
  if (!name) return { problem: 'metadata.name is missing' };
  const created =
    obj.metadata.annotations?.[CREATED_AT] ?? obj.metadata.creationTimestamp ?? new Date(0).toISOString();
  const input = {
    group: optional<string>(spec.group, 'string') ?? '',
    kind: spec.kind as Override['kind'],
    value: optional<number>(spec.value, 'number'),
    start: optional<string>(spec.start, 'string'),
    end: optional<string>(spec.end, 'string'),
    cron: optional<string>(spec.cron, 'string'),
    durationSeconds: optional<number>(spec.durationSeconds, 'number'),
    reason: optional<string>(spec.reason, 'string') ?? '',
  };
  let parsed;
  try {
    parsed = specFromInput(input);
  } catch (err) {
    if (err instanceof StoreError) return { problem: `spec.${err.field ?? ''}: ${err.message}` };
    throw err;
  }
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const start = iso(parsed.startMs);
  const end = iso(parsed.endMs);
  const deletedAt = optional<string>(spec.deletedAt, 'string');
  return {
    id: name,
    group: input.group,
    kind: input.kind,
    ...(input.value === undefined ? {} : { value: input.value }),
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    ...(input.cron === undefined ? {} : { cron: input.cron }),
    ...(input.durationSeconds === undefined ? {} : { durationSeconds: input.durationSeconds }),
    reason: input.reason,
    createdBy: optional<string>(spec.createdBy, 'string') ?? 'kubernetes',
    createdAt: created,
    updatedAt: obj.metadata.annotations?.[UPDATED_AT] ?? created,
    ...(deletedAt === undefined ? {} : { deletedAt }),
  };
}

/** status.history with one more entry, the oldest dropped past MAX_HISTORY. */
export function withHistory(obj: ForecastOverrideObject, entry: HistoryEntry): ForecastOverrideObject {
  const history = [...(obj.status?.history ?? []), entry].slice(-MAX_HISTORY);
  return { ...obj, status: { ...obj.status, history } };
}
