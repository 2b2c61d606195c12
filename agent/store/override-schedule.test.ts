import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import type { OverrideSpec } from './override-model.js';
import { activeIntervals, firstOverlap, isActiveAt, MAX_CRON_OCCURRENCES } from './override-schedule.js';
import { resolveActive } from './override-resolve.js';
import { openTempStore } from '../../test/fakes/temp-store.js';

const T = (iso: string) => Date.parse(iso);
const floor = (extra: Partial<OverrideSpec> = {}): OverrideSpec => ({
  group: 'exec',
  kind: 'floor',
  value: 5,
  ...extra,
});

describe('window overrides', () => {
  const spec = floor({ startMs: T('2024-03-01T10:00:00Z'), endMs: T('2024-03-01T12:00:00Z') });
  it('apply from start (inclusive) to end (exclusive)', () => {
    expect(isActiveAt(spec, T('2024-03-01T09:59:59Z'))).toBe(false);
    expect(isActiveAt(spec, T('2024-03-01T10:00:00Z'))).toBe(true);
    expect(isActiveAt(spec, T('2024-03-01T11:59:59Z'))).toBe(true);
    expect(isActiveAt(spec, T('2024-03-01T12:00:00Z'))).toBe(false);
  });
  it('without bounds apply always', () => {
    expect(isActiveAt(floor(), 0)).toBe(true);
    expect(isActiveAt(floor({ endMs: 1000 }), 999)).toBe(true);
    expect(isActiveAt(floor({ endMs: 1000 }), 1000)).toBe(false);
  });
});

describe('cron overrides', () => {
  // Weekdays 08:00 UTC for two hours.
  const spec = floor({ cron: '0 8 * * 1-5', durationSeconds: 7200 });
  it('apply for the duration after each occurrence', () => {
    expect(isActiveAt(spec, T('2024-03-04T07:59:00Z'))).toBe(false); // Monday
    expect(isActiveAt(spec, T('2024-03-04T08:00:00Z'))).toBe(true);
    expect(isActiveAt(spec, T('2024-03-04T09:59:59Z'))).toBe(true);
    expect(isActiveAt(spec, T('2024-03-04T10:00:00Z'))).toBe(false);
    expect(isActiveAt(spec, T('2024-03-09T08:30:00Z'))).toBe(false); // Saturday
  });
  it('carry an occurrence past midnight', () => {
    const late = floor({ cron: '0 23 * * *', durationSeconds: 3 * 3600 });
    expect(isActiveAt(late, T('2024-03-05T01:30:00Z'))).toBe(true);
    expect(isActiveAt(late, T('2024-03-05T02:00:00Z'))).toBe(false);
  });
  it('respect start and end bounds', () => {
    const bounded = { ...spec, startMs: T('2024-03-05T00:00:00Z'), endMs: T('2024-03-06T09:00:00Z') };
    expect(isActiveAt(bounded, T('2024-03-04T08:30:00Z'))).toBe(false); // before start
    expect(isActiveAt(bounded, T('2024-03-05T08:30:00Z'))).toBe(true);
    expect(isActiveAt(bounded, T('2024-03-06T08:30:00Z'))).toBe(true);
    expect(isActiveAt(bounded, T('2024-03-06T09:30:00Z'))).toBe(false); // cut by end
  });
  it('list their intervals within a range', () => {
    const list = activeIntervals(spec, { from: T('2024-03-04T09:00:00Z'), to: T('2024-03-06T00:00:00Z') });
    expect(list.map((i) => [new Date(i.from).toISOString(), new Date(i.to).toISOString()])).toEqual([
      ['2024-03-04T09:00:00.000Z', '2024-03-04T10:00:00.000Z'],
      ['2024-03-05T08:00:00.000Z', '2024-03-05T10:00:00.000Z'],
    ]);
  });
  it('merge back-to-back occurrences and assume coverage past the enumeration cap', () => {
    const every = floor({ cron: '* * * * *', durationSeconds: 60 });
    const range = { from: 0, to: (MAX_CRON_OCCURRENCES + 100) * 60_000 };
    expect(activeIntervals(every, range)).toEqual([range]);
  });
});

describe('firstOverlap', () => {
  it('finds the first shared instant of two sorted lists', () => {
    const a = [
      { from: 0, to: 10 },
      { from: 20, to: 30 },
    ];
    expect(firstOverlap(a, [{ from: 10, to: 20 }])).toBeUndefined();
    expect(firstOverlap(a, [{ from: 12, to: 25 }])).toBe(20);
  });
});

describe('resolveActive', () => {
  const base = { group: 'exec', reason: 'r' };
  it('lets a pin win, keeps forecast-off alongside', () => {
    const out = resolveActive([
      { ...base, id: 'f', kind: 'floor', value: 9, createdAt: 1 },
      { ...base, id: 'p', kind: 'pin', value: 4, createdAt: 1 },
      { ...base, id: 'o', kind: 'forecast-off', createdAt: 1 },
    ]);
    expect(out.map((o) => o.id)).toEqual(['p', 'o']);
  });
  it('applies the highest floor and the lowest ceiling per group', () => {
    const out = resolveActive([
      { ...base, id: 'f1', kind: 'floor', value: 3, createdAt: 1 },
      { ...base, id: 'f2', kind: 'floor', value: 7, createdAt: 1 },
      { ...base, id: 'c1', kind: 'ceiling', value: 20, createdAt: 1 },
      { ...base, id: 'c2', kind: 'ceiling', value: 12, createdAt: 1 },
      { ...base, group: 'other', id: 'x', kind: 'floor', value: 1, createdAt: 1 },
    ]);
    expect(out.map((o) => o.id)).toEqual(['f2', 'c2', 'x']);
  });
  it('keeps the newer of a floor above a ceiling', () => {
    const out = resolveActive([
      { ...base, id: 'f', kind: 'floor', value: 9, createdAt: 2 },
      { ...base, id: 'c', kind: 'ceiling', value: 4, createdAt: 1 },
    ]);
    expect(out.map((o) => o.id)).toEqual(['f']);
  });
});

describe('store.activeOverrides over time', () => {
  it('resolves windows, cron occurrences and expiry as the clock moves', () => {
    const clock = new ManualClock(T('2024-03-04T06:00:00Z')); // Monday
    const { store, cleanup } = openTempStore({ clock });
    try {
      const win = store.createOverride(
        { group: 'exec', kind: 'floor', value: 10, end: '2024-03-04T07:00:00Z', reason: 'launch' },
        'alice',
      );
      const cron = store.createOverride(
        {
          group: 'exec',
          kind: 'ceiling',
          value: 20,
          cron: '0 8 * * 1-5',
          durationSeconds: 3600,
          reason: 'budget',
        },
        'alice',
      );
      const ids = () => store.activeOverrides().map((o) => o.id);
      expect(ids()).toEqual([win.id]);
      clock.set(T('2024-03-04T07:00:00Z'));
      expect(ids()).toEqual([]); // window expired on its own
      clock.set(T('2024-03-04T08:15:00Z'));
      expect(ids()).toEqual([cron.id]);
      clock.set(T('2024-03-04T09:00:00Z'));
      expect(ids()).toEqual([]);
      // Expired overrides stay in history.
      expect(
        store
          .listOverrides({ status: 'all' })
          .map((o) => o.id)
          .sort(),
      ).toEqual([win.id, cron.id].sort());
      expect(store.listOverrides({ status: 'current' }).map((o) => o.id)).toEqual([cron.id]);
    } finally {
      cleanup();
    }
  });
});
