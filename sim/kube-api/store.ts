/**
 * The in-memory object store behind the test API server: one global, monotonically increasing
 * resourceVersion (like etcd's revision), a bounded event history for watches, and
 * compare-and-swap on metadata.resourceVersion. Everything here is synchronous, so reading the
 * history and subscribing to new events happen with nothing in between (no missed events).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../agent/clock.js';
import { apiVersionOf, resourceKey, type ResourceDef } from './resources.js';
import type { KubeObject, Matcher } from './selectors.js';
import {
  applyDefaults,
  checkResourceVersion,
  mergeForScope,
  qualified,
  randomSuffix,
  specChanged,
} from './object-rules.js';
import { alreadyExists, badRequest, expired, invalid, notFound } from './status.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  readonly rv: number;
  readonly key: string;
  readonly namespace: string;
  readonly type: EventType;
  readonly object: KubeObject;
  /** The object before the change (MODIFIED and DELETED), to turn selector transitions into ADDED/DELETED. */
  readonly previous?: KubeObject;
}

export interface WatchFilter {
  readonly def: ResourceDef;
  /** Undefined: every namespace. */
  readonly namespace?: string;
  readonly match: Matcher;
}

/** What a watcher receives: the event type as this watcher sees it (selectors applied). */
export type WatchSink = (type: EventType, object: KubeObject) => void;

/** Which parts of an object an update may change (as the main resource vs the status subresource). */
import type { UpdateScope } from './object-rules.js';
export type { UpdateScope };

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class ObjectStore {
  private rv = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoredEvent[] = [];
  /** Watches must start at or after this RV; older ones get 410 Gone. */
  private compactedThrough = 0;
  private readonly watchers = new Set<{ filter: WatchFilter; sink: WatchSink }>();

  constructor(
    private readonly clock: Clock,
    private readonly historyLimit = 10_000,
    /** When set, creating an object in a missing namespace creates the namespace first. */
    private readonly namespaceDef?: ResourceDef,
  ) {}

  resourceVersion(): number {
    return this.rv;
  }

  get(def: ResourceDef, namespace: string, name: string): KubeObject | undefined {
    const found = this.table(def).get(objectKey(def, namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  mustGet(def: ResourceDef, namespace: string, name: string): KubeObject {
    const found = this.get(def, namespace, name);
    if (!found) throw notFound(qualified(def), name, { group: def.group, kind: def.plural });
    return found;
  }

  list(def: ResourceDef, namespace: string | undefined, match: Matcher): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.table(def).values()) {
      if (namespace !== undefined && def.namespaced && obj.metadata?.namespace !== namespace) continue;
      if (match(obj)) out.push(structuredClone(obj));
    }
    return out.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }

  /** `dryRun`: validate and return what would be stored, change nothing (as `?dryRun=All`). */
  create(def: ResourceDef, namespace: string, input: KubeObject, dryRun = false): KubeObject {
    const meta = { ...(input.metadata ?? {}) };
    const name = meta.name || (meta.generateName ? meta.generateName + randomSuffix() : '');
    if (!name)
      throw invalid(qualified(def), '', 'metadata.name: Required value: name or generateName is required');
    const key = objectKey(def, namespace, name);
    if (this.table(def).has(key))
      throw alreadyExists(qualified(def), name, { group: def.group, kind: def.plural });
    if (!dryRun) this.ensureNamespace(def, namespace);
    const rv = dryRun ? this.rv : this.nextRv();
    const obj: KubeObject = {
      ...structuredClone(input),
      apiVersion: apiVersionOf(def),
      kind: def.kind,
      metadata: {
        ...structuredClone(meta),
        name,
        ...(def.namespaced ? { namespace } : {}),
        uid: randomUUID(),
        resourceVersion: String(rv),
        creationTimestamp: rfc3339(this.clock.now()),
        ...(def.subresources.includes('status') ? { generation: 1 } : {}),
      },
    };
    if (!def.namespaced) delete obj.metadata!.namespace;
    applyDefaults(def, obj);
    if (dryRun) return obj;
    this.table(def).set(key, obj);
    this.record(def, 'ADDED', obj);
    return structuredClone(obj);
  }

  /** Replace an object; a metadata.resourceVersion in the input must match (compare-and-swap). */
  update(
    def: ResourceDef,
    namespace: string,
    name: string,
    input: KubeObject,
    opts: { scope: UpdateScope; dryRun?: boolean },
  ): KubeObject {
    const current = this.mustGet(def, namespace, name);
    if (input.metadata?.name !== undefined && input.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    checkResourceVersion(def, name, current, input.metadata?.resourceVersion);
    const merged = mergeForScope(def, current, structuredClone(input), opts.scope);
    return this.write(def, namespace, name, current, merged, opts.dryRun ?? false);
  }

  delete(
    def: ResourceDef,
    namespace: string,
    name: string,
    opts: { preconditionRv?: string; dryRun?: boolean } = {},
  ) {
    const current = this.mustGet(def, namespace, name);
    checkResourceVersion(def, name, current, opts.preconditionRv);
    if (opts.dryRun) return current;
    this.table(def).delete(objectKey(def, namespace, name));
    const rv = this.nextRv();
    const gone = { ...current, metadata: { ...current.metadata, resourceVersion: String(rv) } };
    this.record(def, 'DELETED', gone, current);
    return structuredClone(gone);
  }

  /**
   * Events for `filter` after `sinceRv`, then every later one as it happens, all delivered to
   * `sink`. Throws 410 Expired when the history no longer reaches back to `sinceRv`.
   * Returns the unsubscribe function.
   */
  watch(filter: WatchFilter, sinceRv: number, sink: WatchSink): () => void {
    if (sinceRv < this.compactedThrough) {
      throw expired(`too old resource version: ${sinceRv} (${this.compactedThrough})`);
    }
    for (const ev of this.history) if (ev.rv > sinceRv) deliver(filter, sink, ev);
    const entry = { filter, sink };
    this.watchers.add(entry);
    return () => this.watchers.delete(entry);
  }

  /** Forget all history: a watch from any RV older than now gets 410 Gone. */
  compact(): void {
    this.history = [];
    this.compactedThrough = this.rv;
  }

  watcherCount(): number {
    return this.watchers.size;
  }

  private write(
    def: ResourceDef,
    namespace: string,
    name: string,
    current: KubeObject,
    next: KubeObject,
    dryRun: boolean,
  ) {
    if (specChanged(current, next) && typeof current.metadata?.generation === 'number') {
      next.metadata = { ...next.metadata, generation: current.metadata.generation + 1 };
    }
    if (dryRun) return next;
    const rv = this.nextRv();
    next.metadata = { ...next.metadata, resourceVersion: String(rv) };
    this.table(def).set(objectKey(def, namespace, name), next);
    this.record(def, 'MODIFIED', next, current);
    return structuredClone(next);
  }

  private ensureNamespace(def: ResourceDef, namespace: string): void {
    const nsDef = this.namespaceDef;
    if (!nsDef || !def.namespaced || this.table(nsDef).has(namespace)) return;
    this.create(nsDef, '', { metadata: { name: namespace } });
  }

  private nextRv(): number {
    this.rv += 1;
    return this.rv;
  }

  private record(def: ResourceDef, type: EventType, object: KubeObject, previous?: KubeObject): void {
    const ev: StoredEvent = {
      rv: this.rv,
      key: resourceKey(def),
      namespace: object.metadata?.namespace ?? '',
      type,
      object: structuredClone(object),
      previous,
    };
    this.history.push(ev);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift()!;
      this.compactedThrough = dropped.rv;
    }
    for (const w of [...this.watchers]) deliver(w.filter, w.sink, ev);
  }

  private table(def: ResourceDef): Map<string, KubeObject> {
    const key = resourceKey(def);
    let t = this.objects.get(key);
    if (!t) {
      t = new Map();
      this.objects.set(key, t);
    }
    return t;
  }
}

function deliver(filter: WatchFilter, sink: WatchSink, ev: StoredEvent): void {
  if (ev.key !== resourceKey(filter.def)) return;
  if (filter.namespace !== undefined && filter.def.namespaced && ev.namespace !== filter.namespace) return;
  const now = filter.match(ev.object);
  const before = ev.previous !== undefined && filter.match(ev.previous);
  const object = structuredClone(ev.object);
  if (ev.type === 'DELETED') {
    if (before) sink('DELETED', object);
  } else if (ev.type === 'ADDED') {
    if (now) sink('ADDED', object);
  } else if (now && before) sink('MODIFIED', object);
  else if (now) sink('ADDED', object);
  else if (before) sink('DELETED', object);
}

function objectKey(def: ResourceDef, namespace: string, name: string): string {
  return def.namespaced ? `${namespace}/${name}` : name;
}

function sortKey(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}
