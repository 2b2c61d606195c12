/**
 * The watched resources of a cluster state and what their health adds up to: synced once every
 * required source has listed; stale while any required source is unsynced or has been down
 * longer than `staleAfterMs` (with a human reason).
 */
import type { Clock } from '../clock.js';
import { SourceHealth, type SourceStatus } from './source-health.js';

export interface SourcesSummary {
  readonly synced: boolean;
  readonly stale: boolean;
  /** Why the state is stale, e.g. "pods watch down 42 s: connection reset"; undefined when fresh. */
  readonly reason?: string;
  readonly lastEventAgeSeconds: Readonly<Record<string, number | null>>;
  readonly relists: Readonly<Record<string, number>>;
  readonly sources: Readonly<Record<string, SourceStatus>>;
}

export class SourceRegistry {
  private readonly byName = new Map<string, SourceHealth>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    private readonly staleAfterMs: number,
  ) {}

  /** The health record a watcher reports into (created on first use). */
  source(name: string, opts: { required?: boolean } = {}): SourceHealth {
    let s = this.byName.get(name);
    if (!s) {
      s = new SourceHealth(name, opts.required ?? true, this.clock, () => this.notify());
      this.byName.set(name, s);
    }
    return s;
  }

  synced(): boolean {
    const required = [...this.byName.values()].filter((s) => s.required);
    return required.length > 0 && required.every((s) => s.synced);
  }

  /** Resolves true once synced, false when `timeoutMs` passes first. */
  waitForSync(timeoutMs: number): Promise<boolean> {
    if (this.synced()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(ok);
      };
      const check = () => this.synced() && done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(check);
    });
  }

  summary(): SourcesSummary {
    const sources: Record<string, SourceStatus> = {};
    const ages: Record<string, number | null> = {};
    const relists: Record<string, number> = {};
    const why: string[] = [];
    if (this.byName.size === 0) why.push('no watches registered');
    for (const s of this.byName.values()) {
      const st = s.status();
      sources[s.name] = st;
      ages[s.name] = st.lastEventAgeSeconds;
      relists[s.name] = st.relists;
      if (!s.required || !s.stale(this.staleAfterMs)) continue;
      if (!st.synced) why.push(`${s.name} not listed yet`);
      else if (s.awaitingRelist)
        why.push(`${s.name} re-listing after a watch error${st.lastError ? `: ${st.lastError}` : ''}`);
      else
        why.push(
          `${s.name} watch down ${st.disconnectedSeconds?.toFixed(0)} s${st.lastError ? `: ${st.lastError}` : ''}`,
        );
    }
    const stale = why.length > 0;
    return {
      synced: this.synced(),
      stale,
      reason: stale ? why.join('; ') : undefined,
      lastEventAgeSeconds: ages,
      relists,
      sources,
    };
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}
