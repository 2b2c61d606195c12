/**
 * Overrides persisted in SQLite. Every change runs in one IMMEDIATE transaction together with its
 * conflict check and its audit entry, so an acknowledged change is complete or absent, never
 * half-written. Deleting is soft: the row stays, with deletedAt, for history.
 */
import { randomUUID } from 'node:crypto';
import type { ActiveOverride } from '../decide/plan.js';
import type { AuditRepo } from './audit-repo.js';
import type { Db } from './database.js';
import type { Override, OverrideInput, OverrideKind, OverridePatch, OverrideSpec } from './override-model.js';
import { applyPatch, specFromInput } from './override-model.js';
import { activeAt, checkWrite, filterOverrides, type OverrideFilter } from './override-rules.js';
import { StoreError } from './store-errors.js';

export { MAX_OVERRIDES_PER_GROUP, type OverrideFilter, type OverrideStatusFilter } from './override-rules.js';

interface OverrideRow {
  id: string;
  grp: string;
  kind: OverrideKind;
  value: number | null;
  start_ms: number | null;
  end_ms: number | null;
  cron: string | null;
  duration_s: number | null;
  reason: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function toOverride(r: OverrideRow): Override {
  return {
    id: r.id,
    group: r.grp,
    kind: r.kind,
    ...(r.value === null ? {} : { value: r.value }),
    ...(r.start_ms === null ? {} : { start: iso(r.start_ms) }),
    ...(r.end_ms === null ? {} : { end: iso(r.end_ms) }),
    ...(r.cron === null ? {} : { cron: r.cron }),
    ...(r.duration_s === null ? {} : { durationSeconds: r.duration_s }),
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    ...(r.deleted_at === null ? {} : { deletedAt: iso(r.deleted_at) }),
  };
}

export class OverridesRepo {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepo,
    private readonly now: () => number,
    private readonly newId: () => string = randomUUID,
  ) {}

  create(input: OverrideInput, actor: string): Override {
    const spec = specFromInput(input);
    const now = this.now();
    if (spec.endMs !== undefined && spec.endMs <= now) {
      throw new StoreError('invalid', 'end is in the past: the override would never apply', 'end');
    }
    return this.db
      .transaction(() => {
        this.checkConflicts(spec, now);
        const id = this.newId();
        this.db
          .prepare(
            `INSERT INTO overrides (id, grp, kind, value, start_ms, end_ms, cron, duration_s, reason, created_by,
               created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, ...this.specColumns(spec), input.reason, actor, now, now);
        const created = this.mustGet(id);
        this.audit.record({ at: now, actor, action: 'override.create', target: id, after: created });
        return created;
      })
      .immediate();
  }

  update(id: string, patch: OverridePatch, actor: string): Override {
    const now = this.now();
    return this.db
      .transaction(() => {
        const before = this.live(id);
        const merged = applyPatch(before, patch);
        const spec = specFromInput(merged);
        this.checkConflicts(spec, now, id);
        this.db
          .prepare(
            `UPDATE overrides SET grp = ?, kind = ?, value = ?, start_ms = ?, end_ms = ?, cron = ?, duration_s = ?,
               reason = ?, updated_at = ? WHERE id = ?`,
          )
          .run(...this.specColumns(spec), merged.reason, now, id);
        const after = this.mustGet(id);
        this.audit.record({ at: now, actor, action: 'override.update', target: id, before, after });
        return after;
      })
      .immediate();
  }

  remove(id: string, actor: string): Override {
    const now = this.now();
    return this.db
      .transaction(() => {
        const before = this.live(id);
        this.db.prepare('UPDATE overrides SET deleted_at = ?, updated_at = ? WHERE id = ?').run(now, now, id);
        const after = this.mustGet(id);
        this.audit.record({ at: now, actor, action: 'override.delete', target: id, before, after });
        return after;
      })
      .immediate();
  }

  get(id: string): Override | undefined {
    const row = this.db.prepare('SELECT * FROM overrides WHERE id = ?').get(id) as OverrideRow | undefined;
    return row && toOverride(row);
  }

  /** Newest first. */
  list(filter: OverrideFilter = {}): Override[] {
    const rows = (
      filter.group === undefined
        ? this.db.prepare('SELECT * FROM overrides ORDER BY created_at DESC, id').all()
        : this.db
            .prepare('SELECT * FROM overrides WHERE grp = ? ORDER BY created_at DESC, id')
            .all(filter.group)
    ) as OverrideRow[];
    return filterOverrides(rows.map(toOverride), filter, this.now());
  }

  /** The overrides that take effect at `now`, resolved per group (see override-resolve.ts). */
  active(now: number = this.now()): ActiveOverride[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM overrides WHERE deleted_at IS NULL AND (end_ms IS NULL OR end_ms > ?)
           AND (start_ms IS NULL OR start_ms <= ?)`,
      )
      .all(now, now) as OverrideRow[];
    return activeAt(rows.map(toOverride), now);
  }

  private specColumns(s: OverrideSpec): (string | number | null)[] {
    return [
      s.group,
      s.kind,
      s.value ?? null,
      s.startMs ?? null,
      s.endMs ?? null,
      s.cron ?? null,
      s.durationSeconds ?? null,
    ];
  }

  private mustGet(id: string): Override {
    const o = this.get(id);
    if (!o) throw new StoreError('not-found', `override ${id} not found`, 'id');
    return o;
  }

  /** The override, refusing a deleted one (it stays in history but cannot change). */
  private live(id: string): Override {
    const o = this.mustGet(id);
    if (o.deletedAt !== undefined)
      throw new StoreError('conflict', `override ${id} was deleted at ${o.deletedAt}`, 'id');
    return o;
  }

  private checkConflicts(spec: OverrideSpec, now: number, exceptId?: string): void {
    const rows = this.db
      .prepare(
        'SELECT * FROM overrides WHERE grp = ? AND deleted_at IS NULL AND (end_ms IS NULL OR end_ms > ?)',
      )
      .all(spec.group, now) as OverrideRow[];
    checkWrite(spec, rows.map(toOverride), now, exceptId);
  }
}
