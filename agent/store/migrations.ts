/**
 * Schema migrations: an ordered list, each applied once in its own transaction and recorded in
 * `schema_migrations`. Never edit a released migration; append a new one.
 */
import type { Db } from './database.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE history (
        grp TEXT NOT NULL,
        t INTEGER NOT NULL,
        value REAL NOT NULL,
        PRIMARY KEY (grp, t)
      ) WITHOUT ROWID;

      CREATE TABLE overrides (
        id TEXT PRIMARY KEY,
        grp TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('floor', 'ceiling', 'pin', 'forecast-off')),
        value INTEGER,
        start_ms INTEGER,
        end_ms INTEGER,
        cron TEXT,
        duration_s INTEGER,
        reason TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER,
        CHECK ((kind = 'forecast-off') = (value IS NULL)),
        CHECK ((cron IS NULL) = (duration_s IS NULL)),
        CHECK (start_ms IS NULL OR end_ms IS NULL OR end_ms > start_ms)
      );
      CREATE INDEX overrides_grp ON overrides (grp);

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        before_json TEXT,
        after_json TEXT
      );
      CREATE INDEX audit_log_target ON audit_log (target, id);

      CREATE TABLE decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        grp TEXT NOT NULL,
        from_size INTEGER NOT NULL,
        to_size INTEGER NOT NULL,
        reasons_json TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX decisions_at ON decisions (at, id);
      CREATE INDEX decisions_grp_at ON decisions (grp, at, id);
    `,
  },
];

/** Applies every migration newer than the database's version; returns the resulting version. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, now = Date.now()): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(
      `the data directory's schema is version ${current}, newer than this nodecast knows (${latest}); ` +
        'run a newer nodecast or point it at another data directory',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now);
    }).immediate();
  }
  return Math.max(current, latest);
}
