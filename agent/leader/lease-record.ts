/**
 * The leader-election record carried by a coordination.k8s.io/v1 Lease, and the pure rules on it.
 * Times on the wire are MicroTime: exactly six fractional digits (a plain Date's ISO string, with
 * three, is rejected by the API server). Read back, a MicroTime may be a string (client-node 2.x
 * leaves it as sent) or a Date.
 */
import type { V1Lease, V1MicroTime } from '@kubernetes/client-node';

export interface LeaseRecord {
  /** '' when nobody holds the lease (never acquired, or released). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  /** Epoch ms, or null when unset. */
  readonly acquireTime: number | null;
  readonly renewTime: number | null;
  readonly leaseTransitions: number;
}

function toMs(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function readRecord(lease: V1Lease, fallbackDurationSeconds: number): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds:
      typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds > 0
        ? spec.leaseDurationSeconds
        : fallbackDurationSeconds,
    acquireTime: toMs(spec.acquireTime),
    renewTime: toMs(spec.renewTime),
    leaseTransitions: typeof spec.leaseTransitions === 'number' ? spec.leaseTransitions : 0,
  };
}

/** Did anything in the record change since we last looked? (New renewals reset the expiry timer.) */
export function sameRecord(a: LeaseRecord | undefined, b: LeaseRecord): boolean {
  return (
    a !== undefined &&
    a.holderIdentity === b.holderIdentity &&
    a.renewTime === b.renewTime &&
    a.acquireTime === b.acquireTime &&
    a.leaseTransitions === b.leaseTransitions &&
    a.leaseDurationSeconds === b.leaseDurationSeconds
  );
}

/**
 * The record we write to take or keep the lease: acquireTime and the transition count only move
 * when the holder changes.
 */
export function nextRecord(
  previous: LeaseRecord | undefined,
  identity: string,
  leaseDurationSeconds: number,
  now: number,
): LeaseRecord {
  const keeping = previous !== undefined && previous.holderIdentity === identity;
  const transitions = previous?.leaseTransitions ?? 0;
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: keeping && previous.acquireTime !== null ? previous.acquireTime : now,
    renewTime: now,
    // As client-go counts: every take-over by a new holder, a released lease included.
    leaseTransitions: keeping || previous === undefined ? transitions : transitions + 1,
  };
}

/** What a clean release leaves behind: no holder, so a standby may take it at once. */
export function releasedRecord(previous: LeaseRecord, now: number): LeaseRecord {
  return { ...previous, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now };
}

/**
 * "2025-01-02T03:04:05.678000Z". client-node passes a value of its (unregistered) V1MicroTime type
 * through unchanged, so the string goes on the wire as is; building it here keeps this module free
 * of runtime client-node imports.
 */
export function microTime(ms: number): V1MicroTime {
  return new Date(ms).toISOString().replace(/Z$/, '000Z') as unknown as V1MicroTime;
}

export function writeSpec(record: LeaseRecord): NonNullable<V1Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    leaseTransitions: record.leaseTransitions,
    ...(record.acquireTime !== null ? { acquireTime: microTime(record.acquireTime) } : {}),
    ...(record.renewTime !== null ? { renewTime: microTime(record.renewTime) } : {}),
  };
}
