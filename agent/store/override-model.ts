/**
 * The override model: a human floor, ceiling, pin or forecast-off for one node group, over a time
 * window (`start`/`end`) or recurring (`cron` + `durationSeconds`, UTC). Pure validation here; the
 * store persists, the schedule module says when one applies.
 */
import { CronExpressionParser } from 'cron-parser';
import { StoreError } from './store-errors.js';

export const OVERRIDE_KINDS = ['floor', 'ceiling', 'pin', 'forecast-off'] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

export const OVERRIDE_LIMITS = {
  maxValue: 100_000,
  maxReasonLength: 1000,
  maxGroupLength: 253,
  minDurationSeconds: 60,
  maxDurationSeconds: 31 * 86_400,
  maxCronLength: 120,
} as const;

/** What a client supplies to create an override. Times are ISO-8601 UTC strings. */
export interface OverrideInput {
  readonly group: string;
  readonly kind: OverrideKind;
  /** Node count for floor / ceiling / pin; absent for forecast-off. */
  readonly value?: number;
  /** Window bounds (for a cron override: when occurrences may apply). Absent = unbounded. */
  readonly start?: string;
  readonly end?: string;
  /** Five-field cron expression, UTC: each occurrence applies for `durationSeconds`. */
  readonly cron?: string;
  readonly durationSeconds?: number;
  readonly reason: string;
}

/** A stored override: the input plus identity and history. */
export interface Override extends OverrideInput {
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Soft delete: the override stops applying and stays in history. */
  readonly deletedAt?: string;
}

/** Fields a client may change; `null` clears an optional field. Group and kind are fixed. */
export interface OverridePatch {
  readonly value?: number | null;
  readonly start?: string | null;
  readonly end?: string | null;
  readonly cron?: string | null;
  readonly durationSeconds?: number | null;
  readonly reason?: string;
}

/** The schedule-relevant part of an override, times in epoch ms. */
export interface OverrideSpec {
  readonly group: string;
  readonly kind: OverrideKind;
  readonly value?: number;
  readonly startMs?: number;
  readonly endMs?: number;
  readonly cron?: string;
  readonly durationSeconds?: number;
}

const invalid = (field: string, message: string): StoreError => new StoreError('invalid', message, field);

/** Parses an ISO-8601 instant; refuses anything Date.parse cannot read or that is out of range. */
export function parseInstant(field: string, iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  // Year 0..9999 keeps toISOString() round-trippable.
  if (!Number.isFinite(ms) || ms < -62_167_219_200_000 || ms > 253_402_300_799_999) {
    throw invalid(field, `${field} must be an ISO-8601 date-time, got ${JSON.stringify(iso)}`);
  }
  return ms;
}

/** Validates a five-field UTC cron expression; throws naming `field`. */
export function checkCron(cron: string, field = 'cron'): void {
  const fields = cron.trim().split(/\s+/);
  if (cron.length > OVERRIDE_LIMITS.maxCronLength || fields.length !== 5) {
    throw invalid(field, `${field} must be a five-field cron expression (minute hour day month weekday)`);
  }
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' }).next();
  } catch (err) {
    throw invalid(field, `${field} is not a valid cron expression: ${(err as Error).message}`);
  }
}

function checkValue(spec: OverrideSpec): void {
  if (spec.kind === 'forecast-off') {
    if (spec.value !== undefined) throw invalid('value', 'value must be absent for kind forecast-off');
    return;
  }
  const v = spec.value;
  if (v === undefined) throw invalid('value', `value (a node count) is required for kind ${spec.kind}`);
  if (!Number.isInteger(v) || v < 0 || v > OVERRIDE_LIMITS.maxValue) {
    throw invalid('value', `value must be an integer between 0 and ${OVERRIDE_LIMITS.maxValue}`);
  }
}

function checkSchedule(spec: OverrideSpec): void {
  if (spec.startMs !== undefined && spec.endMs !== undefined && spec.endMs <= spec.startMs) {
    throw invalid('end', 'end must be after start');
  }
  const hasCron = spec.cron !== undefined;
  const hasDuration = spec.durationSeconds !== undefined;
  if (hasCron !== hasDuration) {
    throw hasCron
      ? invalid('durationSeconds', 'durationSeconds is required with cron')
      : invalid('cron', 'cron is required with durationSeconds');
  }
  if (spec.cron !== undefined) checkCron(spec.cron);
  const d = spec.durationSeconds;
  if (
    d !== undefined &&
    (!Number.isInteger(d) || d < OVERRIDE_LIMITS.minDurationSeconds || d > OVERRIDE_LIMITS.maxDurationSeconds)
  ) {
    throw invalid(
      'durationSeconds',
      `durationSeconds must be an integer between ${OVERRIDE_LIMITS.minDurationSeconds} and ${OVERRIDE_LIMITS.maxDurationSeconds}`,
    );
  }
}

/** Checks every domain rule of an override spec; throws a StoreError naming the first bad field. */
export function validateSpec(spec: OverrideSpec): void {
  if (
    typeof spec.group !== 'string' ||
    spec.group.length === 0 ||
    spec.group.length > OVERRIDE_LIMITS.maxGroupLength
  ) {
    throw invalid('group', 'group must be a non-empty node group name');
  }
  if (!(OVERRIDE_KINDS as readonly string[]).includes(spec.kind)) {
    throw invalid('kind', `kind must be one of ${OVERRIDE_KINDS.join(', ')}`);
  }
  checkValue(spec);
  checkSchedule(spec);
}

export function checkReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim().length === 0)
    throw invalid('reason', 'reason must be a non-empty string');
  if (reason.length > OVERRIDE_LIMITS.maxReasonLength) {
    throw invalid('reason', `reason must be at most ${OVERRIDE_LIMITS.maxReasonLength} characters`);
  }
  return reason;
}

/** The spec of a client's input, validated. */
export function specFromInput(input: OverrideInput): OverrideSpec {
  const spec: OverrideSpec = {
    group: input.group,
    kind: input.kind,
    value: input.value,
    startMs: parseInstant('start', input.start),
    endMs: parseInstant('end', input.end),
    cron: input.cron,
    durationSeconds: input.durationSeconds,
  };
  validateSpec(spec);
  checkReason(input.reason);
  return spec;
}

/** The spec of a stored override (already valid when written). */
export function specOf(o: Override): OverrideSpec {
  return {
    group: o.group,
    kind: o.kind,
    value: o.value,
    startMs: o.start === undefined ? undefined : Date.parse(o.start),
    endMs: o.end === undefined ? undefined : Date.parse(o.end),
    cron: o.cron,
    durationSeconds: o.durationSeconds,
  };
}

const pick = <T>(patched: T | null | undefined, current: T | undefined): T | undefined =>
  patched === null ? undefined : patched === undefined ? current : patched;

/** The input an existing override becomes after a patch (null clears, undefined keeps). */
export function applyPatch(current: Override, patch: OverridePatch): OverrideInput {
  return {
    group: current.group,
    kind: current.kind,
    value: pick(patch.value, current.value),
    start: pick(patch.start, current.start),
    end: pick(patch.end, current.end),
    cron: pick(patch.cron, current.cron),
    durationSeconds: pick(patch.durationSeconds, current.durationSeconds),
    reason: patch.reason ?? current.reason,
  };
}
