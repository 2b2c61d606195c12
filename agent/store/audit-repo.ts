/**
 * The audit log: one entry per write through the API (who, what, on which object, the object
 * before and after, when). Entries are written in the same transaction as the change they record.
 */
import type { Db } from './database.js';

export type AuditAction = 'override.create' | 'override.update' | 'override.delete';

export interface AuditInput {
  readonly at: number;
  readonly actor: string;
  readonly action: AuditAction;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface AuditEntry {
  readonly id: number;
  /** ISO-8601 UTC. */
  readonly at: string;
  readonly actor: string;
  readonly action: AuditAction;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: AuditAction;
  target: string;
  before_json: string | null;
  after_json: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: new Date(r.at).toISOString(),
  actor: r.actor,
  action: r.action,
  target: r.target,
  ...(r.before_json === null ? {} : { before: JSON.parse(r.before_json) as unknown }),
  ...(r.after_json === null ? {} : { after: JSON.parse(r.after_json) as unknown }),
});

export class AuditRepo {
  constructor(private readonly db: Db) {}

  /** Call inside the transaction of the change it records. */
  record(e: AuditInput): void {
    this.db
      .prepare(
        'INSERT INTO audit_log (at, actor, action, target, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        e.at,
        e.actor,
        e.action,
        e.target,
        e.before === undefined ? null : JSON.stringify(e.before),
        e.after === undefined ? null : JSON.stringify(e.after),
      );
  }

  /** Newest first. */
  list(filter: { target?: string; limit?: number } = {}): AuditEntry[] {
    const limit = Math.max(1, Math.min(filter.limit ?? 100, 10_000));
    const rows =
      filter.target === undefined
        ? this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM audit_log WHERE target = ? ORDER BY id DESC LIMIT ?')
            .all(filter.target, limit);
    return (rows as AuditRow[]).map(toEntry);
  }
}
