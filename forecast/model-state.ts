/**
 * A fitted model (or seeded bands) as plain data, so it can cross a worker boundary by structured
 * clone, which drops prototypes: models keep their state in plain fields (numbers, typed arrays,
 * params objects, small helper instances such as ValueRing, member models of an ensemble). A
 * snapshot records each class instance's own fields tagged with its class; a restore builds a
 * fresh instance (an unfitted model for the same blend) and writes the fields back into it,
 * instance by instance, checking each lands on the same class. What cannot be carried (functions,
 * Sets, Maps holding objects) throws when snapshotted, so a new model with such state fails the
 * round-trip test instead of forecasting wrongly.
 */
import type { ModelOptions } from './models/common.js';
import { type Blend, modelFor } from './select.js';
import type { Model } from './types.js';

/** One class instance: its class name and its own fields. */
export interface InstanceState {
  readonly $class: string;
  readonly fields: { readonly [key: string]: StateValue };
}

export type StateValue =
  | number
  | string
  | boolean
  | bigint
  | null
  | undefined
  | ArrayBufferView
  | ReadonlyMap<number | string, number | string | ArrayBufferView>
  | readonly StateValue[]
  | InstanceState
  | { readonly [key: string]: StateValue };

export interface ModelState {
  /** The model's name (the blend name for an ensemble); checked on restore. */
  readonly name: string;
  readonly root: InstanceState;
}

/**
 * The model's state. Typed arrays are shared with the model, not copied: clone the snapshot (or
 * post it) before the model is used again.
 */
export function modelState(model: Model): ModelState {
  return { name: model.name, root: objectState(model, model.name) };
}

/** A fresh model for `blend` carrying the snapshotted state; throws if the state is for another model. */
export function restoreModel(blend: Blend, state: ModelState, opts: ModelOptions): Model {
  const model = modelFor(blend, opts);
  if (model.name !== state.name)
    throw new Error(`model state is for "${state.name}", not the blend "${model.name}"`);
  restoreInstance(model, state.root, model.name);
  return model;
}

/** Any class instance's state (shares typed arrays with it, like modelState). */
export function objectState(obj: object, path = obj.constructor.name): InstanceState {
  const fields: Record<string, StateValue> = {};
  for (const [key, v] of Object.entries(obj)) fields[key] = snapshotValue(v, `${path}.${key}`);
  return { $class: obj.constructor.name, fields };
}

/** Writes `state` into `fresh` (a new instance of the same class) and returns it. */
export function restoreObject<T extends object>(fresh: T, state: InstanceState): T {
  restoreInstance(fresh, state, fresh.constructor.name);
  return fresh;
}

/**
 * A deep copy that keeps prototypes (typed arrays copied, functions shared): a checkpoint of an
 * in-thread object such as a TrustMonitor, to roll it back later.
 */
export function copyState<T>(value: T): T {
  return copyValue(value, 'value') as T;
}

function snapshotValue(v: unknown, path: string): StateValue {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol'))
    return v as StateValue;
  if (typeof v !== 'object') throw new Error(`${path}: a ${typeof v} cannot be carried in model state`);
  if (ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map((x, i) => snapshotValue(x, `${path}[${i}]`));
  if (v instanceof Map) return flatMap(v, path);
  unsupported(v, path);
  if (!isPlain(v)) return objectState(v, path);
  if ('$class' in v) throw new Error(`${path}: a plain object with a $class field is ambiguous`);
  const out: Record<string, StateValue> = {};
  for (const [key, x] of Object.entries(v)) out[key] = snapshotValue(x, `${path}.${key}`);
  return out;
}

function restoreInstance(target: object, state: InstanceState, path: string): void {
  if (target.constructor.name !== state.$class)
    throw new Error(`${path}: state of a ${state.$class} cannot restore a ${target.constructor.name}`);
  const t = target as Record<string, unknown>;
  for (const [key, saved] of Object.entries(state.fields))
    t[key] = restoreValue(t[key], saved, `${path}.${key}`);
}

/** `current` is the fresh model's value at the same place: instances are restored into it. */
function restoreValue(current: unknown, saved: StateValue, path: string): unknown {
  if (saved === null || typeof saved !== 'object' || ArrayBuffer.isView(saved) || saved instanceof Map)
    return saved;
  if (Array.isArray(saved)) {
    const cur: unknown[] = Array.isArray(current) ? current : [];
    return saved.map((s: StateValue, i) => restoreValue(cur[i], s, `${path}[${i}]`));
  }
  if (isInstanceState(saved)) {
    if (current === null || typeof current !== 'object')
      throw new Error(`${path}: no ${saved.$class} to restore into in a fresh model`);
    restoreInstance(current, saved, path);
    return current;
  }
  const cur = current !== null && typeof current === 'object' ? (current as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(saved as { [key: string]: StateValue }))
    out[key] = restoreValue(cur[key], s, `${path}.${key}`);
  return out;
}

function copyValue(v: unknown, path: string): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v)) {
    if (v instanceof DataView) throw new Error(`${path}: a DataView cannot be copied`);
    return (v as unknown as { slice(): unknown }).slice();
  }
  if (Array.isArray(v)) return v.map((x, i) => copyValue(x, `${path}[${i}]`));
  if (v instanceof Map) return new Map([...flatMap(v, path)].map(([k, x]) => [k, copyValue(x, path)]));
  unsupported(v, path);
  const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
  for (const [key, x] of Object.entries(v)) out[key] = copyValue(x, `${path}.${key}`);
  return out;
}

/** A Map of numbers, strings or typed arrays crosses as it is (structured clone keeps Maps). */
function flatMap(
  m: Map<unknown, unknown>,
  path: string,
): Map<number | string, number | string | ArrayBufferView> {
  for (const [k, x] of m) {
    const flat = (y: unknown) => typeof y === 'number' || typeof y === 'string' || ArrayBuffer.isView(y);
    if (!flat(k) || !flat(x) || ArrayBuffer.isView(k))
      throw new Error(
        `${path}: a Map is supported in model state only with number or string keys and flat values`,
      );
  }
  return m as Map<number | string, number | string | ArrayBufferView>;
}

function unsupported(v: object, path: string): void {
  if (v instanceof Set || v instanceof WeakMap || v instanceof WeakSet)
    throw new Error(`${path}: a ${v.constructor.name} is not supported in model state`);
  if (v instanceof Date || v instanceof RegExp || v instanceof Promise)
    throw new Error(`${path}: a ${v.constructor.name} is not supported in model state`);
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function isInstanceState(v: object): v is InstanceState {
  return typeof (v as { $class?: unknown }).$class === 'string' && 'fields' in v;
}
