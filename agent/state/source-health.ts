/**
 * Health of one watched resource (pods, nodes, ...), fed by its watcher: when the initial list is
 * in, when the watch connects or drops, when events arrive, how often it had to re-list. The
 * cluster state aggregates these into synced / stale.
 */
import type { Clock } from '../clock.js';

export interface SourceStatus {
  readonly synced: boolean;
  readonly connected: boolean;
  readonly required: boolean;
  /** Seconds since the last event, list or bookmark; null before the first. */
  readonly lastEventAgeSeconds: number | null;
  /** Full lists after the initial one (410 Gone, restarts without a resourceVersion). */
  readonly relists: number;
  /** Watch restarts after errors. */
  readonly restarts: number;
  readonly errors: number;
  readonly lastError: string | null;
  /** Seconds the watch has been down; null when connected. */
  readonly disconnectedSeconds: number | null;
}

export class SourceHealth {
  private lists = 0;
  private restartCount = 0;
  private errorCount = 0;
  private lastEventAt: number | null = null;
  private downSince: number | null;
  private lastErr: string | null = null;
  private isConnected = false;
  private relistPending = false;

  constructor(
    readonly name: string,
    readonly required: boolean,
    private readonly clock: Clock,
    private readonly onChange: () => void = () => {},
  ) {
    this.downSince = clock.now();
  }

  get synced(): boolean {
    return this.lists > 0;
  }

  /** A full list has been applied to the state. */
  listed(): void {
    this.lists += 1;
    this.relistPending = false;
    this.lastEventAt = this.clock.now();
    this.onChange();
  }

  event(): void {
    this.lastEventAt = this.clock.now();
  }

  connected(): void {
    this.isConnected = true;
    this.downSince = null;
    this.onChange();
  }

  disconnected(error?: unknown): void {
    if (this.isConnected || this.downSince === null) this.downSince = this.clock.now();
    this.isConnected = false;
    if (error) {
      this.errorCount += 1;
      this.lastErr = error instanceof Error ? error.message : String(error);
    }
    this.onChange();
  }

  restarted(): void {
    this.restartCount += 1;
  }

  /**
   * The watch failed and will re-list: until that list is in, what we hold may include objects
   * the server no longer has (a restore from backup), so nothing may be decided on it.
   */
  relistRequired(): void {
    this.relistPending = true;
    this.onChange();
  }

  get awaitingRelist(): boolean {
    return this.relistPending;
  }

  /** Down longer than `staleAfterMs`, never listed, or waiting for a re-list after an error. */
  stale(staleAfterMs: number): boolean {
    if (!this.synced || this.relistPending) return true;
    return this.downSince !== null && this.clock.now() - this.downSince > staleAfterMs;
  }

  status(): SourceStatus {
    const now = this.clock.now();
    return {
      synced: this.synced,
      connected: this.isConnected,
      required: this.required,
      lastEventAgeSeconds: this.lastEventAt === null ? null : (now - this.lastEventAt) / 1000,
      relists: Math.max(0, this.lists - 1),
      restarts: this.restartCount,
      errors: this.errorCount,
      lastError: this.lastErr,
      disconnectedSeconds: this.downSince === null ? null : (now - this.downSince) / 1000,
    };
  }
}
