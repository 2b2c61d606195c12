/**
 * The `scale` subresource (autoscaling/v1 Scale) of deployments, machinedeployments and
 * machinesets: Scale.spec.replicas <-> .spec.replicas, Scale.status.replicas <- .status.replicas,
 * Scale.status.selector <- .status.selector (Cluster API's CRD selectorpath) or the object's
 * spec.selector.matchLabels (Deployment).
 */
import type { ResourceDef } from './resources.js';
import { matchLabelsToString, type KubeObject } from './selectors.js';
import type { ObjectStore } from './store.js';
import { invalid } from './status.js';

type Obj = Record<string, unknown>;

function selectorOf(obj: KubeObject): string {
  const status = (obj.status ?? {}) as Obj;
  if (typeof status.selector === 'string') return status.selector;
  const selector = ((obj.spec ?? {}) as Obj).selector as { matchLabels?: Record<string, string> } | undefined;
  return matchLabelsToString(selector?.matchLabels);
}

export function readScale(_def: ResourceDef, obj: KubeObject): KubeObject {
  const meta = obj.metadata ?? {};
  const spec = (obj.spec ?? {}) as Obj;
  const status = (obj.status ?? {}) as Obj;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: selectorOf(obj),
    },
  };
}

/** Write Scale.spec.replicas through to the object; a resourceVersion on the Scale is a CAS precondition. */
export function writeScale(
  store: ObjectStore,
  def: ResourceDef,
  namespace: string,
  name: string,
  scale: KubeObject,
  dryRun: boolean,
): KubeObject {
  const replicas = ((scale.spec ?? {}) as Obj).replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(
      'Scale',
      name,
      `spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be an integer >= 0`,
    );
  }
  const current = store.mustGet(def, namespace, name);
  const next: KubeObject = {
    ...current,
    metadata: { ...current.metadata, resourceVersion: scale.metadata?.resourceVersion },
    spec: { ...((current.spec ?? {}) as Obj), replicas },
  };
  return readScale(def, store.update(def, namespace, name, next, { scope: 'main', dryRun }));
}
