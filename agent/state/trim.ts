/**
 * Projections of pods and nodes onto the fields nodecast reads. The informer caches what it is
 * given, so trimming at the edge keeps its cache small (no managedFields, env, volumes, probes ...).
 * Timestamps are normalised to RFC 3339 strings, whether the input came from a watch (strings) or
 * a deserialized list (Date). Returns null for an object without metadata.name (unusable).
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { asArray, asObject, asString } from './object-fields.js';
import {
  QUEUE_ANNOTATION,
  QUEUE_LABEL,
  HEADROOM_GROUP_LABEL,
  SPARK_APP_NAME_LABEL,
  SPARK_APP_SELECTOR_LABEL,
  SPARK_ROLE_LABEL,
} from './labels.js';

const POD_LABELS = [
  SPARK_ROLE_LABEL,
  SPARK_APP_SELECTOR_LABEL,
  SPARK_APP_NAME_LABEL,
  QUEUE_LABEL,
  HEADROOM_GROUP_LABEL,
];
const POD_ANNOTATIONS = [QUEUE_ANNOTATION];

const time = (v: unknown): string | undefined =>
  v instanceof Date ? (Number.isNaN(v.getTime()) ? undefined : v.toISOString()) : asString(v);

function pick(source: unknown, keys: readonly string[]): Record<string, string> | undefined {
  const obj = asObject(source);
  if (!obj) return undefined;
  let out: Record<string, string> | undefined;
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string') (out ??= {})[k] = v;
  }
  return out;
}

function trimMetadata(raw: unknown, labels: 'all' | readonly string[], annotations: readonly string[]) {
  const m = asObject(raw);
  const name = asString(m?.name);
  if (!m || !name) return null;
  return {
    name,
    namespace: asString(m.namespace),
    uid: asString(m.uid),
    resourceVersion: asString(m.resourceVersion),
    creationTimestamp: time(m.creationTimestamp),
    deletionTimestamp: time(m.deletionTimestamp),
    labels: labels === 'all' ? asObject(m.labels) : pick(m.labels, labels),
    annotations: pick(m.annotations, annotations),
  };
}

const trimResources = (c: unknown) => {
  const r = asObject(asObject(c)?.resources);
  return r ? { requests: r.requests, limits: r.limits } : undefined;
};

export function trimPod(raw: unknown): KubernetesObject | null {
  const pod = asObject(raw);
  const metadata = trimMetadata(pod?.metadata, POD_LABELS, POD_ANNOTATIONS);
  if (!pod || !metadata) return null;
  const spec = asObject(pod.spec);
  const status = asObject(pod.status);
  const required = asObject(
    asObject(asObject(spec?.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution,
  );
  const scheduled = asArray(status?.conditions)
    .map(asObject)
    .find((c) => c?.type === 'PodScheduled');
  return {
    metadata,
    spec: spec && {
      nodeName: spec.nodeName,
      nodeSelector: spec.nodeSelector,
      affinity: required && { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } },
      containers: asArray(spec.containers).map((c) => ({ resources: trimResources(c) })),
      initContainers: asArray(spec.initContainers).map((c) => ({
        restartPolicy: asObject(c)?.restartPolicy,
        resources: trimResources(c),
      })),
      overhead: spec.overhead,
    },
    status: status && {
      phase: status.phase,
      conditions: scheduled && [
        {
          type: 'PodScheduled',
          status: scheduled.status,
          reason: scheduled.reason,
          message: scheduled.message,
          lastTransitionTime: time(scheduled.lastTransitionTime),
        },
      ],
    },
  } as KubernetesObject;
}

export function trimNode(raw: unknown): KubernetesObject | null {
  const node = asObject(raw);
  const metadata = trimMetadata(node?.metadata, 'all', []);
  if (!node || !metadata) return null;
  const spec = asObject(node.spec);
  const status = asObject(node.status);
  const ready = asArray(status?.conditions)
    .map(asObject)
    .find((c) => c?.type === 'Ready');
  return {
    metadata,
    spec: spec && {
      unschedulable: spec.unschedulable,
      taints: asArray(spec.taints).map((t) => ({ key: asObject(t)?.key, effect: asObject(t)?.effect })),
    },
    status: status && {
      allocatable: status.allocatable,
      conditions: ready && [{ type: 'Ready', status: ready.status }],
    },
  } as KubernetesObject;
}
