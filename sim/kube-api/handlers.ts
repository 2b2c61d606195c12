/**
 * Verb handlers for resource paths (everything but watch): list, get, create, update, patch,
 * delete, deletecollection, and the status and scale subresources.
 */
import { parse as parseYaml } from 'yaml';
import { applyJsonPatch, applyMergePatch } from './patch.js';
import type { ResourceRoute } from './route.js';
import { apiVersionOf, type ResourceDef } from './resources.js';
import { readScale, writeScale } from './scale.js';
import { parseFieldSelector, parseLabelSelector, type KubeObject } from './selectors.js';
import type { ObjectStore, UpdateScope } from './store.js';
import { ApiError, badRequest, methodNotAllowed, notFound, unsupportedMediaType } from './status.js';
import { toTable, type IncludeObject } from './table.js';
import { validateObject } from './validate.js';

export interface VerbRequest {
  readonly method: string;
  readonly route: ResourceRoute;
  readonly query: URLSearchParams;
  readonly accept: string;
  readonly contentType: string;
  readonly rawBody: string;
  readonly now: number;
}

export interface VerbResponse {
  readonly status: number;
  readonly body: unknown;
}

export const wantsTable = (accept: string): boolean => /as=Table/.test(accept);

export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function parseBody(req: VerbRequest): unknown {
  if (req.rawBody.trim() === '') throw badRequest('the request body is empty');
  try {
    return /yaml/.test(req.contentType) ? parseYaml(req.rawBody) : JSON.parse(req.rawBody);
  } catch (err) {
    throw badRequest(
      `the request body is not valid ${/yaml/.test(req.contentType) ? 'YAML' : 'JSON'}: ${err}`,
    );
  }
}

function parseObject(req: VerbRequest): KubeObject {
  const body = parseBody(req);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the request body must be a JSON object');
  }
  return body as KubeObject;
}

const isDryRun = (q: URLSearchParams): boolean => q.getAll('dryRun').includes('All');

/** The namespace a request targets; cluster-scoped types use ''. */
function namespaceOf(route: ResourceRoute): string {
  return route.def.namespaced ? (route.namespace ?? '') : '';
}

function requireName(route: ResourceRoute): string {
  if (!route.name) throw methodNotAllowed('collection');
  if (route.def.namespaced && route.namespace === undefined) {
    throw notFound(route.def.plural, route.name);
  }
  return route.name;
}

function list(store: ObjectStore, req: VerbRequest): VerbResponse {
  const { def } = req.route;
  const label = parseLabelSelector(req.query.get('labelSelector'));
  const fieldSel = parseFieldSelector(req.query.get('fieldSelector'));
  const all = store.list(def, req.route.namespace, (o) => label(o) && fieldSel(o));
  const { items, continueToken } = paginate(all, req.query);
  const resourceVersion = String(store.resourceVersion());
  if (wantsTable(req.accept)) {
    const table = toTable(def, items, {
      now: req.now,
      resourceVersion,
      includeObject: includeObjectParam(req.query),
    });
    if (continueToken) (table.metadata as Record<string, string>).continue = continueToken;
    return { status: 200, body: table };
  }
  return {
    status: 200,
    body: {
      kind: `${def.kind}List`,
      apiVersion: apiVersionOf(def),
      metadata: { resourceVersion, ...(continueToken ? { continue: continueToken } : {}) },
      items,
    },
  };
}

/** `limit`/`continue` by offset into the current, sorted list (not a consistent snapshot). */
function paginate(
  all: KubeObject[],
  query: URLSearchParams,
): { items: KubeObject[]; continueToken?: string } {
  const limit = Number(query.get('limit') ?? 0);
  const token = query.get('continue');
  let offset = 0;
  if (token) {
    offset = Number(JSON.parse(Buffer.from(token, 'base64').toString('utf8')).offset);
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('invalid continue token');
  }
  if (!(limit > 0)) return { items: all.slice(offset) };
  const items = all.slice(offset, offset + limit);
  const next = offset + limit;
  return next < all.length
    ? { items, continueToken: Buffer.from(JSON.stringify({ offset: next })).toString('base64') }
    : { items };
}

function get(store: ObjectStore, req: VerbRequest, name: string): VerbResponse {
  const { def, subresource } = req.route;
  const obj = store.mustGet(def, namespaceOf(req.route), name);
  if (subresource === 'scale') return { status: 200, body: readScale(def, obj) };
  if (wantsTable(req.accept)) {
    return {
      status: 200,
      body: toTable(def, [obj], { now: req.now, includeObject: includeObjectParam(req.query) }),
    };
  }
  return { status: 200, body: obj };
}

function create(store: ObjectStore, req: VerbRequest): VerbResponse {
  const { def } = req.route;
  if (def.namespaced && req.route.namespace === undefined)
    throw methodNotAllowed('POST on an all-namespaces path');
  const obj = parseObject(req);
  const ns = namespaceOf(req.route);
  if (def.namespaced && obj.metadata?.namespace && obj.metadata.namespace !== ns) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  validateObject(def, obj);
  return { status: 201, body: store.create(def, ns, obj, isDryRun(req.query)) };
}

function scopeOf(route: ResourceRoute): UpdateScope {
  if (route.subresource === undefined) return 'main';
  if (route.subresource === 'status' && route.def.subresources.includes('status')) return 'status';
  throw notFound(`${route.def.plural}/${route.subresource}`, route.name ?? '');
}

function update(store: ObjectStore, req: VerbRequest, name: string): VerbResponse {
  const { def } = req.route;
  const ns = namespaceOf(req.route);
  const input = parseObject(req);
  const dryRun = isDryRun(req.query);
  if (req.route.subresource === 'scale')
    return { status: 200, body: writeScale(store, def, ns, name, input, dryRun) };
  validateObject(def, input);
  return { status: 200, body: store.update(def, ns, name, input, { scope: scopeOf(req.route), dryRun }) };
}

/** Apply a PATCH body of the given content type to `current`. */
export function applyPatch(current: unknown, body: unknown, contentType: string): unknown {
  const type = contentType.split(';')[0].trim();
  switch (type) {
    case 'application/json-patch+json':
      return applyJsonPatch(current, body);
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
    case 'application/apply-patch+yaml':
      return applyMergePatch(current, body);
    default:
      throw unsupportedMediaType(type);
  }
}

function patch(store: ObjectStore, req: VerbRequest, name: string): VerbResponse {
  const { def, subresource } = req.route;
  const ns = namespaceOf(req.route);
  const body = parseBody(req);
  const dryRun = isDryRun(req.query);
  const current = store.get(def, ns, name);
  if (!current && req.contentType.startsWith('application/apply-patch') && subresource === undefined) {
    const obj = applyPatch({}, body, req.contentType) as KubeObject;
    validateObject(def, obj);
    return { status: 201, body: store.create(def, ns, obj, dryRun) };
  }
  if (!current) throw notFound(def.group ? `${def.plural}.${def.group}` : def.plural, name);
  if (subresource === 'scale') {
    const patched = applyPatch(readScale(def, current), body, req.contentType) as KubeObject;
    return { status: 200, body: writeScale(store, def, ns, name, patched, dryRun) };
  }
  const patched = applyPatch(current, body, req.contentType) as KubeObject;
  validateObject(def, patched);
  return { status: 200, body: store.update(def, ns, name, patched, { scope: scopeOf(req.route), dryRun }) };
}

function deleteOne(store: ObjectStore, req: VerbRequest, name: string): VerbResponse {
  const options = req.rawBody.trim()
    ? (parseObject(req) as { preconditions?: { resourceVersion?: string } })
    : {};
  const deleted = store.delete(req.route.def, namespaceOf(req.route), name, {
    preconditionRv: options.preconditions?.resourceVersion,
    dryRun: isDryRun(req.query),
  });
  return { status: 200, body: deleted };
}

function deleteCollection(store: ObjectStore, req: VerbRequest): VerbResponse {
  const listed = list(store, { ...req, accept: 'application/json' }).body as { items: KubeObject[] };
  const def: ResourceDef = req.route.def;
  const items = listed.items.map((o) =>
    store.delete(def, o.metadata?.namespace ?? '', o.metadata?.name ?? '', { dryRun: isDryRun(req.query) }),
  );
  return {
    status: 200,
    body: { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: {}, items },
  };
}

/** Dispatch a non-watch request on a resource path. */
export function handleVerb(store: ObjectStore, req: VerbRequest): VerbResponse {
  const { route, method } = req;
  if (route.subresource && !route.def.subresources.includes(route.subresource as 'status' | 'scale')) {
    throw new ApiError(404, 'NotFound', `the server could not find the requested resource`);
  }
  if (!route.name) {
    if (method === 'GET') return list(store, req);
    if (method === 'POST') return create(store, req);
    if (method === 'DELETE') return deleteCollection(store, req);
    throw methodNotAllowed(method);
  }
  const name = requireName(route);
  switch (method) {
    case 'GET':
      return get(store, req, name);
    case 'PUT':
      return update(store, req, name);
    case 'PATCH':
      return patch(store, req, name);
    case 'DELETE':
      if (route.subresource) throw methodNotAllowed(method);
      return deleteOne(store, req, name);
    default:
      throw methodNotAllowed(method);
  }
}
