/**
 * A Kubernetes-API-compatible test server: plain HTTP, no auth, in-memory store. Good enough for
 * @kubernetes/client-node (lists, watches, informers, patches, scale) and for the real `kubectl`
 * (discovery, `get` tables, `get -w`, `scale`, `apply --dry-run=client`).
 *
 * ## Start
 *   const api = await startKubeApiServer();            // random port on 127.0.0.1
 *   const core = api.kubeConfig().makeApiClient(CoreV1Api);
 *   api.writeKubeconfig('/tmp/kc.yaml');               // for `kubectl --kubeconfig /tmp/kc.yaml`
 *   await api.close();
 * Options: port, host, historyLimit (events kept for watch resumption, default 10000),
 * sparkCrds / clusterApi (default true; false = that API group is not installed),
 * clock (creationTimestamp and AGE; default system clock), expiredWatchAs ('event' | 'http'),
 * bookmarkIntervalMs (BOOKMARK cadence when a watch allows them; default 5000).
 *
 * ## Resources
 * core/v1 namespaces, nodes (cluster-scoped), pods, events, services, serviceaccounts,
 * configmaps; apps/v1 deployments (+scale); rbac.authorization.k8s.io/v1 roles, rolebindings,
 * clusterroles, clusterrolebindings; coordination.k8s.io/v1 leases; events.k8s.io/v1 events;
 * cluster.x-k8s.io/v1beta1 machinedeployments (+scale), machinesets (+scale), machines;
 * sparkoperator.k8s.io/v1beta2 sparkapplications, scheduledsparkapplications;
 * networking.k8s.io/v1 networkpolicies; apiextensions.k8s.io/v1 customresourcedefinitions.
 * Creating or updating a CRD (HTTP or the create helper) serves its custom resource from then on:
 * discovery, CRUD, watch, /status and /scale as its subresources say, validation by its
 * openAPIV3Schema (422 Invalid with a cause per field) and its additionalPrinterColumns in
 * `kubectl get` (crds.ts). No pruning, defaulting or conversion; a deleted CRD stays served.
 * Namespaces default, kube-system and kube-public exist at start; creating an object in a missing
 * namespace creates the namespace (the real server answers 404: simpler fixtures win here).
 *
 * ## Semantics
 * - One global resourceVersion, +1 per write. Lists carry metadata.resourceVersion.
 * - Watch (`watch=true|1`): `resourceVersion=N` streams every event after N; none/"0" first sends
 *   ADDED for every current object. N older than the kept history: an ERROR event with a 410
 *   Expired Status, then the stream ends. Selector transitions become ADDED/DELETED, like the
 *   real server. `timeoutSeconds` ends the stream; `allowWatchBookmarks=true` adds BOOKMARKs.
 * - Selectors: labelSelector (=, ==, !=, exists, !key, in, notin), fieldSelector (=, ==, != on
 *   any dotted path: spec.nodeName, metadata.name, status.phase ...; missing reads as "").
 * - create: 201, 409 AlreadyExists, generateName, uid, creationTimestamp (RFC 3339),
 *   generation (types with status). Pods default status.phase Pending; deployments spec.replicas 1.
 * - update (PUT): 409 Conflict when metadata.resourceVersion is stale (compare-and-swap); none =
 *   unconditional. The main resource keeps the old status, /status keeps everything else.
 * - patch: merge-patch+json, json-patch+json (RFC 6902 with test), strategic-merge-patch+json
 *   (applied as a merge patch: lists replace, no directives), apply-patch+yaml (merge patch;
 *   creates when absent; no field ownership). A resourceVersion in a patch is a precondition.
 * - delete: 200 with the object (gone at once: no finalizers or grace periods), preconditions
 *   honoured; deletecollection with selectors. `dryRun=All` on every write.
 * - limit/continue: offsets into the current list (not a consistent snapshot).
 * - Errors are metav1.Status (kind Status, code, reason, message, details).
 * - Discovery: /version, /api, /api/v1, /apis, /apis/<g>, /apis/<g>/<v> (legacy documents; the
 *   aggregated-discovery Accept gets them as application/json, which kubectl falls back from).
 *   /openapi/v2 and /openapi/v3 are 404: use `kubectl apply --validate=false` with it.
 * - `as=Table` (kubectl get): NAME/READY/STATUS/RESTARTS/AGE for pods, NAME/STATUS/ROLES/AGE/
 *   VERSION for nodes, deployment and machinedeployment columns; NAME/AGE otherwise.
 *
 * ## Store helpers (synchronous, bypass HTTP, fire watch events)
 * create/update/patch/delete/get/list take a resource name as a person types it: "pods", "po",
 * "deployments.apps", "machinedeployments" ... `update` may change status too (it is the
 * test's "kubelet/controller" hand). Namespaced objects default to namespace "default".
 *
 * - MicroTime fields (Lease spec.acquireTime/renewTime, Event eventTime) must have exactly six
 *   fractional digits, as the real decoder demands: a plain JS Date is a 400 (see validate.ts).
 *
 * ## Faults and counters
 * installApiGroup('sparkoperator.k8s.io' | 'cluster.x-k8s.io') adds a group at run time (CRDs
 * installed after start); installResources(defs) adds any other types (metrics.k8s.io: see
 * metrics-api.ts). dropWatches('reset' | 'end'): 'reset' destroys sockets (client-node's
 * Watch reports an error; its ListWatch does not restart by itself), 'end' ends streams cleanly
 * (ListWatch re-watches from its RV). compact(): every older RV -> 410. failNext(method,
 * pathGlob, status, {times, message, watch}), setLatency(ms), requests({method, path, watch}),
 * requestCount(filter), resetCounters(), openWatchCount().
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { systemClock, type Clock } from '../../agent/clock.js';
import { discoveryDocument } from './discovery.js';
import { FaultInjector, type FaultOptions, type RequestFilter, type RequestRecord } from './faults.js';
import { handleVerb } from './handlers.js';
import { kubeConfigFor, writeKubeconfigFile } from './kubeconfig.js';
import {
  OPTIONAL_GROUPS,
  ResourceRegistry,
  resourceSet,
  type OptionalGroup,
  type ResourceDef,
} from './resources.js';
import { parseResourcePath } from './route.js';
import { crdResourceDefs } from './crds.js';
import type { KubeObject } from './selectors.js';
import { StoreHelpers } from './store-helpers.js';
import { ObjectStore } from './store.js';
import { ApiError, statusForCode } from './status.js';
import { startWatch, type OpenWatch } from './watch.js';

export type { KubeObject } from './selectors.js';
export type { FaultOptions, RequestFilter, RequestRecord } from './faults.js';

export interface KubeApiServerOptions {
  port?: number;
  host?: string;
  historyLimit?: number;
  sparkCrds?: boolean;
  clusterApi?: boolean;
  clock?: Clock;
  expiredWatchAs?: 'event' | 'http';
  bookmarkIntervalMs?: number;
}

export class KubeApiServer extends StoreHelpers {
  readonly url: string;

  constructor(
    private readonly http: Server,
    private readonly faults: FaultInjector,
    private readonly watches: Set<OpenWatch>,
    store: ObjectStore,
    registry: ResourceRegistry,
  ) {
    super(store, registry);
    const { address, port } = http.address() as AddressInfo;
    this.url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  kubeConfig(): KubeConfig {
    return kubeConfigFor(this.url);
  }

  writeKubeconfig(path: string): void {
    writeKubeconfigFile(this.url, path);
  }

  /** Cut every open watch: 'reset' destroys the sockets mid-stream, 'end' ends them cleanly. */
  dropWatches(mode: 'reset' | 'end' = 'reset'): number {
    const open = [...this.watches];
    this.watches.clear();
    for (const w of open) {
      if (mode === 'reset') w.reset();
      else w.end();
    }
    return open.length;
  }

  openWatchCount(): number {
    return this.watches.size;
  }

  /** Like StoreHelpers.create; a CustomResourceDefinition also starts serving its resource. */
  override create(resource: string, obj: object): KubeObject {
    const created = super.create(resource, obj);
    if (this.registry.resolve(resource).plural === 'customresourcedefinitions') {
      this.registry.add(crdResourceDefs(created));
    }
    return created;
  }

  /** Install an optional API group (as if its CRDs were applied): discovery and paths appear. */
  installApiGroup(group: OptionalGroup): void {
    this.registry.add(OPTIONAL_GROUPS[group]);
  }

  /** Serve more resource types from now on (aggregated APIs such as metrics-api.ts's metrics.k8s.io). */
  installResources(defs: readonly ResourceDef[]): void {
    this.registry.add(defs);
  }

  /** Forget the event history: a watch from any RV before now gets 410 Gone. */
  compact(): void {
    this.store.compact();
  }

  /** The next `opts.times` (default 1) requests matching method ('*' = any) and path glob fail with `status`. */
  failNext(method: string, path: string | RegExp, status: number, opts?: FaultOptions): void {
    this.faults.failNext(method, path, status, opts);
  }

  clearFaults(): void {
    this.faults.clearFaults();
  }

  /** Delay every request by `ms` before it is handled. */
  setLatency(ms: number): void {
    this.faults.latencyMs = ms;
  }

  requests(filter?: RequestFilter): RequestRecord[] {
    return this.faults.requests(filter);
  }

  requestCount(filter?: RequestFilter): number {
    return this.faults.requests(filter).length;
  }

  resetCounters(): void {
    this.faults.resetCounters();
  }

  async close(): Promise<void> {
    this.dropWatches('end');
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

interface Deps {
  store: ObjectStore;
  registry: ResourceRegistry;
  faults: FaultInjector;
  clock: Clock;
  opts: KubeApiServerOptions;
  /** Open watch streams, so dropWatches() can cut them. */
  watches: Set<OpenWatch>;
}

async function handle(deps: Deps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const query = url.searchParams;
  const isWatch = method === 'GET' && (query.get('watch') === 'true' || query.get('watch') === '1');
  const record = deps.faults.record({
    method,
    path: url.pathname,
    query: Object.fromEntries(query),
    watch: isWatch,
    status: 0,
  });
  const rawBody = await readBody(req);
  try {
    if (deps.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, deps.faults.latencyMs));
    const injected = deps.faults.take(method, url.pathname, isWatch);
    if (injected) throw injected;
    const discovery =
      method === 'GET' ? discoveryDocument(url.pathname, deps.registry, req.headers.host ?? '') : undefined;
    if (discovery) {
      record.status = 200;
      return sendJson(res, 200, discovery);
    }
    if (['/healthz', '/livez', '/readyz'].includes(url.pathname)) {
      record.status = 200;
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const route = parseResourcePath(url.pathname, deps.registry);
    if (!route) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const accept = req.headers.accept ?? 'application/json';
    if (isWatch) {
      const w = startWatch(deps.store, res, {
        route,
        query,
        accept,
        now: () => deps.clock.now(),
        expiredAs: deps.opts.expiredWatchAs ?? 'event',
        bookmarkIntervalMs: deps.opts.bookmarkIntervalMs ?? 5000,
      });
      record.status = 200;
      deps.watches.add(w);
      res.on('close', () => deps.watches.delete(w));
      return;
    }
    const contentType = req.headers['content-type'] ?? 'application/json';
    const out = handleVerb(deps.store, {
      method,
      route,
      query,
      accept,
      contentType,
      rawBody,
      now: deps.clock.now(),
    });
    record.status = out.status;
    // A CRD written: serve its custom resource from now on (dry runs install nothing).
    if (
      route.def.plural === 'customresourcedefinitions' &&
      out.status < 300 &&
      method !== 'DELETE' &&
      !query.has('dryRun')
    ) {
      deps.registry.add(crdResourceDefs(out.body as KubeObject));
    }
    sendJson(res, out.status, out.body);
  } catch (err) {
    const apiErr = err instanceof ApiError ? err : statusForCode(500, `internal error: ${String(err)}`);
    record.status = apiErr.code;
    if (!res.headersSent) sendJson(res, apiErr.code, apiErr.toStatus());
    else res.end();
  }
}

export async function startKubeApiServer(opts: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const clock = opts.clock ?? systemClock;
  const registry = new ResourceRegistry(resourceSet(opts));
  const store = new ObjectStore(clock, opts.historyLimit, registry.resolve('namespaces'));
  for (const name of ['default', 'kube-system', 'kube-public']) {
    store.create(registry.resolve('namespaces'), '', { metadata: { name } });
  }
  const faults = new FaultInjector();
  const watches = new Set<OpenWatch>();
  const deps: Deps = { store, registry, faults, clock, opts, watches };
  const http = createServer((req, res) => {
    handle(deps, req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, statusForCode(500, String(err)).toStatus());
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  return new KubeApiServer(http, faults, watches, store, registry);
}
