/**
 * kube-state-metrics as it would have looked while a known set of Spark apps ran: each truth job
 * becomes a driver pod and its executor pods with realistic lifecycles, scraped every
 * `scrapeSeconds` and written as OpenMetrics text (gauges, timestamps in seconds, `# EOF`) for
 * `promtool tsdb create-blocks-from openmetrics`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { TraceJob } from '../../sim/trace-types.js';

export interface FixturePod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** Pod labels as kube-state-metrics names them (`label_spark_role`, ...). */
  readonly labels: Readonly<Record<string, string>>;
  readonly container: string;
  readonly cpu: number;
  readonly memoryBytes: number;
  /** Epoch ms. */
  readonly created: number;
  readonly started?: number;
  /** When the pod finished; with `completionMetric`, kube_pod_completion_time says so. */
  readonly finished?: number;
  readonly completionMetric?: boolean;
  /** After its last sample the pod is gone (deleted); default: scraped to the end. */
  readonly deleted?: number;
}

/** How a job's pods report their end, to cover each of the importer's sources of an end time. */
export type EndSignal = 'completion-time' | 'phase-only' | 'deleted';

const SECOND = 1000;

/** The pods of one truth job: the executors start a few seconds apart; the last start is the peak. */
export function podsForJob(job: TraceJob, end: EndSignal, namespace = 'spark'): FixturePod[] {
  const labels = {
    label_spark_app_selector: job.app,
    label_queue: job.queue,
  };
  const peakAt = job.submitTime + 25 * SECOND + Math.min(job.executors - 1, 4) * SECOND;
  const finished = peakAt + job.durationSeconds * SECOND;
  const driver: FixturePod = {
    namespace,
    name: `${job.app}-driver`,
    uid: `uid-${job.app}-driver`,
    labels: { ...labels, label_spark_role: 'driver' },
    container: 'spark-kubernetes-driver',
    cpu: job.driverCpu,
    memoryBytes: job.driverMemoryBytes,
    created: job.submitTime,
    started: job.submitTime + 4 * SECOND,
    finished: end === 'deleted' ? undefined : finished,
    completionMetric: end === 'completion-time',
    // Completed drivers linger (the operator keeps them); a deleted one vanishes at its end.
    deleted: end === 'deleted' ? finished : finished + 10 * 60 * SECOND,
  };
  const executors = Array.from({ length: job.executors }, (_, i): FixturePod => {
    const created = job.submitTime + 20 * SECOND;
    return {
      namespace,
      name: `${job.app}-exec-${i + 1}`,
      uid: `uid-${job.app}-exec-${i + 1}`,
      labels: { ...labels, label_spark_role: 'executor' },
      container: 'spark-kubernetes-executor',
      cpu: job.executorCpu,
      memoryBytes: job.executorMemoryBytes,
      created,
      started: created + 5 * SECOND + (i % 5) * SECOND,
      // The driver deletes its executors as it ends.
      deleted: finished,
    };
  });
  return [driver, ...executors];
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',');

type Family = {
  readonly name: string;
  /** The series of a pod: labels and the value at a scrape, or undefined when it has no sample. */
  readonly series: (
    pod: FixturePod,
  ) => { labels: Record<string, string>; value: (t: number) => number | undefined }[];
};

const scraped = { job: 'kube-state-metrics', instance: '10.0.0.7:8080' };
const podIds = (p: FixturePod) => ({ ...scraped, namespace: p.namespace, pod: p.name, uid: p.uid });
const phaseAt = (p: FixturePod, t: number) =>
  p.finished !== undefined && t >= p.finished
    ? 'Succeeded'
    : p.started !== undefined && t >= p.started
      ? 'Running'
      : 'Pending';
const when = (from: number | undefined, value: number) => (t: number) =>
  from !== undefined && t >= from ? value : undefined;

const FAMILIES: Family[] = [
  { name: 'kube_pod_labels', series: (p) => [{ labels: { ...podIds(p), ...p.labels }, value: () => 1 }] },
  { name: 'kube_pod_created', series: (p) => [{ labels: podIds(p), value: () => p.created / SECOND }] },
  {
    name: 'kube_pod_start_time',
    series: (p) => [{ labels: podIds(p), value: when(p.started, (p.started ?? 0) / SECOND) }],
  },
  {
    name: 'kube_pod_completion_time',
    series: (p) =>
      p.completionMetric ? [{ labels: podIds(p), value: when(p.finished, (p.finished ?? 0) / SECOND) }] : [],
  },
  {
    name: 'kube_pod_status_phase',
    series: (p) =>
      ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'].map((phase) => ({
        labels: { ...podIds(p), phase },
        value: (t: number) => (phaseAt(p, t) === phase ? 1 : 0),
      })),
  },
  {
    name: 'kube_pod_container_resource_requests',
    series: (p) => [
      {
        labels: { ...podIds(p), container: p.container, node: 'node-1', resource: 'cpu', unit: 'core' },
        value: () => p.cpu,
      },
      {
        labels: { ...podIds(p), container: p.container, node: 'node-1', resource: 'memory', unit: 'byte' },
        value: () => p.memoryBytes,
      },
    ],
  },
];

/** Writes the pods' kube-state-metrics series, scraped on a `scrapeSeconds` grid up to `end`. */
export async function writeKubeStateMetrics(
  file: string,
  pods: readonly FixturePod[],
  opts: { readonly scrapeSeconds: number; readonly end: number },
): Promise<number> {
  const out = createWriteStream(file);
  let lines = 0;
  let buffer = '';
  const flush = async () => {
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  const step = opts.scrapeSeconds * SECOND;
  for (const family of FAMILIES) {
    buffer += `# HELP ${family.name} kube-state-metrics as written by a test.\n# TYPE ${family.name} gauge\n`;
    for (const pod of pods) {
      const last = Math.min(pod.deleted ?? opts.end, opts.end);
      const first = Math.ceil(pod.created / step) * step;
      for (const s of family.series(pod)) {
        const labels = labelText(s.labels);
        for (let t = first; t <= last; t += step) {
          const v = s.value(t);
          if (v === undefined) continue;
          buffer += `${family.name}{${labels}} ${v} ${t / SECOND}\n`;
          lines++;
        }
        if (buffer.length > 1 << 20) await flush();
      }
    }
  }
  buffer += '# EOF\n';
  await flush();
  out.end();
  await once(out, 'finish');
  return lines;
}
