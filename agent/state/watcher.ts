/**
 * A list+watch of one resource that keeps going, built on client-node's informer (ListWatch, what
 * `makeInformer` returns) and reporting into a SourceHealth.
 *
 * What client-node 1.4's ListWatch does itself (dist/cache.js):
 * - the watch fails with HTTP 410, or sends an ERROR event with code 410: it clears its
 *   resourceVersion, re-lists (firing delete for objects gone from the new list), watches again;
 * - the watch ends cleanly (server closed it): it reconnects at once from its resourceVersion.
 * What it does not do, and this module adds:
 * - any other error (connection refused or reset mid-stream, HTTP 5xx, a failed list, a
 *   "too large resource version" from a server restored from backup): the informer fires `error`
 *   and STOPS for good. We restart it after exponential backoff with jitter (or at once when a
 *   probe finds the server back) with a full re-list, which drops objects the server no longer has;
 * - backoff on clean reconnects that end at once, bookmarks, server-side timeouts, an idle
 *   watchdog and trimming (see reporting-watch.ts);
 * - health: synced after the first list is applied, relists, restarts, connected/down, last event.
 */
import {
  ListWatch,
  type KubeConfig,
  type KubernetesObject,
  type KubernetesListObject,
} from '@kubernetes/client-node';
import { ReportingWatch, type ReportingWatchOptions } from './reporting-watch.js';
import type { SourceHealth } from './source-health.js';
import { backoffDelay } from './backoff.js';
import { silentLogger, type Logger } from '../logger.js';

export interface WatchSpec {
  /** Resource name for health and logs, e.g. "pods". */
  readonly name: string;
  /** Collection path, e.g. "/api/v1/pods". */
  readonly path: string;
  /** Full list (all pages); items may be raw JSON or client-node models. */
  readonly list: () => Promise<{ items: readonly unknown[]; resourceVersion?: string }>;
  /** Projection applied before caching; null drops the object (logged). */
  readonly trim: (raw: unknown) => KubernetesObject | null;
  readonly upsert: (obj: KubernetesObject) => void;
  readonly remove: (obj: KubernetesObject) => void;
}

export interface WatcherOptions extends ReportingWatchOptions {
  readonly logger?: Logger;
  /** Restart backoff after an error: base and cap (ms). Defaults 500 ms and 30 s. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1); injectable for tests. */
  readonly random?: () => number;
  /**
   * A cheap request that succeeds once the API server is back (GET /version). While a restart
   * waits out a backoff longer than probeIntervalMs, this runs every probeIntervalMs and the watch
   * restarts as soon as it succeeds: after an outage the agent is back within about a second,
   * not after the backoff's full delay.
   */
  readonly probe?: () => Promise<unknown>;
  /** Default 1000 ms. */
  readonly probeIntervalMs?: number;
}

export class ResilientWatcher {
  private readonly informer: ListWatch<KubernetesObject>;
  private readonly logger: Logger;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private attempt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private readonly probe: (() => Promise<unknown>) | undefined;
  private readonly probeIntervalMs: number;
  private stopped = true;
  private listedButNotWatching = false;

  constructor(
    kubeConfig: KubeConfig,
    private readonly spec: WatchSpec,
    private readonly health: SourceHealth,
    opts: WatcherOptions = {},
  ) {
    this.logger = opts.logger ?? silentLogger;
    this.baseDelayMs = opts.baseDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.random = opts.random ?? Math.random;
    this.probe = opts.probe;
    this.probeIntervalMs = opts.probeIntervalMs ?? 1000;
    const watch = new ReportingWatch(
      kubeConfig,
      {
        trim: spec.trim,
        beforeWatch: () => this.beforeWatch(),
        stopped: () => this.stopped,
        onConnect: () => this.onWatchStarted(),
        onEvent: () => this.onEvent(),
        onDone: (err) => this.health.disconnected(err ?? undefined),
        onDropped: (raw) =>
          this.logger.warn(`${spec.name}: dropped an object without metadata.name`, { raw: String(raw) }),
      },
      { ...opts, baseDelayMs: this.baseDelayMs, maxDelayMs: this.maxDelayMs, random: this.random },
    );
    this.informer = new ListWatch(spec.path, watch, () => this.list(), false);
    this.informer.on('add', (o) => this.apply('upsert', o));
    this.informer.on('update', (o) => this.apply('upsert', o));
    this.informer.on('delete', (o) => this.apply('remove', o));
    this.informer.on('error', (err) => this.onError(err));
  }

  /** Lists and starts watching; resolves once the first attempt is made (success or not). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.informer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.probeTimer);
    await this.informer.stop();
    this.health.disconnected();
  }

  private async list(): Promise<KubernetesListObject<KubernetesObject>> {
    const result = await this.spec.list();
    const items: KubernetesObject[] = [];
    for (const raw of result.items) {
      const trimmed = this.spec.trim(raw);
      if (trimmed) items.push(trimmed);
      else this.logger.warn(`${this.spec.name}: dropped a listed object without metadata.name`);
    }
    // The informer applies these items, then calls watch(): that is when the list counts as in.
    this.listedButNotWatching = true;
    return {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: result.resourceVersion ?? '' },
      items,
    };
  }

  /** The informer watches right after applying a list's items: only now is the list in. */
  private beforeWatch(): void {
    if (!this.listedButNotWatching) return;
    this.listedButNotWatching = false;
    this.attempt = 0;
    this.health.listed();
  }

  private onWatchStarted(): void {
    this.health.connected();
  }

  private onEvent(): void {
    this.attempt = 0;
    this.health.event();
  }

  private apply(op: 'upsert' | 'remove', obj: KubernetesObject): void {
    try {
      this.spec[op](obj);
    } catch (err) {
      this.logger.error(`${this.spec.name}: handler failed`, { error: String(err) });
    }
  }

  private onError(err: unknown): void {
    this.listedButNotWatching = false;
    this.health.disconnected(err ?? new Error('watch failed'));
    if (this.stopped) return;
    this.health.relistRequired();
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, this.baseDelayMs, this.maxDelayMs, this.random);
    this.logger.warn(`${this.spec.name}: watch failed, restarting in ${Math.round(delay)} ms`, {
      resource: this.spec.name,
      attempt: this.attempt,
      error: err instanceof Error ? err.message : String(err),
    });
    clearTimeout(this.restartTimer);
    clearTimeout(this.probeTimer);
    this.restartTimer = setTimeout(() => this.restart(), delay);
    this.restartTimer.unref();
    if (this.probe && delay > this.probeIntervalMs) this.scheduleProbe();
  }

  private restart(): void {
    clearTimeout(this.restartTimer);
    clearTimeout(this.probeTimer);
    if (this.stopped) return;
    this.health.restarted();
    // Re-list rather than resume: after an error the server may not be the one we watched (restored
    // from a backup with a lower resourceVersion: its watch answers "too large resource version"
    // for ever), and a list's delete pass drops every object it no longer has, before the next
    // decision can act on them. client-node's ListWatch lists when its resourceVersion is empty.
    (this.informer as unknown as { resourceVersion: string }).resourceVersion = '';
    this.informer.start().catch((e: unknown) => this.onError(e));
  }

  /** Probes until the server answers (then restarts at once) or the backoff's own restart fires. */
  private scheduleProbe(): void {
    this.probeTimer = setTimeout(() => {
      if (this.stopped) return;
      this.probe!().then(
        () => {
          if (this.stopped || this.restartTimer === undefined) return;
          this.logger.info(`${this.spec.name}: API server answers again, restarting the watch now`);
          this.restart();
        },
        () => this.scheduleProbe(),
      );
    }, this.probeIntervalMs);
    this.probeTimer.unref();
  }
}
