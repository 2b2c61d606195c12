/**
 * Spark pods -> trace jobs, one per spark-app-selector. What the pods tell, and how:
 * - submit time: the driver pod's creation (the earliest driver when the app has several);
 * - executors: the peak number of executor pods that existed at once (created, running or not),
 *   which is what the application asked for (spark.executor.instances, or dynamic allocation's
 *   largest ask);
 * - sizes: the pods' requests, summed over containers (kube-state-metrics reports the memory
 *   request, which already includes Spark's memory overhead);
 * - duration: from the moment the most executors were running at once to the driver's end. The
 *   trace's duration is "run time with all executors", so the executors' start-up and any wait for
 *   capacity before the peak are left out; an app that never ran all its executors at once is
 *   measured from its best moment, so its duration is somewhat overstated.
 * An app is skipped, with the reason, when any of this cannot be known within the range.
 */
import type { TraceJob } from '../trace-types.js';
import type { ImportSkip } from './types.js';
import { podName, podRequests, type SparkPod } from './prometheus-pods.js';

export interface ReconstructOptions {
  /** Epoch ms range that was imported. */
  readonly start: number;
  readonly end: number;
  readonly stepSeconds: number;
  readonly defaultQueue: string;
}

export interface Reconstruction {
  readonly jobs: TraceJob[];
  readonly skipped: ImportSkip[];
  readonly found: Record<string, number>;
}

/** Prometheus's default lookback: a pod still scraped at the end has a sample this recent. */
const LOOKBACK_MS = 5 * 60_000;

interface Interval {
  readonly from: number;
  readonly to: number;
}

/** The most intervals open at once, and when that count is first reached. Ends close first. */
export function peakConcurrency(intervals: readonly Interval[]): { peak: number; at: number } {
  const events = intervals
    .filter((i) => i.to > i.from)
    .flatMap((i) => [
      { t: i.from, d: 1 },
      { t: i.to, d: -1 },
    ])
    .sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let best = { peak: 0, at: NaN };
  for (const e of events) {
    open += e.d;
    if (open > best.peak) best = { peak: open, at: e.t };
  }
  return best;
}

/** When the pod ended, or undefined when it was still there at the end of the range. */
function podEnd(pod: SparkPod, o: ReconstructOptions): number | undefined {
  if (pod.completed !== undefined) return pod.completed;
  if (pod.terminalPhase !== undefined) return pod.terminalPhase;
  const margin = Math.max(LOOKBACK_MS, 2 * o.stepSeconds * 1000);
  // No longer scraped well before the end: the pod was deleted after its last sample.
  if (pod.lastSeen !== undefined && pod.lastSeen < o.end - margin) return pod.lastSeen;
  return undefined;
}

const GiB = 2 ** 30;
const describeSize = (cpu?: number, mem?: number) =>
  `cpu ${cpu ?? 'missing'}, memory ${mem === undefined ? 'missing' : `${(mem / GiB).toFixed(2)} GiB`}`;

function sizeOf(pod: SparkPod, role: string): { cpu: number; memoryBytes: number } | string {
  const { cpu, memoryBytes } = podRequests(pod);
  if (cpu && memoryBytes) return { cpu, memoryBytes };
  const units = pod.unknownUnits.length ? ` (requests in unknown units: ${pod.unknownUnits.join(', ')})` : '';
  return (
    `${role} pod ${podName(pod)} has no cpu and memory request in ` +
    `kube_pod_container_resource_requests (${describeSize(cpu, memoryBytes)})${units}`
  );
}

function executorSize(executors: readonly SparkPod[]): { cpu: number; memoryBytes: number } | string {
  const sizes = executors.map((p) => sizeOf(p, 'executor'));
  const known = sizes.filter((s) => typeof s !== 'string');
  if (known.length === 0) return sizes[0] as string;
  // Executors of one app are identical; the largest is the safe pick if a resize slipped in.
  return {
    cpu: Math.max(...known.map((s) => s.cpu)),
    memoryBytes: Math.max(...known.map((s) => s.memoryBytes)),
  };
}

function buildJob(
  app: string,
  drivers: readonly SparkPod[],
  executors: readonly SparkPod[],
  o: ReconstructOptions,
): TraceJob | string {
  if (drivers.length === 0)
    return `no driver pod in the range (${executors.length} executor pods): the app's start is unknown`;
  const sorted = [...drivers].sort(
    (a, b) => (a.created ?? a.firstSeen ?? 0) - (b.created ?? b.firstSeen ?? 0),
  );
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const submit = first.created ?? first.firstSeen;
  if (submit === undefined) return `driver pod ${podName(first)} has no creation time`;
  if (submit < o.start)
    return `submitted at ${new Date(submit).toISOString()}, before the range start: only partly observed`;
  const end = podEnd(last, o);
  if (end === undefined)
    return `still running at the end of the range (driver pod ${podName(last)} has not finished)`;
  if (executors.length === 0) return 'no executor pods (a driver-only or local-mode app)';
  const driver = sizeOf(first, 'driver');
  if (typeof driver === 'string') return driver;
  const executor = executorSize(executors);
  if (typeof executor === 'string') return executor;
  const lived = executors.map((p) => ({ pod: p, end: Math.min(podEnd(p, o) ?? end, end) }));
  const asked = peakConcurrency(
    lived.map((e) => ({ from: e.pod.created ?? e.pod.firstSeen ?? submit, to: e.end })),
  );
  const running = peakConcurrency(
    lived.filter((e) => e.pod.started !== undefined).map((e) => ({ from: e.pod.started!, to: e.end })),
  );
  if (running.peak === 0) return `none of its ${executors.length} executor pods ever started`;
  const durationSeconds = Math.round((end - running.at) / 1000);
  if (durationSeconds <= 0) return 'the driver ended as its executors peaked: no run time to replay';
  return {
    submitTime: submit,
    app,
    queue: first.queue ?? executors.find((e) => e.queue)?.queue ?? o.defaultQueue,
    driverCpu: driver.cpu,
    driverMemoryBytes: driver.memoryBytes,
    executors: Math.max(asked.peak, running.peak),
    executorCpu: executor.cpu,
    executorMemoryBytes: executor.memoryBytes,
    durationSeconds,
  };
}

export function reconstructJobs(pods: readonly SparkPod[], o: ReconstructOptions): Reconstruction {
  const skipped: ImportSkip[] = [];
  const apps = new Map<string, { drivers: SparkPod[]; executors: SparkPod[] }>();
  for (const pod of pods) {
    if (!pod.app) {
      skipped.push({
        where: `pod ${podName(pod)}`,
        reason:
          `spark-role=${pod.role} but no spark-app-selector label in kube_pod_labels ` +
          '(is spark-app-selector in kube-state-metrics --metric-labels-allowlist?)',
      });
      continue;
    }
    const app = apps.get(pod.app) ?? { drivers: [], executors: [] };
    apps.set(pod.app, app);
    (pod.role === 'driver' ? app.drivers : app.executors).push(pod);
  }
  const jobs: TraceJob[] = [];
  let defaultQueue = 0;
  for (const [app, { drivers, executors }] of apps) {
    const job = buildJob(app, drivers, executors, o);
    if (typeof job === 'string') skipped.push({ where: `app ${app}`, reason: job });
    else {
      jobs.push(job);
      if (![...drivers, ...executors].some((p) => p.queue)) defaultQueue++;
    }
  }
  jobs.sort((a, b) => a.submitTime - b.submitTime || a.app.localeCompare(b.app));
  const found = {
    pods: pods.length,
    driverPods: pods.filter((p) => p.role === 'driver').length,
    executorPods: pods.filter((p) => p.role === 'executor').length,
    applications: apps.size,
    jobs: jobs.length,
    inDefaultQueue: defaultQueue,
  };
  return { jobs, skipped, found };
}
