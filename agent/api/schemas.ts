/** JSON schemas shared by the routes (inline objects: the validators compile them directly). */
import { OVERRIDE_KINDS, OVERRIDE_LIMITS } from '../store/override-model.js';

export const errorSchema = {
  type: 'object',
  required: ['error', 'message', 'field'],
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    field: { type: ['string', 'null'] },
  },
} as const;

/** Error responses every route may send. */
export const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;

export const reasonSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' } },
} as const;

const isoTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;

export const overrideSchema = {
  type: 'object',
  required: ['id', 'group', 'kind', 'reason', 'createdBy', 'createdAt', 'updatedAt', 'state'],
  properties: {
    id: { type: 'string' },
    group: { type: 'string' },
    kind: { type: 'string' },
    value: { type: 'integer' },
    start: { type: 'string' },
    end: { type: 'string' },
    cron: { type: 'string' },
    durationSeconds: { type: 'integer' },
    reason: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    deletedAt: { type: 'string' },
    state: { type: 'string', enum: ['active', 'scheduled', 'expired', 'deleted'] },
  },
} as const;

const overrideFields = {
  value: { type: 'integer', minimum: 0, maximum: OVERRIDE_LIMITS.maxValue },
  start: isoTime,
  end: isoTime,
  cron: { type: 'string', minLength: 9, maxLength: OVERRIDE_LIMITS.maxCronLength },
  durationSeconds: {
    type: 'integer',
    minimum: OVERRIDE_LIMITS.minDurationSeconds,
    maximum: OVERRIDE_LIMITS.maxDurationSeconds,
  },
  reason: { type: 'string', minLength: 1, maxLength: OVERRIDE_LIMITS.maxReasonLength },
} as const;

export const createOverrideBody = {
  type: 'object',
  additionalProperties: false,
  required: ['group', 'kind', 'reason'],
  properties: {
    group: { type: 'string', minLength: 1, maxLength: OVERRIDE_LIMITS.maxGroupLength },
    kind: { type: 'string', enum: [...OVERRIDE_KINDS] },
    ...overrideFields,
  },
} as const;

const nullable = <T extends { type: string }>(s: T) => ({ ...s, type: [s.type, 'null'] });

/** Group and kind are fixed (create a new override instead); null clears an optional field. */
export const patchOverrideBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    value: nullable(overrideFields.value),
    start: nullable(overrideFields.start),
    end: nullable(overrideFields.end),
    cron: nullable(overrideFields.cron),
    durationSeconds: nullable(overrideFields.durationSeconds),
    reason: overrideFields.reason,
  },
} as const;

export const groupNameParams = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 253 } },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** API routes without query parameters: an unknown parameter is a 400 naming it (likely a typo). */
export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Probes and /metrics ignore query parameters (some scrapers and probes add their own). */
export const anyQuery = { type: 'object' } as const;
