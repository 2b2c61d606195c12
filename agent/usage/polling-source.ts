/**
 * The agent-side usage source both backends share: on an interval, `collect()` gathers samples,
 * which are attributed with the current cluster snapshot (aggregate.ts) and kept until the next
 * poll. groups()/queues() are cheap reads of that result. A failed poll is logged and counted and
 * never thrown; results older than `maxAgeMs` are withheld (empty maps) rather than exported as
 * if current.
 */
import { systemClock, type Clock } from '../clock.js';
import type { Timers } from '../timers.js';
import { silentLogger, type Logger } from '../logger.js';
import { aggregateUsage, type KnownNames, type UsageTotals } from './aggregate.js';
import { Poller } from './poller.js';
import type { SnapshotProvider, Usage, UsageSamples, UsageSource, UsageSourceStatus } from './types.js';

/** What one poll of a backend returns: the samples, plus items it had to skip and why. */
export interface CollectedSamples {
  readonly samples: UsageSamples;
  readonly skipped: readonly string[];
}

export interface PollingSourceOptions {
  readonly snapshot: SnapshotProvider;
  /** Config group and queue names, reported as 0 when nothing can be using them. */
  readonly known?: KnownNames;
  /** Default 30 s. */
  readonly intervalMs?: number;
  /** Default 3 intervals. */
  readonly maxAgeMs?: number;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly logger?: Logger;
}

const EMPTY: ReadonlyMap<string, Usage> = new Map();
export const DEFAULT_USAGE_INTERVAL_MS = 30_000;
/** Skipped items named in one log line. */
const LOGGED_SKIPS = 5;

export class PollingUsageSource implements UsageSource {
  private totals: UsageTotals | undefined;
  private takenAt: number | null = null;
  private counts = { polls: 0, errors: 0, skippedItems: 0 };
  private lastError: string | null = null;
  private readonly poller: Poller;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly intervalMs: number;

  constructor(
    readonly kind: UsageSourceStatus['kind'],
    private readonly collect: () => Promise<CollectedSamples>,
    private readonly opts: PollingSourceOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.intervalMs = opts.intervalMs ?? DEFAULT_USAGE_INTERVAL_MS;
    this.poller = new Poller(
      () => this.pollOnce(),
      this.intervalMs,
      () => {},
      opts.timers,
    );
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** One poll. Never throws. */
  async pollOnce(): Promise<void> {
    this.counts.polls++;
    try {
      const { samples, skipped } = await this.collect();
      this.noteSkipped(skipped);
      const snapshot = this.opts.snapshot();
      if (!snapshot) {
        this.lastError = 'no cluster snapshot yet (observer not synced)';
        return;
      }
      this.totals = aggregateUsage(samples, snapshot, this.opts.known);
      this.takenAt = this.clock.now();
      this.lastError = null;
    } catch (err) {
      this.counts.errors++;
      this.lastError = err instanceof Error ? err.message : String(err);
      this.logger.warn(`${this.kind} usage poll failed`, { error: this.lastError });
    }
  }

  groups(): ReadonlyMap<string, Usage> {
    return this.fresh()?.groups ?? EMPTY;
  }

  queues(): ReadonlyMap<string, Usage> {
    return this.fresh()?.queues ?? EMPTY;
  }

  status(): UsageSourceStatus {
    return {
      kind: this.kind,
      lastSuccessAt: this.takenAt,
      ...this.counts,
      lastError: this.lastError,
      unknownPods: this.totals?.unknownPods ?? 0,
      unknownNodes: this.totals?.unknownNodes ?? 0,
      unsampledNodes: this.totals?.unsampledNodes ?? 0,
    };
  }

  private fresh(): UsageTotals | undefined {
    const maxAge = this.opts.maxAgeMs ?? 3 * this.intervalMs;
    if (this.takenAt === null || this.clock.now() - this.takenAt > maxAge) return undefined;
    return this.totals;
  }

  private noteSkipped(skipped: readonly string[]): void {
    if (skipped.length === 0) return;
    this.counts.skippedItems += skipped.length;
    this.logger.warn(`${this.kind}: skipped ${skipped.length} malformed or unreachable item(s)`, {
      first: skipped.slice(0, LOGGED_SKIPS),
    });
  }
}
