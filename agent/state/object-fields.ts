/**
 * Defensive readers for fields of Kubernetes objects. Objects arrive two ways: raw JSON from a
 * watch (timestamps are strings) and deserialized client-node models from a list (timestamps are
 * Date). Everything here accepts both and never throws.
 */

/** Epoch ms of a Kubernetes timestamp (RFC 3339 string or Date), or null when absent or invalid. */
export function epochMs(value: unknown): number | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? null : ms;
  }
  if (typeof value === 'string' && value !== '') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** A string-to-string map (labels, annotations, selectors); non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export const EMPTY_MAP: Readonly<Record<string, string>> = Object.freeze({});

/** A frozen copy of a string map, sharing one frozen empty object for the common empty case. */
export function frozenMap(map: Record<string, string>): Readonly<Record<string, string>> {
  for (const _ in map) return Object.freeze(map);
  return EMPTY_MAP;
}
