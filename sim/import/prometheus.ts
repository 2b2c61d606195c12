/**
 * Rebuilds a workload trace from kube-state-metrics series in Prometheus (or anything with its
 * HTTP API: Thanos, Mimir, VictoriaMetrics). Reads the Spark pods (kube_pod_labels with
 * spark-role / spark-app-selector), their requests and lifecycle times window by window
 * (prometheus-plan.ts), then turns pods into one job per application (prometheus-jobs.ts).
 */
import type { ImportProgress, ImportResult } from './types.js';
import { createPrometheusClient, PrometheusImportError, type PrometheusClient } from './prometheus-client.js';
import {
  kubeStateLabelName,
  planWindows,
  sparkPodsSelector,
  windowQueries,
  type SparkPodSelector,
} from './prometheus-plan.js';
import { SparkPods } from './prometheus-pods.js';
import { reconstructJobs } from './prometheus-jobs.js';

export { PrometheusImportError } from './prometheus-client.js';

export interface PrometheusImportOptions {
  /** Base URL of any server with the Prometheus HTTP query API. */
  readonly url: string;
  /** Epoch ms range to import. */
  readonly start: number;
  readonly end: number;
  /** Query resolution, seconds. */
  readonly stepSeconds: number;
  /** Pod label naming the queue (`queue`, YuniKorn's; or its kube-state-metrics name `label_queue`). */
  readonly queueLabel?: string;
  /** Queue of apps whose pods carry no queue label; default `default`. */
  readonly defaultQueue?: string;
  /** Regex the pods' namespace must match; all namespaces when absent. */
  readonly namespace?: string;
  /** Extra request headers, e.g. Authorization or Mimir's X-Scope-OrgID. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request, default 60 s. */
  readonly timeoutMs?: number;
  /** Steps per query window; default 11,000, Prometheus's limit. */
  readonly maxPointsPerQuery?: number;
  /** Seconds per query window; default 3 h (see prometheus-plan.ts for why). */
  readonly windowSeconds?: number;
  readonly fetch?: typeof fetch;
}

const iso = (ms: number) => new Date(ms).toISOString();

function checkOptions(o: PrometheusImportOptions): void {
  if (!Number.isFinite(o.stepSeconds) || o.stepSeconds <= 0)
    throw new PrometheusImportError(`--step: must be a positive number of seconds, got ${o.stepSeconds}`);
  if (!Number.isFinite(o.start) || !Number.isFinite(o.end) || o.end <= o.start)
    throw new PrometheusImportError(`import range is empty or invalid: start ${o.start}, end ${o.end}`);
}

/**
 * Why no Spark pod was found: no kube-state-metrics at all, or pod labels not exported. Counts
 * pods at about a thousand instants of the range: a count over the whole range would read every
 * sample of every pod and hit Prometheus's sample limit on a big cluster.
 */
async function explainNoPods(
  client: PrometheusClient,
  o: PrometheusImportOptions,
  selector: SparkPodSelector,
): Promise<PrometheusImportError> {
  const startS = Math.floor(o.start / 1000);
  const endS = Math.ceil(o.end / 1000);
  const stepS = Math.max(o.stepSeconds, Math.ceil((endS - startS) / 1000));
  const ns = selector.namespace ? `{namespace=~${JSON.stringify(selector.namespace)}}` : '';
  const pods = await client.rangeMax(`count(kube_pod_labels${ns})`, startS, endS, stepS);
  const where = `Prometheus ${client.url} between ${iso(o.start)} and ${iso(o.end)}`;
  if (pods === 0)
    return new PrometheusImportError(
      `no kube_pod_labels series${ns} in ${where}: is kube-state-metrics scraped by this Prometheus, ` +
        'and does the range cover its data?',
    );
  return new PrometheusImportError(
    `up to ${pods} pods at a time in kube_pod_labels${ns} in ${where}, but none matches ${sparkPodsSelector(selector)}: ` +
      'kube-state-metrics exports pod labels only when they are allowed, e.g. ' +
      `--metric-labels-allowlist=pods=[spark-role,spark-app-selector,${o.queueLabel ?? 'queue'}]`,
  );
}

export async function importFromPrometheus(
  options: PrometheusImportOptions,
  progress?: ImportProgress,
): Promise<ImportResult> {
  checkOptions(options);
  const client = createPrometheusClient(options);
  const queueLabel = kubeStateLabelName(options.queueLabel ?? 'queue');
  const selector: SparkPodSelector = { queueLabel, namespace: options.namespace };
  const windows = planWindows(options.start, options.end, options.stepSeconds, {
    maxPoints: options.maxPointsPerQuery,
    maxWindowSeconds: options.windowSeconds,
  });
  const pods = new SparkPods();
  progress?.(0, windows.length);
  for (const [i, window] of windows.entries()) {
    pods.addLabels(await client.series(sparkPodsSelector(selector), window.startS, window.endS), queueLabel);
    for (const query of windowQueries(window, options.stepSeconds, selector))
      pods.addFact(query.fact, await client.instant(query.expr, window.endS));
    progress?.(i + 1, windows.length);
  }
  if (pods.size === 0) throw await explainNoPods(client, options, selector);
  const result = reconstructJobs(pods.all(), {
    start: options.start,
    end: options.end,
    stepSeconds: options.stepSeconds,
    defaultQueue: options.defaultQueue ?? 'default',
  });
  return { ...result, found: { ...result.found, queryWindows: windows.length } };
}
