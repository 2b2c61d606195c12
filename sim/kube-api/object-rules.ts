/**
 * What the API server does to objects on write: name generation, the resourceVersion
 * precondition, which fields an update of the main resource or of /status may change,
 * generation bumps and a few defaults.
 */
import { apiVersionOf, type ResourceDef } from './resources.js';
import type { KubeObject } from './selectors.js';
import { conflict } from './status.js';

/** Which part of an object an update may change: the main resource, the status subresource, or both. */
export type UpdateScope = 'main' | 'status' | 'all';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** "pods" or "deployments.apps", as the API server names a resource in messages. */
export const qualified = (def: ResourceDef): string =>
  def.group ? `${def.plural}.${def.group}` : def.plural;

export function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

export function checkResourceVersion(
  def: ResourceDef,
  name: string,
  current: KubeObject,
  expected: unknown,
): void {
  if (expected === undefined || expected === null || expected === '') return;
  if (String(expected) !== current.metadata?.resourceVersion) {
    throw conflict(qualified(def), name, { group: def.group, kind: def.plural });
  }
}

/**
 * What the real API server keeps from the old object: identity always; status on a main-resource
 * update of a type with a status subresource; everything but status on a status update.
 */
export function mergeForScope(
  def: ResourceDef,
  current: KubeObject,
  input: KubeObject,
  scope: UpdateScope,
): KubeObject {
  const identity = {
    uid: current.metadata?.uid,
    creationTimestamp: current.metadata?.creationTimestamp,
    name: current.metadata?.name,
    ...(def.namespaced ? { namespace: current.metadata?.namespace } : {}),
    ...(current.metadata?.generation !== undefined ? { generation: current.metadata.generation } : {}),
  };
  const base: KubeObject = { apiVersion: apiVersionOf(def), kind: def.kind };
  if (scope === 'status') {
    return { ...current, ...base, status: input.status };
  }
  const next: KubeObject = { ...input, ...base, metadata: { ...input.metadata, ...identity } };
  if (scope === 'main' && def.subresources.includes('status')) {
    if (current.status === undefined) delete next.status;
    else next.status = current.status;
  }
  return next;
}

export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => JSON.stringify({ ...o, metadata: undefined, status: undefined });
  return strip(a) !== strip(b);
}

export function applyDefaults(def: ResourceDef, obj: KubeObject): void {
  const status = (obj.status ?? {}) as Record<string, unknown>;
  if (def.group === '' && def.plural === 'pods' && status.phase === undefined) {
    obj.status = { ...status, phase: 'Pending' };
  }
  if (def.group === 'apps' && def.plural === 'deployments') {
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    if (spec.replicas === undefined) obj.spec = { ...spec, replicas: 1 };
  }
  if (def.group === '' && def.plural === 'namespaces' && status.phase === undefined) {
    obj.status = { ...status, phase: 'Active' };
  }
}
