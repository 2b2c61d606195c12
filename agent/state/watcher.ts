/**
 * A list+watch of one resource that keeps going, built on client-node's informer (ListWatch, what
 * `makeInformer` returns), and reporting into a SourceHealth.
 *
 * What client-node 2.0's ListWatch does itself (dist/cache.js):
 * - watch fails with HTTP 410, or sends an ERROR event with code 410: clears its resourceVersion,
 *   re-lists (firing delete for objects gone from the new list) and watches again;
 * - watch ends cleanly (server closed it): reconnects from its resourceVersion, waiting 1 s, 2 s,
 *   ... up to 30 s while reconnects see no events (no jitter);
 * - client-side inactivity timeout (30 s without bytes): reconnects at once.
 * What it does not do, and this class adds:
 * - any other error (connection refused or reset mid-stream, HTTP 5xx, a failed list): the
 *   informer fires `error` and STOPS for good. We restart it after exponential backoff with
 *   jitter (it resumes from its resourceVersion; a 410 then makes it re-list);
 * - jitter on its own reconnect delay (passed in as `delayFn`);
 * - bookmarks (`allowWatchBookmarks`), so a quiet resource keeps a fresh resourceVersion and
 *   the informer's reconnect backoff is reset by bookmark traffic;
 * - trimming objects before the informer caches them (see trim.ts);
 * - health: synced after the first list is applied, relists, connected/down, last event time.
 */
import './node20-compat.js';
import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesObject,
  type KubernetesListObject,
} from '@kubernetes/client-node';
import type { SourceHealth } from './source-health.js';
import { backoffDelay } from './backoff.js';
import { silentLogger, type Logger } from './logger.js';

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

export interface WatcherOptions {
  readonly logger?: Logger;
  /** Restart backoff after an error: base and cap (ms). Defaults 500 ms and 30 s. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1); injectable for tests. */
  readonly random?: () => number;
}

type WatchCallback = (phase: string, obj: unknown, raw?: unknown) => void;

/** Watch that trims objects, asks for bookmarks and reports connection state. */
class ReportingWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly hooks: {
      trim: (raw: unknown) => KubernetesObject | null;
      beforeWatch: () => void;
      stopped: () => boolean;
      onConnect: () => void;
      onEvent: () => void;
      onDone: (err: unknown) => void;
      onDropped: (raw: unknown) => void;
    },
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (this.hooks.stopped()) {
      // The informer's reconnect delay can outlive stop(): do not open a watch nobody will close.
      const aborted = new AbortController();
      aborted.abort();
      return aborted;
    }
    this.hooks.beforeWatch();
    let ended = false;
    const onObject: WatchCallback = (phase, obj, raw) => {
      this.hooks.onEvent();
      if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') {
        const trimmed = this.hooks.trim(obj);
        if (trimmed === null) return this.hooks.onDropped(obj);
        return callback(phase, trimmed, raw);
      }
      callback(phase, obj, raw); // ERROR (410 handling) and BOOKMARK (resourceVersion) as they are
    };
    const onDone = (err: unknown) => {
      ended = true;
      this.hooks.onDone(err);
      done(err);
    };
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      onObject,
      onDone,
    );
    if (!ended) this.hooks.onConnect();
    return controller;
  }
}

export class ResilientWatcher {
  private readonly informer: ListWatch<KubernetesObject>;
  private readonly logger: Logger;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private attempt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
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
    const watch = new ReportingWatch(kubeConfig, {
      trim: spec.trim,
      beforeWatch: () => this.beforeWatch(),
      stopped: () => this.stopped,
      onConnect: () => this.onWatchStarted(),
      onEvent: () => this.onEvent(),
      onDone: (err) => this.health.disconnected(err ?? undefined),
      onDropped: (raw) =>
        this.logger.warn(`${spec.name}: dropped an object without metadata.name`, { raw: String(raw) }),
    });
    const delayFn = (ms: number) =>
      new Promise<void>((resolve) => setTimeout(resolve, ms / 2 + (this.random() * ms) / 2).unref());
    this.informer = new ListWatch(spec.path, watch, () => this.list(), false, undefined, undefined, {
      delayFn,
    });
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
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, this.baseDelayMs, this.maxDelayMs, this.random);
    this.logger.warn(`${this.spec.name}: watch failed, restarting in ${Math.round(delay)} ms`, {
      resource: this.spec.name,
      attempt: this.attempt,
      error: err instanceof Error ? err.message : String(err),
    });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.stopped) return;
      this.health.restarted();
      this.informer.start().catch((e: unknown) => this.onError(e));
    }, delay);
    this.restartTimer.unref();
  }
}
