/**
 * What the Prometheus importer asks, and over which windows. Each window is read with one
 * /api/v1/series call for the Spark pods' labels and a few instant queries that fold the window
 * with `*_over_time`, so the answer has one value per pod and window, however long the window is.
 * Windows are at most 11,000 steps (Prometheus's per-series resolution limit, applied here to the
 * subqueries too) and at most 3 hours: a subquery evaluates every series seen in its window at
 * every step, so its cost grows with window length times the pods seen in it. Measured on two
 * days of 1,444 generated apps at a 1 m step: one 48 h window took 68 s, 3 h windows 9 s, 1 h
 * windows 15 s (more requests).
 */

/** Prometheus refuses results of more than 11,000 points per series. */
export const MAX_POINTS_PER_QUERY = 11_000;

/** A window (startS, endS], epoch seconds on step boundaries. */
export interface QueryWindow {
  readonly startS: number;
  readonly endS: number;
}

/** A fact about each pod that one query returns (all times in epoch seconds). */
export type PodFact =
  'requests' | 'created' | 'started' | 'completed' | 'terminalPhase' | 'firstSeen' | 'lastSeen';

export interface PlannedQuery {
  readonly fact: PodFact;
  readonly expr: string;
}

export interface SparkPodSelector {
  /** The kube-state-metrics label holding the queue, e.g. `label_queue`. */
  readonly queueLabel: string;
  /** Regex the namespace must match (Prometheus anchors it); all namespaces when absent. */
  readonly namespace?: string;
}

export const ROLE_LABEL = 'label_spark_role';
export const APP_LABEL = 'label_spark_app_selector';
/** A pod is a key of namespace, name and uid: names are reused (a resubmitted SparkApplication). */
const POD = 'namespace, pod, uid';

export const MAX_WINDOW_SECONDS = 3 * 3600;

export interface WindowLimits {
  /** Steps per window; default MAX_POINTS_PER_QUERY. */
  readonly maxPoints?: number;
  /** Seconds per window; default MAX_WINDOW_SECONDS. */
  readonly maxWindowSeconds?: number;
}

/** Windows covering [startMs, endMs], each within both limits (and at least one step long). */
export function planWindows(
  startMs: number,
  endMs: number,
  stepSeconds: number,
  limits: WindowLimits = {},
): QueryWindow[] {
  const first = Math.floor(startMs / 1000 / stepSeconds) * stepSeconds;
  const last = Math.max(first + stepSeconds, Math.ceil(endMs / 1000 / stepSeconds) * stepSeconds);
  const steps = Math.min(
    limits.maxPoints ?? MAX_POINTS_PER_QUERY,
    (limits.maxWindowSeconds ?? MAX_WINDOW_SECONDS) / stepSeconds,
  );
  const span = Math.max(1, Math.floor(steps)) * stepSeconds;
  const out: QueryWindow[] = [];
  for (let s = first; s < last; s += span) out.push({ startS: s, endS: Math.min(s + span, last) });
  return out;
}

const quote = (value: string): string => JSON.stringify(value);

/** The kube_pod_labels selector of Spark driver and executor pods. */
export function sparkPodsSelector(selector: SparkPodSelector): string {
  const matchers = [`${ROLE_LABEL}=~"driver|executor"`];
  if (selector.namespace) matchers.push(`namespace=~${quote(selector.namespace)}`);
  return `kube_pod_labels{${matchers.join(', ')}}`;
}

/** Converts a pod label name the way kube-state-metrics does (`spark-role` -> `label_spark_role`). */
export function kubeStateLabelName(podLabel: string): string {
  if (podLabel.startsWith('label_')) return podLabel;
  return `label_${podLabel.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** The instant queries for one window, evaluated at its end. */
export function windowQueries(
  window: QueryWindow,
  stepSeconds: number,
  selector: SparkPodSelector,
): PlannedQuery[] {
  const range = `${window.endS - window.startS}s`;
  const pods = sparkPodsSelector(selector);
  // Restricts any pod metric to the Spark pods seen in the window.
  const sparkOnly = `and on (${POD}) last_over_time(${pods}[${range}])`;
  const timeOf = (metric: string, fold: 'max' | 'min') =>
    `${fold} by (${POD}) (${fold}_over_time(${metric}[${range}]) ${sparkOnly})`;
  const sub = `[${range}:${stepSeconds}s]`;
  return [
    {
      fact: 'requests',
      expr:
        `max by (${POD}, container, resource, unit) (max_over_time(` +
        `kube_pod_container_resource_requests{resource=~"cpu|memory"}[${range}]) ${sparkOnly})`,
    },
    { fact: 'created', expr: timeOf('kube_pod_created', 'max') },
    { fact: 'started', expr: timeOf('kube_pod_start_time', 'max') },
    { fact: 'completed', expr: timeOf('kube_pod_completion_time', 'max') },
    {
      // The first step at which the pod was Succeeded or Failed: the end when there is no
      // kube_pod_completion_time (older kube-state-metrics, or a pod deleted before it was set).
      fact: 'terminalPhase',
      expr:
        `min by (${POD}) (min_over_time(timestamp(` +
        `(kube_pod_status_phase{phase=~"Succeeded|Failed"} == 1) and on (${POD}) ${pods})${sub}))`,
    },
    { fact: 'firstSeen', expr: `min by (${POD}) (min_over_time(timestamp(${pods})${sub}))` },
    { fact: 'lastSeen', expr: `max by (${POD}) (max_over_time(timestamp(${pods})${sub}))` },
  ];
}
