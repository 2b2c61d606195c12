/**
 * client-node's Watch with what a long-running informer needs and client-node 1.4 lacks:
 * - trims objects before the informer caches them (trim.ts), dropping nameless ones;
 * - asks for bookmarks (`allowWatchBookmarks`) and a server-side `timeoutSeconds`, so quiet
 *   resources keep a fresh resourceVersion and every watch is renewed regularly;
 * - an idle watchdog: no bytes for `idleTimeoutMs` (a half-open connection) aborts the watch,
 *   which the informer reports as an error (1.4's own 30 s timeout is overwritten and inert);
 * - backoff with jitter before reopening a watch when the previous one ended cleanly at once
 *   without events (1.4's informer reconnects immediately: a server that keeps closing would
 *   otherwise be hammered in a tight loop);
 * - never opens a watch once the owner has stopped;
 * - reports connect / event / done to the owner, for health.
 */
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { backoffDelay } from './backoff.js';

export interface WatchHooks {
  readonly trim: (raw: unknown) => KubernetesObject | null;
  readonly stopped: () => boolean;
  /** Called as a watch is about to open (the informer has applied any list it just made). */
  readonly beforeWatch: () => void;
  readonly onConnect: () => void;
  readonly onEvent: () => void;
  readonly onDone: (err: unknown) => void;
  readonly onDropped: (raw: unknown) => void;
}

export interface ReportingWatchOptions {
  /** Server-side watch duration. Default 300 s. */
  readonly timeoutSeconds?: number;
  /** Abort a watch that has been silent this long. Default timeoutSeconds + 30 s. */
  readonly idleTimeoutMs?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
}

type WatchCallback = (phase: string, obj: unknown, raw?: unknown) => void;

const abortedController = (): AbortController => {
  const c = new AbortController();
  c.abort();
  return c;
};

export class ReportingWatch extends Watch {
  private quickEnds = 0;

  constructor(
    config: KubeConfig,
    private readonly hooks: WatchHooks,
    private readonly opts: ReportingWatchOptions = {},
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (this.hooks.stopped()) return abortedController();
    if (this.quickEnds > 0) {
      const ms = backoffDelay(
        this.quickEnds,
        this.opts.baseDelayMs ?? 500,
        this.opts.maxDelayMs ?? 30_000,
        this.opts.random,
      );
      await new Promise((resolve) => setTimeout(resolve, ms).unref());
      if (this.hooks.stopped()) return abortedController();
    }
    this.hooks.beforeWatch();
    const timeoutSeconds = this.opts.timeoutSeconds ?? 300;
    const idleMs = this.opts.idleTimeoutMs ?? timeoutSeconds * 1000 + 30_000;
    const startedAt = Date.now();
    let events = 0;
    let ended = false;
    const current: { controller?: AbortController } = {}; // known once the request is open
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => current.controller?.abort(), idleMs).unref();
    };
    const onObject: WatchCallback = (phase, obj, raw) => {
      events += 1;
      arm();
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
      clearTimeout(idle);
      const quick = !err && events === 0 && Date.now() - startedAt < 1000;
      this.quickEnds = quick ? this.quickEnds + 1 : 0;
      this.hooks.onDone(err);
      done(err);
    };
    const params = { ...queryParams, allowWatchBookmarks: true, timeoutSeconds };
    current.controller = await super.watch(path, params, onObject, onDone);
    if (!ended) {
      this.hooks.onConnect();
      arm();
    }
    return current.controller;
  }
}
