/**
 * Demand history: one value per (group, t). Appends are buffered and written in one transaction
 * per batch (when the buffer fills, after a short delay, or on flush/read/close) because the
 * loop appends one sample per group per step and a commit costs an fsync. A sample at an
 * existing (group, t) replaces it, so a Prometheus backfill and local samples never duplicate.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { StoreError } from './store-errors.js';

export interface HistoryPoint {
  /** Epoch ms. */
  readonly t: number;
  readonly value: number;
}

export interface HistoryRow extends HistoryPoint {
  readonly group: string;
}

export interface HistoryOptions {
  /** Write buffered samples at most this long after the first one (default 1000 ms). */
  readonly flushDelayMs?: number;
  /** Write at once when this many samples are buffered (default 1000). */
  readonly maxBatch?: number;
  /** Called when a delayed flush fails (default: a process warning); the samples are dropped. */
  readonly onError?: (err: Error) => void;
}

function checkRow(row: HistoryRow): void {
  if (typeof row.group !== 'string' || row.group.length === 0)
    throw new StoreError('invalid', 'group must be a non-empty string', 'group');
  if (!Number.isSafeInteger(row.t))
    throw new StoreError('invalid', `t must be an integer epoch ms, got ${row.t}`, 't');
  if (!Number.isFinite(row.value))
    throw new StoreError('invalid', `value must be a finite number, got ${row.value}`, 'value');
}

export class HistoryRepo {
  private buffer: HistoryRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly flushDelayMs: number;
  private readonly maxBatch: number;
  private readonly onError: (err: Error) => void;
  private readonly insert: Statement;
  private readonly select: Statement;
  private readonly selectUntil: Statement;

  constructor(
    private readonly db: Db,
    opts: HistoryOptions = {},
  ) {
    this.flushDelayMs = opts.flushDelayMs ?? 1000;
    this.maxBatch = opts.maxBatch ?? 1000;
    this.onError = opts.onError ?? ((err) => process.emitWarning(`history flush failed: ${err.message}`));
    this.insert = db.prepare('INSERT OR REPLACE INTO history (grp, t, value) VALUES (?, ?, ?)');
    this.select = db.prepare('SELECT t, value FROM history WHERE grp = ? AND t >= ? ORDER BY t');
    this.selectUntil = db.prepare(
      'SELECT t, value FROM history WHERE grp = ? AND t >= ? AND t < ? ORDER BY t',
    );
  }

  append(group: string, t: number, value: number): void {
    const row = { group, t, value };
    checkRow(row);
    this.buffer.push(row);
    if (this.buffer.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.delayedFlush(), this.flushDelayMs).unref();
  }

  /** Writes many samples now, in one transaction (e.g. a backfill). */
  appendMany(rows: readonly HistoryRow[]): void {
    rows.forEach(checkRow);
    this.write(rows);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.write(rows);
  }

  /** Samples of a group with since <= t (< until), oldest first; includes buffered ones. */
  load(group: string, since: number, until?: number): HistoryPoint[] {
    this.flush();
    const rows =
      until === undefined ? this.select.all(group, since) : this.selectUntil.all(group, since, until);
    return rows as HistoryPoint[];
  }

  groups(): string[] {
    this.flush();
    return (this.db.prepare('SELECT DISTINCT grp FROM history ORDER BY grp').all() as { grp: string }[]).map(
      (r) => r.grp,
    );
  }

  /** Deletes samples older than `before`; returns how many. */
  prune(before: number): number {
    this.flush();
    return this.db.prepare('DELETE FROM history WHERE t < ?').run(before).changes;
  }

  close(): void {
    this.flush();
  }

  private delayedFlush(): void {
    try {
      this.flush();
    } catch (err) {
      this.onError(err as Error);
    }
  }

  private write(rows: readonly HistoryRow[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.insert.run(r.group, r.t, r.value);
    })();
  }
}
