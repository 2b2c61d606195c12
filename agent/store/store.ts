/**
 * The durable store: demand history, overrides (with their audit log) and the decision log, in one
 * SQLite file in the data directory. `openStore` migrates the schema and, when given a retention,
 * prunes old history and decisions on open and periodically. All methods are synchronous
 * (better-sqlite3); writes are durable once they return (see database.ts).
 */
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { ActiveOverride } from '../decide/plan.js';
import type { AuditEntry } from './audit-repo.js';
import { AuditRepo } from './audit-repo.js';
import { databasePath, openDatabase } from './database.js';
import type { DecisionInput, DecisionPage, DecisionQuery } from './decisions-repo.js';
import { DecisionsRepo } from './decisions-repo.js';
import type { HistoryOptions, HistoryPoint, HistoryRow } from './history-repo.js';
import { HistoryRepo } from './history-repo.js';
import { migrate } from './migrations.js';
import type { Override, OverrideInput, OverridePatch } from './override-model.js';
import type { OverrideFilter } from './overrides-repo.js';
import { OverridesRepo } from './overrides-repo.js';

export interface Store {
  /** Path of the SQLite file. */
  readonly path: string;

  /** Buffers one sample; written within `flushDelayMs` (or sooner when the batch fills). */
  appendHistory(group: string, t: number, value: number): void;
  /** Writes many samples at once, in one transaction. */
  appendHistoryMany(rows: readonly HistoryRow[]): void;
  flushHistory(): void;
  /** Samples of a group with since <= t (< until), oldest first. */
  loadHistory(group: string, since: number, until?: number): HistoryPoint[];
  historyGroups(): string[];

  /** Throws StoreError: invalid (400), conflict (409). */
  createOverride(input: OverrideInput, actor: string): Override;
  /** Throws StoreError: not-found (404), invalid (400), conflict (409, also when deleted). */
  updateOverride(id: string, patch: OverridePatch, actor: string): Override;
  /** Soft delete. Throws StoreError: not-found (404), conflict (409 when already deleted). */
  deleteOverride(id: string, actor: string): Override;
  getOverride(id: string): Override | undefined;
  listOverrides(filter?: OverrideFilter): Override[];
  /** The overrides that take effect at `now` (default: the clock), resolved per group. */
  activeOverrides(now?: number): ActiveOverride[];

  listAudit(filter?: { target?: string; limit?: number }): AuditEntry[];

  recordDecisions(entries: readonly DecisionInput[]): void;
  queryDecisions(query?: DecisionQuery): DecisionPage;

  /** Deletes history and decisions older than the retention; returns the counts deleted. */
  prune(retentionDays: number, now?: number): { history: number; decisions: number };
  /** Flushes buffered history, stops the retention timer and closes the file. Idempotent. */
  close(): void;
}

export interface StoreOptions {
  readonly clock?: Clock;
  /** Keep history and decisions this many days; undefined = keep forever. */
  readonly retentionDays?: number;
  /** How often to prune (default 1 h). */
  readonly pruneIntervalMs?: number;
  readonly history?: HistoryOptions;
  /** Override ids (default crypto.randomUUID); tests make them predictable. */
  readonly newId?: () => string;
}

const DAY_MS = 86_400_000;

export function openStore(dir: string, opts: StoreOptions = {}): Store {
  const clock = opts.clock ?? systemClock;
  const db = openDatabase(dir);
  try {
    migrate(db, undefined, clock.now());
  } catch (err) {
    db.close();
    throw err;
  }
  const history = new HistoryRepo(db, opts.history);
  const audit = new AuditRepo(db);
  const decisions = new DecisionsRepo(db);
  const overrides = new OverridesRepo(db, audit, () => clock.now(), opts.newId);
  let pruneTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const store: Store = {
    path: databasePath(dir),
    appendHistory: (group, t, value) => history.append(group, t, value),
    appendHistoryMany: (rows) => history.appendMany(rows),
    flushHistory: () => history.flush(),
    loadHistory: (group, since, until) => history.load(group, since, until),
    historyGroups: () => history.groups(),
    createOverride: (input, actor) => overrides.create(input, actor),
    updateOverride: (id, patch, actor) => overrides.update(id, patch, actor),
    deleteOverride: (id, actor) => overrides.remove(id, actor),
    getOverride: (id) => overrides.get(id),
    listOverrides: (filter) => overrides.list(filter),
    activeOverrides: (now) => overrides.active(now ?? clock.now()),
    listAudit: (filter) => audit.list(filter),
    recordDecisions: (entries) => decisions.record(entries),
    queryDecisions: (query) => decisions.query(query),
    prune(retentionDays, now = clock.now()) {
      const before = now - retentionDays * DAY_MS;
      return { history: history.prune(before), decisions: decisions.prune(before) };
    },
    close() {
      if (closed) return;
      closed = true;
      if (pruneTimer) clearInterval(pruneTimer);
      try {
        history.close();
      } finally {
        db.close();
      }
    },
  };

  const days = opts.retentionDays;
  if (days !== undefined) {
    store.prune(days);
    pruneTimer = setInterval(() => {
      try {
        store.prune(days);
      } catch (err) {
        process.emitWarning(`store retention prune failed: ${(err as Error).message}`);
      }
    }, opts.pruneIntervalMs ?? 3_600_000).unref();
  }
  return store;
}
