/**
 * Watch streams: newline-delimited JSON `{type, object}` over a chunked 200 response, as the real
 * API server sends them. A resourceVersion older than the retained history gets an ERROR event
 * carrying a 410 Expired Status and the stream ends (what client-go and client-node expect);
 * `expiredAs: 'http'` answers a plain HTTP 410 instead. A resourceVersion newer than the server's
 * (a server restored from an older backup) is a 504 "Too large resource version", as on the real one.
 */
import type { ServerResponse } from 'node:http';
import { includeObjectParam, wantsTable } from './handlers.js';
import type { ResourceRoute } from './route.js';
import { parseFieldSelector, parseLabelSelector, type KubeObject } from './selectors.js';
import type { EventType, ObjectStore } from './store.js';
import { ApiError, badRequest } from './status.js';
import { toTable } from './table.js';

export interface WatchOptions {
  readonly route: ResourceRoute;
  readonly query: URLSearchParams;
  readonly accept: string;
  readonly now: () => number;
  readonly expiredAs: 'event' | 'http';
  readonly bookmarkIntervalMs: number;
}

/** An open watch; the server keeps these to cut them on demand. */
export interface OpenWatch {
  /** End the stream cleanly (the client sees a normal end and re-watches). */
  end(): void;
  /** Destroy the connection mid-stream (the client sees a network error). */
  reset(): void;
}

function parseRv(raw: string | null): number | undefined {
  if (raw === null || raw === '' || raw === '0') return undefined;
  const rv = Number(raw);
  if (!Number.isInteger(rv) || rv < 0) throw badRequest(`invalid resourceVersion "${raw}"`);
  return rv;
}

/** Start streaming; throws ApiError (before any byte is written) for bad requests. */
export function startWatch(store: ObjectStore, res: ServerResponse, opts: WatchOptions): OpenWatch {
  const { route, query } = opts;
  const label = parseLabelSelector(query.get('labelSelector'));
  const fieldSel = parseFieldSelector(query.get('fieldSelector'));
  const match = (o: KubeObject) => label(o) && fieldSel(o);
  const sinceRv = parseRv(query.get('resourceVersion'));
  const asTable = wantsTable(opts.accept);
  const includeObject = includeObjectParam(query);

  const encode = (type: EventType | 'ERROR' | 'BOOKMARK', object: KubeObject): string => {
    const body =
      asTable && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
        ? toTable(route.def, [object], { now: opts.now(), includeObject })
        : object;
    return JSON.stringify({ type, object: body }) + '\n';
  };

  const buffered: string[] = [];
  let started = false;
  const send = (type: EventType, object: KubeObject) => {
    const line = encode(type, object);
    if (started) res.write(line);
    else buffered.push(line);
  };

  const filter = { def: route.def, namespace: route.namespace, match };
  let unsubscribe: () => void;
  try {
    if (sinceRv === undefined) {
      // No RV (or "0"): synthetic ADDED for what exists now, then changes from here on.
      for (const obj of store.list(route.def, route.namespace, match)) send('ADDED', obj);
      unsubscribe = store.watch(filter, store.resourceVersion(), send);
    } else {
      const current = store.resourceVersion();
      // A restored or replaced server is behind the client (the real server answers this way).
      if (sinceRv > current) {
        throw new ApiError(504, 'Timeout', `Too large resource version: ${sinceRv}, current: ${current}`);
      }
      unsubscribe = store.watch(filter, sinceRv, send);
    }
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 410 || opts.expiredAs === 'http') throw err;
    res.writeHead(200, streamHeaders());
    res.end(encode('ERROR', err.toStatus() as unknown as KubeObject));
    return { end: () => undefined, reset: () => undefined };
  }

  res.writeHead(200, streamHeaders());
  res.flushHeaders();
  started = true;
  for (const line of buffered) res.write(line);

  let timeout: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  const finish = () => {
    clearTimeout(timeout);
    clearTimeout(bookmarkTimer);
    unsubscribe();
  };
  if (timeoutSeconds > 0) timeout = setTimeout(() => res.end(), timeoutSeconds * 1000);
  if (query.get('allowWatchBookmarks') === 'true' && opts.bookmarkIntervalMs > 0) {
    const bookmark = () => {
      const object = {
        kind: route.def.kind,
        apiVersion: route.def.group ? `${route.def.group}/${route.def.version}` : route.def.version,
        metadata: { resourceVersion: String(store.resourceVersion()) },
      };
      res.write(encode('BOOKMARK', object));
      bookmarkTimer = setTimeout(bookmark, opts.bookmarkIntervalMs);
    };
    bookmarkTimer = setTimeout(bookmark, opts.bookmarkIntervalMs);
  }
  res.on('close', finish);
  return {
    end: () => {
      finish();
      res.end();
    },
    reset: () => {
      finish();
      res.destroy();
      res.socket?.destroy();
    },
  };
}

function streamHeaders(): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  };
}
