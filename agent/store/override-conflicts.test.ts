import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { findConflict, type ExistingOverride } from './override-conflicts.js';
import type { OverrideSpec } from './override-model.js';
import { MAX_OVERRIDES_PER_GROUP } from './overrides-repo.js';
import { StoreError } from './store-errors.js';
import { openTempStore } from '../../test/fakes/temp-store.js';

const T = (iso: string) => Date.parse(iso);
const NOW = T('2024-05-20T06:00:00Z');

const yearlyCeilings: ExistingOverride[] = Array.from({ length: 100 }, (_, i) => ({
  id: `ceiling-${i}`,
  spec: { group: 'exec', kind: 'ceiling', value: 3, cron: '0 0 1 6 *', durationSeconds: 3600 },
}));

const everyMinuteFloor = (value: number, extra: Partial<OverrideSpec> = {}): OverrideSpec => ({
  group: 'exec',
  kind: 'floor',
  value,
  cron: '* * * * *',
  durationSeconds: 60,
  ...extra,
});

describe('findConflict with dense and sparse cron schedules', () => {
  it('finds where an every-minute floor meets 100 yearly ceilings', () => {
    const conflict = findConflict(everyMinuteFloor(5), yearlyCeilings, NOW);
    expect(conflict).toMatchObject({ id: 'ceiling-0', at: T('2024-06-01T00:00:00Z') });
    expect(conflict?.message).toMatch(/floor 5 is above ceiling 3/);
  });

  it('accepts a compatible floor, and one that ends before the ceilings start', () => {
    expect(findConflict(everyMinuteFloor(3), yearlyCeilings, NOW)).toBeUndefined();
    const endsInMay = everyMinuteFloor(5, { endMs: T('2024-05-31T23:59:00Z') });
    expect(findConflict(endsInMay, yearlyCeilings, NOW)).toBeUndefined();
    const startsAfterJune1st = everyMinuteFloor(5, { startMs: T('2024-06-01T01:00:00Z') });
    // The next June 1st is past the horizon: nothing to compare within it.
    expect(findConflict(startsAfterJune1st, yearlyCeilings, NOW)).toBeUndefined();
  });

  it('finds a sparse window inside a dense schedule', () => {
    const everyMinuteCeiling: ExistingOverride = {
      id: 'dense',
      spec: { group: 'exec', kind: 'ceiling', value: 2, cron: '* * * * *', durationSeconds: 60 },
    };
    const window: OverrideSpec = {
      group: 'exec',
      kind: 'floor',
      value: 4,
      startMs: T('2024-05-25T10:00:30Z'),
      endMs: T('2024-05-25T10:00:45Z'),
    };
    expect(findConflict(window, [everyMinuteCeiling], NOW)?.at).toBe(T('2024-05-25T10:00:30Z'));
  });

  it('refuses two dense incompatible schedules even when they alternate (conservative)', () => {
    const evenMinutes: ExistingOverride = {
      id: 'even',
      spec: { group: 'exec', kind: 'ceiling', value: 3, cron: '*/2 * * * *', durationSeconds: 60 },
    };
    const oddMinutes: OverrideSpec = {
      group: 'exec',
      kind: 'floor',
      value: 5,
      cron: '1-59/2 * * * *',
      durationSeconds: 60,
    };
    expect(findConflict(oddMinutes, [evenMinutes], NOW)?.id).toBe('even');
    // Sparser alternation (under 150 occurrences in the horizon) is compared exactly.
    const everyEighthHour: ExistingOverride = {
      id: 'eighth-hours',
      spec: { group: 'exec', kind: 'ceiling', value: 3, cron: '0 */8 * * *', durationSeconds: 3600 },
    };
    const shifted = { ...oddMinutes, cron: '0 4-23/8 * * *', durationSeconds: 3600 };
    expect(findConflict(shifted, [everyEighthHour], NOW)).toBeUndefined();
    expect(findConflict({ ...shifted, durationSeconds: 4 * 3600 + 1 }, [everyEighthHour], NOW)?.id).toBe(
      'eighth-hours',
    );
  });

  it('refuses, naming cron, a check that would take more than its step budget', () => {
    // Distinct dense ceilings (one duration each, so no listing is shared), below a daily floor
    // they never meet: proving that means listing each one and probing it at every 03:00.
    const ceilings: ExistingOverride[] = Array.from({ length: 20 }, (_, i) => ({
      id: `dense-${i}`,
      spec: { group: 'exec', kind: 'ceiling', value: 1, cron: '1-59/7 * * * *', durationSeconds: 60 + i },
    }));
    const floor = everyMinuteFloor(2, { cron: '0 3 * * *' });
    let refused: unknown;
    try {
      findConflict(floor, ceilings, NOW, undefined, 300);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(StoreError);
    expect(refused).toMatchObject({ kind: 'conflict', field: 'cron' });
    expect((refused as Error).message).toMatch(/more than 300 cron steps/);
    // With room for the work, the same check completes and finds nothing.
    expect(findConflict(floor, ceilings, NOW, undefined, 20 * 300)).toBeUndefined();
  });

  it('ignores other groups and compatible kinds', () => {
    const otherGroup = everyMinuteFloor(5, { group: 'driver' });
    expect(findConflict(otherGroup, yearlyCeilings, NOW)).toBeUndefined();
    const ceiling = { ...everyMinuteFloor(1), kind: 'ceiling' as const };
    expect(findConflict(ceiling, yearlyCeilings, NOW)).toBeUndefined();
  });
});

describe('overrides per group', () => {
  it(`refuses the ${MAX_OVERRIDES_PER_GROUP + 1}th live override of a group with a conflict naming group`, () => {
    let n = 0;
    const { store, cleanup } = openTempStore({ clock: new ManualClock(NOW), newId: () => `ovr-${++n}` });
    try {
      for (let i = 0; i < MAX_OVERRIDES_PER_GROUP; i++) {
        store.createOverride({ group: 'exec', kind: 'floor', value: 1 + (i % 5), reason: 'r' }, 'a');
      }
      let refused: unknown;
      try {
        store.createOverride({ group: 'exec', kind: 'floor', value: 1, reason: 'r' }, 'a');
      } catch (err) {
        refused = err;
      }
      expect(refused).toBeInstanceOf(StoreError);
      expect(refused).toMatchObject({ kind: 'conflict', field: 'group' });
      expect((refused as Error).message).toMatch(/at most 200/);
      // Other groups are unaffected, edits of existing ones still work, and deleting frees a slot.
      store.createOverride({ group: 'driver', kind: 'floor', value: 1, reason: 'r' }, 'a');
      expect(store.updateOverride('ovr-1', { value: 2 }, 'a').value).toBe(2);
      store.deleteOverride('ovr-2', 'a');
      store.createOverride({ group: 'exec', kind: 'floor', value: 1, reason: 'r' }, 'a');
      expect(store.listOverrides({ group: 'exec' })).toHaveLength(MAX_OVERRIDES_PER_GROUP);
    } finally {
      cleanup();
    }
  });
});
