import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ManualClock } from '../clock.js';
import { openDatabase } from './database.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { openStore } from './store.js';
import { StoreError } from './store-errors.js';
import { openTempStore, tempDir } from '../../test/fakes/temp-store.js';

const T = (iso: string) => Date.parse(iso);
const NOW = T('2024-03-04T06:00:00Z');

function expectStoreError(fn: () => unknown, kind: StoreError['kind'], field?: string): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).kind).toBe(kind);
    if (field) expect((err as StoreError).field).toBe(field);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('schema and durability settings', () => {
  it('migrates a fresh directory once, in WAL mode with synchronous=FULL', () => {
    const { dir, cleanup } = tempDir();
    try {
      openStore(dir).close();
      openStore(dir).close(); // second open applies nothing
      const db = openDatabase(dir);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
      const rows = db.prepare('SELECT version, name FROM schema_migrations').all();
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      db.close();
    } finally {
      cleanup();
    }
  });

  it('applies only newer migrations, each atomically', () => {
    const db = new Database(':memory:');
    expect(migrate(db, MIGRATIONS)).toBe(1);
    const broken = [
      ...MIGRATIONS,
      { version: 2, name: 'broken', sql: 'CREATE TABLE extra (x INTEGER); SELECT * FROM nowhere;' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    // The failed migration left neither its table nor its record behind.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeUndefined();
    const good = [...MIGRATIONS, { version: 2, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER);' }];
    expect(migrate(db, good)).toBe(2);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeDefined();
  });

  it('refuses a data directory written by a newer schema', () => {
    const db = new Database(':memory:');
    migrate(db, [...MIGRATIONS, { version: 7, name: 'future', sql: 'SELECT 1;' }]);
    expect(() => migrate(db, MIGRATIONS)).toThrow(/version 7, newer than this nodecast knows \(1\)/);
  });
});

describe('history', () => {
  it('buffers appends, flushes on read and keeps them across a reopen', () => {
    const { dir, cleanup } = tempDir();
    try {
      const store = openStore(dir, { history: { flushDelayMs: 60_000 } });
      store.appendHistory('exec', 2000, 3);
      store.appendHistory('exec', 1000, 2);
      store.appendHistory('driver', 1000, 1);
      expect(store.loadHistory('exec', 0)).toEqual([
        { t: 1000, value: 2 },
        { t: 2000, value: 3 },
      ]);
      store.appendHistory('exec', 3000, 4);
      store.close(); // flushes the buffer
      const again = openStore(dir);
      expect(again.loadHistory('exec', 1500)).toEqual([
        { t: 2000, value: 3 },
        { t: 3000, value: 4 },
      ]);
      expect(again.loadHistory('exec', 0, 3000)).toHaveLength(2);
      expect(again.historyGroups()).toEqual(['driver', 'exec']);
      again.close();
    } finally {
      cleanup();
    }
  });

  it('writes a full batch at once and replaces a sample at the same time', () => {
    const { store, dir, cleanup } = openTempStore({ history: { maxBatch: 2, flushDelayMs: 60_000 } });
    try {
      store.appendHistory('exec', 1000, 1);
      store.appendHistory('exec', 2000, 2); // batch full: written without a flush
      const other = new Database(store.path, { readonly: true });
      expect(other.prepare('SELECT COUNT(*) AS n FROM history').get()).toEqual({ n: 2 });
      other.close();
      store.appendHistoryMany([{ group: 'exec', t: 1000, value: 9 }]);
      expect(store.loadHistory('exec', 0)).toEqual([
        { t: 1000, value: 9 },
        { t: 2000, value: 2 },
      ]);
      expect(dir).toBeTruthy();
    } finally {
      cleanup();
    }
  });

  it('refuses non-finite values and non-integer times', () => {
    const { store, cleanup } = openTempStore();
    try {
      expectStoreError(() => store.appendHistory('exec', 1, Number.NaN), 'invalid', 'value');
      expectStoreError(() => store.appendHistory('exec', 1.5, 1), 'invalid', 't');
      expectStoreError(() => store.appendHistoryMany([{ group: '', t: 1, value: 1 }]), 'invalid', 'group');
    } finally {
      cleanup();
    }
  });
});

describe('overrides', () => {
  const open = () => openTempStore({ clock: new ManualClock(NOW), newId: idSequence() });
  function idSequence() {
    let n = 0;
    return () => `ovr-${++n}`;
  }

  it('creates, updates and soft-deletes, with an audit entry for each write', () => {
    const { store, cleanup } = open();
    try {
      const created = store.createOverride(
        { group: 'exec', kind: 'floor', value: 5, start: '2024-03-04T08:00:00+02:00', reason: 'launch' },
        'alice',
      );
      expect(created).toMatchObject({ id: 'ovr-1', start: '2024-03-04T06:00:00.000Z', createdBy: 'alice' });
      const updated = store.updateOverride('ovr-1', { value: 8, end: '2024-03-05T00:00:00Z' }, 'bob');
      expect(updated).toMatchObject({ value: 8, end: '2024-03-05T00:00:00.000Z', createdBy: 'alice' });
      const cleared = store.updateOverride('ovr-1', { end: null }, 'bob');
      expect(cleared.end).toBeUndefined();
      const deleted = store.deleteOverride('ovr-1', 'carol');
      expect(deleted.deletedAt).toBe(new Date(NOW).toISOString());
      expect(store.getOverride('ovr-1')?.deletedAt).toBeDefined();
      expect(store.listOverrides()).toEqual([]);
      expect(store.listOverrides({ status: 'all' })).toHaveLength(1);
      const audit = store.listAudit({ target: 'ovr-1' });
      expect(audit.map((a) => [a.action, a.actor])).toEqual([
        ['override.delete', 'carol'],
        ['override.update', 'bob'],
        ['override.update', 'bob'],
        ['override.create', 'alice'],
      ]);
      expect(audit[2]).toMatchObject({ before: { value: 5 }, after: { value: 8 } });
    } finally {
      cleanup();
    }
  });

  it('refuses bad input naming the field, and writes nothing', () => {
    const { store, cleanup } = open();
    try {
      const ok = { group: 'exec', kind: 'floor' as const, value: 5, reason: 'r' };
      expectStoreError(() => store.createOverride({ ...ok, value: undefined }, 'a'), 'invalid', 'value');
      expectStoreError(() => store.createOverride({ ...ok, kind: 'forecast-off' }, 'a'), 'invalid', 'value');
      expectStoreError(() => store.createOverride({ ...ok, value: 1.5 }, 'a'), 'invalid', 'value');
      expectStoreError(() => store.createOverride({ ...ok, start: 'tomorrow' }, 'a'), 'invalid', 'start');
      expectStoreError(
        () =>
          store.createOverride({ ...ok, start: '2024-03-05T00:00:00Z', end: '2024-03-04T23:00:00Z' }, 'a'),
        'invalid',
        'end',
      );
      expectStoreError(
        () => store.createOverride({ ...ok, end: '2024-03-04T05:00:00Z' }, 'a'),
        'invalid',
        'end',
      );
      expectStoreError(
        () => store.createOverride({ ...ok, cron: '0 8 * * *' }, 'a'),
        'invalid',
        'durationSeconds',
      );
      expectStoreError(() => store.createOverride({ ...ok, durationSeconds: 600 }, 'a'), 'invalid', 'cron');
      expectStoreError(
        () => store.createOverride({ ...ok, cron: '0 0 8 * * *', durationSeconds: 600 }, 'a'),
        'invalid',
        'cron',
      );
      expectStoreError(
        () => store.createOverride({ ...ok, cron: '0 25 * * *', durationSeconds: 600 }, 'a'),
        'invalid',
        'cron',
      );
      expectStoreError(
        () => store.createOverride({ ...ok, cron: '0 8 * * *', durationSeconds: 5 }, 'a'),
        'invalid',
        'durationSeconds',
      );
      expectStoreError(() => store.createOverride({ ...ok, reason: '  ' }, 'a'), 'invalid', 'reason');
      expect(store.listOverrides({ status: 'all' })).toEqual([]);
      expect(store.listAudit()).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('refuses a floor above an overlapping ceiling (409) but not a disjoint one', () => {
    const { store, cleanup } = open();
    try {
      store.createOverride(
        {
          group: 'exec',
          kind: 'ceiling',
          value: 10,
          start: '2024-03-04T10:00:00Z',
          end: '2024-03-04T12:00:00Z',
          reason: 'r',
        },
        'a',
      );
      const err = expectStoreError(
        () =>
          store.createOverride(
            { group: 'exec', kind: 'floor', value: 12, start: '2024-03-04T11:00:00Z', reason: 'r' },
            'a',
          ),
        'conflict',
        'value',
      );
      expect(err.message).toMatch(/floor 12 is above ceiling 10 of override ovr-1/);
      expect(err.message).toMatch(/2024-03-04T11:00:00.000Z/);
      // Disjoint in time, a lower floor, or another group: fine.
      store.createOverride(
        { group: 'exec', kind: 'floor', value: 12, start: '2024-03-04T12:00:00Z', reason: 'r' },
        'a',
      );
      store.createOverride({ group: 'exec', kind: 'floor', value: 10, reason: 'r' }, 'a');
      store.createOverride({ group: 'other', kind: 'floor', value: 50, reason: 'r' }, 'a');
      // A patch that would create the overlap is refused too, and leaves the row as it was.
      expectStoreError(() => store.updateOverride('ovr-3', { value: 11 }, 'a'), 'conflict');
      expect(store.getOverride('ovr-3')?.value).toBe(10);
    } finally {
      cleanup();
    }
  });

  it('checks cron overrides against occurrences within the horizon', () => {
    const { store, cleanup } = open();
    try {
      // Weekdays 08:00-10:00 ceiling 4.
      store.createOverride(
        { group: 'exec', kind: 'ceiling', value: 4, cron: '0 8 * * 1-5', durationSeconds: 7200, reason: 'r' },
        'a',
      );
      // Weekend floor 9 at 09:00 never meets it.
      store.createOverride(
        { group: 'exec', kind: 'floor', value: 9, cron: '0 9 * * 0,6', durationSeconds: 3600, reason: 'r' },
        'a',
      );
      // A Thursday window meets the Thursday occurrence.
      expectStoreError(
        () =>
          store.createOverride(
            {
              group: 'exec',
              kind: 'floor',
              value: 9,
              start: '2024-03-07T09:30:00Z',
              end: '2024-03-07T11:00:00Z',
              reason: 'r',
            },
            'a',
          ),
        'conflict',
      );
      // Daily 07:00 for 2 h overlaps weekday 08:00.
      expectStoreError(
        () =>
          store.createOverride(
            { group: 'exec', kind: 'floor', value: 5, cron: '0 7 * * *', durationSeconds: 7200, reason: 'r' },
            'a',
          ),
        'conflict',
      );
      expect(store.listOverrides()).toHaveLength(2);
    } finally {
      cleanup();
    }
  });

  it('refuses two overlapping pins with different values; a pin may sit over a floor', () => {
    const { store, cleanup } = open();
    try {
      store.createOverride({ group: 'exec', kind: 'pin', value: 4, reason: 'r' }, 'a');
      expectStoreError(
        () => store.createOverride({ group: 'exec', kind: 'pin', value: 5, reason: 'r' }, 'a'),
        'conflict',
      );
      store.createOverride({ group: 'exec', kind: 'floor', value: 50, reason: 'r' }, 'a');
      expect(store.activeOverrides().map((o) => o.kind)).toEqual(['pin']);
    } finally {
      cleanup();
    }
  });

  it('reports missing and deleted overrides', () => {
    const { store, cleanup } = open();
    try {
      expectStoreError(() => store.updateOverride('nope', { value: 1 }, 'a'), 'not-found', 'id');
      expectStoreError(() => store.deleteOverride('nope', 'a'), 'not-found', 'id');
      store.createOverride({ group: 'exec', kind: 'forecast-off', reason: 'r' }, 'a');
      store.deleteOverride('ovr-1', 'a');
      expectStoreError(() => store.deleteOverride('ovr-1', 'a'), 'conflict');
      expectStoreError(() => store.updateOverride('ovr-1', { reason: 'x' }, 'a'), 'conflict');
    } finally {
      cleanup();
    }
  });
});

describe('decisions and retention', () => {
  const reasons = [{ code: 'steady' as const, message: 'nothing to do' }];

  it('pages newest first with a stable cursor, filtered by group and since', () => {
    const { store, cleanup } = openTempStore();
    try {
      const entries = Array.from({ length: 25 }, (_, i) => ({
        at: 1000 * Math.floor(i / 2), // pairs share a timestamp: the cursor must break ties
        group: i % 3 === 0 ? 'driver' : 'exec',
        from: i,
        to: i + 1,
        reasons,
        outcome: 'applied',
      }));
      store.recordDecisions(entries);
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = store.queryDecisions({ limit: 4, cursor });
        seen.push(...page.items.map((d) => d.from));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...entries].reverse().map((e) => e.from));
      const exec = store.queryDecisions({ group: 'exec', since: 8000, limit: 100 });
      expect(exec.nextCursor).toBeUndefined();
      expect(exec.items.every((d) => d.group === 'exec' && d.at >= 8000)).toBe(true);
      expect(exec.items).toHaveLength(entries.filter((e) => e.group === 'exec' && e.at >= 8000).length);
      expect(exec.items[0]?.reasons).toEqual(reasons);
      expectStoreError(() => store.queryDecisions({ cursor: 'garbage' }), 'invalid', 'cursor');
      expectStoreError(() => store.queryDecisions({ limit: 0 }), 'invalid', 'limit');
    } finally {
      cleanup();
    }
  });

  it('prunes history and decisions older than the retention, keeping overrides', () => {
    const day = 86_400_000;
    const clock = new ManualClock(100 * day);
    const { store, cleanup } = openTempStore({ clock });
    try {
      store.appendHistoryMany([
        { group: 'exec', t: 50 * day, value: 1 },
        { group: 'exec', t: 95 * day, value: 2 },
      ]);
      store.recordDecisions([
        { at: 50 * day, group: 'exec', from: 1, to: 2, reasons, outcome: 'applied' },
        { at: 95 * day, group: 'exec', from: 2, to: 3, reasons, outcome: 'applied' },
      ]);
      store.createOverride(
        {
          group: 'exec',
          kind: 'floor',
          value: 1,
          end: new Date(100 * day + 1000).toISOString(),
          reason: 'r',
        },
        'a',
      );
      expect(store.prune(30)).toEqual({ history: 1, decisions: 1 });
      expect(store.loadHistory('exec', 0)).toEqual([{ t: 95 * day, value: 2 }]);
      expect(store.queryDecisions().items.map((d) => d.at)).toEqual([95 * day]);
      expect(store.listOverrides({ status: 'all' })).toHaveLength(1);
    } finally {
      cleanup();
    }
  });

  it('prunes on open when given a retention', () => {
    const { dir, cleanup } = tempDir();
    try {
      const first = openStore(dir, { clock: new ManualClock(0) });
      first.appendHistoryMany([{ group: 'exec', t: 0, value: 1 }]);
      first.close();
      const second = openStore(dir, { clock: new ManualClock(10 * 86_400_000), retentionDays: 5 });
      expect(second.loadHistory('exec', 0)).toEqual([]);
      second.close();
    } finally {
      cleanup();
    }
  });
});
