/**
 * Patch formats the API server accepts. JSON merge patch (RFC 7386) and JSON patch (RFC 6902,
 * including `test`) are exact. Strategic merge patch is applied as a JSON merge patch: lists are
 * replaced whole instead of merged by key (no patch directives), which is enough for the
 * metadata/spec/status patches tests and kubectl send. No JSON-patch library is installed, and
 * RFC 6902 is small, so it is written here.
 */
import { ApiError, badRequest } from './status.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

/** RFC 6901 pointer to tokens. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`json patch: invalid path "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function resolveParent(doc: unknown, tokens: string[], pointer: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(token)] : isObject(cur) ? cur[token] : undefined;
    if (cur === undefined) throw unprocessable(`json patch: path "${pointer}" does not exist`);
  }
  if (!Array.isArray(cur) && !isObject(cur))
    throw unprocessable(`json patch: path "${pointer}" has no parent`);
  return { parent: cur, key: tokens[tokens.length - 1] };
}

function unprocessable(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

function arrayIndex(arr: unknown[], key: string, forAdd: boolean, pointer: string): number {
  if (forAdd && key === '-') return arr.length;
  const idx = Number(key);
  const max = forAdd ? arr.length : arr.length - 1;
  if (!/^\d+$/.test(key) || idx > max) throw unprocessable(`json patch: index out of range at "${pointer}"`);
  return idx;
}

function getAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = resolveParent(doc, tokens, pointer);
  const value = Array.isArray(parent) ? parent[arrayIndex(parent, key, false, pointer)] : parent[key];
  if (value === undefined) throw unprocessable(`json patch: path "${pointer}" does not exist`);
  return value;
}

function addAt(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
  else parent[key] = value;
  return doc;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw unprocessable('json patch: cannot remove the whole document');
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, pointer), 1);
  else {
    if (!(key in parent)) throw unprocessable(`json patch: path "${pointer}" does not exist`);
    delete parent[key];
  }
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function applyOp(doc: unknown, op: JsonPatchOp): unknown {
  switch (op.op) {
    case 'add':
      return addAt(doc, op.path, structuredClone(op.value));
    case 'remove':
      return removeAt(doc, op.path);
    case 'replace':
      getAt(doc, op.path);
      return addAt(removeAt(doc, op.path), op.path, structuredClone(op.value));
    case 'move': {
      const value = getAt(doc, requireFrom(op));
      return addAt(removeAt(doc, requireFrom(op)), op.path, value);
    }
    case 'copy':
      return addAt(doc, op.path, structuredClone(getAt(doc, requireFrom(op))));
    case 'test':
      if (!deepEqual(getAt(doc, op.path), op.value)) {
        throw unprocessable(`json patch: test failed at "${op.path}"`);
      }
      return doc;
    default:
      throw badRequest(`json patch: unknown op "${(op as { op: string }).op}"`);
  }
}

function requireFrom(op: JsonPatchOp): string {
  if (typeof op.from !== 'string') throw badRequest(`json patch: op "${op.op}" needs "from"`);
  return op.from;
}

/** RFC 6902: all operations apply or none (the input is never mutated). */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json patch: body must be an array of operations');
  let doc = structuredClone(target);
  for (const [i, op] of ops.entries()) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw badRequest(`json patch: operation ${i} needs string "op" and "path"`);
    }
    doc = applyOp(doc, op as unknown as JsonPatchOp);
  }
  return doc;
}
