import { describe, expect, it } from 'vitest';
import { microTime, nextRecord, readRecord, releasedRecord, sameRecord, writeSpec } from './lease-record.js';

describe('lease records', () => {
  it('writes MicroTime with exactly six fractional digits and reads strings or Dates back', () => {
    const at = Date.parse('2025-03-04T05:06:07.089Z');
    expect(String(microTime(at))).toBe('2025-03-04T05:06:07.089000Z');
    const spec = writeSpec(nextRecord(undefined, 'a', 15, at));
    const fromString = readRecord({ spec: JSON.parse(JSON.stringify(spec)) }, 99);
    expect(fromString).toEqual({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      acquireTime: at,
      renewTime: at,
      leaseTransitions: 0,
    });
    expect(readRecord({ spec: { renewTime: new Date(at) as never } }, 7)).toMatchObject({
      renewTime: at,
      leaseDurationSeconds: 7,
    });
  });

  it('keeps acquireTime on renewal and counts a transition on each change of holder', () => {
    const first = nextRecord(undefined, 'a', 10, 1000);
    const renewed = nextRecord(first, 'a', 10, 3000);
    expect(renewed).toMatchObject({ acquireTime: 1000, renewTime: 3000, leaseTransitions: 0 });
    const takenOver = nextRecord(renewed, 'b', 10, 20_000);
    expect(takenOver).toMatchObject({ holderIdentity: 'b', acquireTime: 20_000, leaseTransitions: 1 });
    const released = releasedRecord(takenOver, 21_000);
    expect(released).toMatchObject({ holderIdentity: '', leaseTransitions: 1 });
    expect(nextRecord(released, 'a', 10, 22_000).leaseTransitions).toBe(2);
    expect(sameRecord(renewed, { ...renewed })).toBe(true);
    expect(sameRecord(first, renewed)).toBe(false);
    expect(sameRecord(undefined, first)).toBe(false);
  });

  it('treats a missing or bad duration and unparsable times as absent', () => {
    const r = readRecord({ spec: { leaseDurationSeconds: 0, renewTime: 'yesterday' as never } }, 12);
    expect(r).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 12,
      renewTime: null,
      acquireTime: null,
    });
  });
});
