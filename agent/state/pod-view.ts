/**
 * V1Pod (raw watch JSON or a client-node model) -> PodView. Never throws: a pod without a name or
 * uid yields no view; malformed fields yield a view plus problems naming the fields.
 *
 * Pending detection: PodScheduled=False with reason `Unschedulable` (kube-scheduler, and YuniKorn
 * when a pod fits no node) sets `unschedulableSince` to the condition's lastTransitionTime.
 * Quota: YuniKorn's k8shim sets PodScheduled=False with reason `SchedulingSkipped` when the pod's
 * queue quota is used up (and emits a `PodUnschedulable` event, which we do not watch). Such a
 * pod is pending too (`unschedulableSince` set) but `quotaHeld` is true: new nodes cannot help it.
 * A pod already bound to a node (spec.nodeName) is never unschedulable.
 */
import type { PodPhase, PodView, SparkRole } from './snapshot.js';
import type { GroupResolver, NodeRequirements } from './group-resolver.js';
import { podRequests } from './pod-requests.js';
import { asArray, asObject, asString, epochMs, frozenMap, stringMap } from './object-fields.js';
import {
  HEADROOM_GROUP_LABEL,
  QUEUE_ANNOTATION,
  QUEUE_LABEL,
  SPARK_APP_NAME_LABEL,
  SPARK_APP_SELECTOR_LABEL,
  SPARK_ROLE_LABEL,
  YUNIKORN_QUOTA_REASON,
} from './labels.js';

export interface PodViewResult {
  readonly view: PodView | null;
  readonly problems: readonly string[];
}

const PHASES: ReadonlySet<string> = new Set(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);

export const isTerminated = (pod: PodView): boolean => pod.phase === 'Succeeded' || pod.phase === 'Failed';

/** nodecast's own headroom placeholders: capacity reservations, not demand. */
export function isHeadroomPlaceholder(pod: unknown): boolean {
  return stringMap(asObject(asObject(pod)?.metadata)?.labels)[HEADROOM_GROUP_LABEL] !== undefined;
}

/** The node requirement alternatives of a pod: nodeSelector ANDed with each required affinity term. */
export function podRequirements(spec: Record<string, unknown> | undefined): NodeRequirements[] {
  const base = new Map<string, readonly string[]>();
  for (const [k, v] of Object.entries(stringMap(spec?.nodeSelector))) base.set(k, [v]);
  const required = asObject(
    asObject(asObject(spec?.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution,
  );
  const terms = asArray(required?.nodeSelectorTerms);
  if (terms.length === 0) return [base];
  return terms.map((term) => {
    const req = new Map(base);
    for (const expr of asArray(asObject(term)?.matchExpressions).map(asObject)) {
      const key = asString(expr?.key);
      if (!key || expr?.operator !== 'In') continue;
      const values = asArray(expr.values).filter((v): v is string => typeof v === 'string');
      const prior = req.get(key);
      req.set(key, prior ? prior.filter((v) => values.includes(v)) : values);
    }
    return req;
  });
}

function sparkRole(labels: Record<string, string>): SparkRole | null {
  const role = labels[SPARK_ROLE_LABEL];
  return role === 'driver' || role === 'executor' ? role : null;
}

function pendingState(status: Record<string, unknown> | undefined, observedAt: number) {
  const cond = asArray(status?.conditions)
    .map(asObject)
    .find((c) => c?.type === 'PodScheduled');
  if (!cond || cond.status !== 'False') return { unschedulableSince: null, quotaHeld: false };
  const quotaHeld = cond.reason === YUNIKORN_QUOTA_REASON;
  if (cond.reason !== 'Unschedulable' && !quotaHeld) return { unschedulableSince: null, quotaHeld: false };
  return { unschedulableSince: epochMs(cond.lastTransitionTime) ?? observedAt, quotaHeld };
}

/**
 * Builds the view. `observedAt` stands in for a missing lastTransitionTime (when we first saw the
 * pod pending).
 */
export function toPodView(pod: unknown, resolver: GroupResolver, observedAt: number): PodViewResult {
  const obj = asObject(pod);
  const meta = asObject(obj?.metadata);
  const name = asString(meta?.name);
  const uid = asString(meta?.uid);
  if (!name || !uid) return { view: null, problems: [`metadata.${name ? 'uid' : 'name'}: missing`] };
  const spec = asObject(obj?.spec);
  const status = asObject(obj?.status);
  const labels = stringMap(meta?.labels);
  const annotations = stringMap(meta?.annotations);
  const computed = podRequests(spec);
  const requests = computed.requests;
  const problems = [...computed.problems];
  const role = sparkRole(labels);
  const queue = labels[QUEUE_LABEL] ?? annotations[QUEUE_ANNOTATION] ?? null;
  const nodeName = asString(spec?.nodeName) || null;
  const rawPhase = asString(status?.phase);
  let phase: PodPhase = 'Pending'; // a pod without status was just created
  if (rawPhase && PHASES.has(rawPhase)) phase = rawPhase as PodPhase;
  else if (rawPhase !== undefined) {
    phase = 'Unknown';
    problems.push(`status.phase: unknown phase ${JSON.stringify(rawPhase)}`);
  }
  const pending = nodeName
    ? { unschedulableSince: null, quotaHeld: false }
    : pendingState(status, observedAt);
  const view: PodView = {
    uid,
    namespace: asString(meta?.namespace) ?? '',
    name,
    sparkRole: role,
    app: labels[SPARK_APP_SELECTOR_LABEL] ?? labels[SPARK_APP_NAME_LABEL] ?? null,
    queue,
    requests: Object.freeze(requests),
    phase,
    nodeName,
    unschedulableSince: pending.unschedulableSince,
    quotaHeld: pending.quotaHeld,
    nodeSelector: frozenMap(stringMap(spec?.nodeSelector)),
    group: resolver.podGroup({ sparkRole: role, queue, requirements: podRequirements(spec) }),
  };
  return { view: Object.freeze(view), problems };
}
