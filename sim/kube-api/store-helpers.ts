/**
 * Direct store access for tests and the simulator: no HTTP, synchronous, and every write fires
 * the same watch events an API call would. Resource names are resolved the way people type them
 * ("pods", "po", "deployments.apps", "machinedeployments").
 */
import { applyMergePatch } from './patch.js';
import type { ResourceRegistry } from './resources.js';
import { parseFieldSelector, parseLabelSelector, type KubeObject } from './selectors.js';
import type { ObjectStore } from './store.js';

const DEFAULT_NAMESPACE = 'default';

function namespaceOf(obj: object): string {
  return (obj as KubeObject).metadata?.namespace ?? DEFAULT_NAMESPACE;
}

export class StoreHelpers {
  constructor(
    protected readonly store: ObjectStore,
    protected readonly registry: ResourceRegistry,
  ) {}

  /** The current global resourceVersion. */
  resourceVersion(): number {
    return this.store.resourceVersion();
  }

  /** Create; namespace from obj.metadata.namespace (default "default"). Throws ApiError 409 if it exists. */
  create(resource: string, obj: object): KubeObject {
    return this.store.create(this.registry.resolve(resource), namespaceOf(obj), toPlain(obj));
  }

  /**
   * Replace the whole object, status included. A metadata.resourceVersion in `obj` must match the
   * stored one (ApiError 409 otherwise); leave it out for an unconditional write.
   */
  update(resource: string, obj: object): KubeObject {
    const plain = toPlain(obj);
    const name = plain.metadata?.name ?? '';
    return this.store.update(this.registry.resolve(resource), namespaceOf(obj), name, plain, {
      scope: 'all',
    });
  }

  /** JSON merge patch (RFC 7386) on any part of the object, status included. */
  patch(resource: string, name: string, patch: object, namespace = DEFAULT_NAMESPACE): KubeObject {
    const def = this.registry.resolve(resource);
    const current = this.store.mustGet(def, namespace, name);
    const next = applyMergePatch(current, toPlain(patch)) as KubeObject;
    return this.store.update(def, namespace, name, next, { scope: 'all' });
  }

  delete(resource: string, name: string, namespace = DEFAULT_NAMESPACE): KubeObject {
    return this.store.delete(this.registry.resolve(resource), namespace, name);
  }

  get(resource: string, name: string, namespace = DEFAULT_NAMESPACE): KubeObject | undefined {
    return this.store.get(this.registry.resolve(resource), namespace, name);
  }

  /** Every object of a type (all namespaces unless `namespace` is given), optionally filtered. */
  list(resource: string, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {}) {
    const label = parseLabelSelector(opts.labelSelector);
    const field = parseFieldSelector(opts.fieldSelector);
    return this.store.list(this.registry.resolve(resource), opts.namespace, (o) => label(o) && field(o));
  }
}

/** Accept client-node model objects (with Date fields) as well as plain JSON. */
function toPlain(obj: object): KubeObject {
  return JSON.parse(JSON.stringify(obj)) as KubeObject;
}
