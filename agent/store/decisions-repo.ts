/**
 * The decision log: one row per group per plan the loop acted on (or chose not to), with the
 * reasons behind the target and what came of it. Queried newest first, paginated by an opaque
 * cursor over (at, id) so pages stay stable while new rows arrive.
 */
import type { GroupDecision, Plan, Reason } from '../decide/plan.js';
import type { Db } from './database.js';
import { StoreError } from './store-errors.js';

/** What happened to a plan step, e.g. applied, unchanged, failed, skipped, dry-run, shadow. */
export type DecisionOutcome = string;

export interface DecisionInput {
  /** Epoch ms of the plan. */
  readonly at: number;
  readonly group: string;
  readonly from: number;
  readonly to: number;
  readonly reasons: readonly Reason[];
  readonly outcome: DecisionOutcome;
  /** E.g. the provider's error message when the outcome is failed. */
  readonly detail?: string;
}

export interface DecisionRecord extends DecisionInput {
  readonly id: number;
}

export interface DecisionQuery {
  readonly group?: string;
  /** Only decisions with at >= since (epoch ms). */
  readonly since?: number;
  /** Page size, 1..1000 (default 100). */
  readonly limit?: number;
  /** From a previous page's nextCursor. */
  readonly cursor?: string;
}

export interface DecisionPage {
  readonly items: DecisionRecord[];
  /** Present when more (older) decisions match. */
  readonly nextCursor?: string;
}

export const MAX_DECISION_PAGE = 1000;

interface DecisionRow {
  id: number;
  at: number;
  grp: string;
  from_size: number;
  to_size: number;
  reasons_json: string;
  outcome: string;
  detail: string | null;
}

const toRecord = (r: DecisionRow): DecisionRecord => ({
  id: r.id,
  at: r.at,
  group: r.grp,
  from: r.from_size,
  to: r.to_size,
  reasons: JSON.parse(r.reasons_json) as Reason[],
  outcome: r.outcome,
  ...(r.detail === null ? {} : { detail: r.detail }),
});

export function encodeCursor(at: number, id: number): string {
  return Buffer.from(`${at}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: number; id: number } {
  const m = /^(-?\d{1,16}):(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new StoreError('invalid', 'cursor is not one this server issued', 'cursor');
  return { at: Number(m[1]), id: Number(m[2]) };
}

/**
 * One decision input per group of a plan; `outcome` says what actuation did with each (a string,
 * or with a detail such as the provider's error).
 */
export function decisionsFromPlan(
  plan: Plan,
  outcome: (
    d: GroupDecision,
  ) => DecisionOutcome | { readonly outcome: DecisionOutcome; readonly detail?: string },
): DecisionInput[] {
  return plan.decisions.map((d) => {
    const o = outcome(d);
    const { outcome: result, detail } = typeof o === 'string' ? { outcome: o, detail: undefined } : o;
    return {
      at: plan.at,
      group: d.group,
      from: d.current,
      to: d.target,
      reasons: d.reasons,
      outcome: result,
      ...(detail === undefined ? {} : { detail }),
    };
  });
}

export class DecisionsRepo {
  constructor(private readonly db: Db) {}

  record(entries: readonly DecisionInput[]): void {
    const insert = this.db.prepare(
      'INSERT INTO decisions (at, grp, from_size, to_size, reasons_json, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const e of entries) {
        insert.run(e.at, e.group, e.from, e.to, JSON.stringify(e.reasons), e.outcome, e.detail ?? null);
      }
    })();
  }

  query(q: DecisionQuery = {}): DecisionPage {
    const limit = q.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DECISION_PAGE) {
      throw new StoreError('invalid', `limit must be an integer between 1 and ${MAX_DECISION_PAGE}`, 'limit');
    }
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.group !== undefined) {
      where.push('grp = ?');
      args.push(q.group);
    }
    if (q.since !== undefined) {
      where.push('at >= ?');
      args.push(q.since);
    }
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor);
      where.push('(at < ? OR (at = ? AND id < ?))');
      args.push(c.at, c.at, c.id);
    }
    const sql = `SELECT * FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, limit + 1) as DecisionRow[];
    const items = rows.slice(0, limit).map(toRecord);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.at, last.id) } : { items };
  }

  /** Deletes decisions older than `before`; returns how many. */
  prune(before: number): number {
    return this.db.prepare('DELETE FROM decisions WHERE at < ?').run(before).changes;
  }
}
