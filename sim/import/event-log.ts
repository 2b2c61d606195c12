/**
 * Rebuilds a workload trace from Spark event logs. Per application: submit time from
 * SparkListenerApplicationStart, executor sizes from the Spark properties in
 * SparkListenerEnvironmentUpdate (derived as Spark on Kubernetes sizes pods, agent/state/
 * spark-app-resources.ts), executor count and run time from SparkListenerExecutorAdded/Removed and
 * SparkListenerApplicationEnd. Event and field names are Spark's (JsonProtocol).
 */
import { sparkAppResources } from '../../agent/state/spark-app-resources.js';
import type { TraceJob } from '../trace-types.js';
import { findEventLogs, type EventLogSource } from './event-log-read.js';
import type { ImportProgress, ImportResult, ImportSkip } from './types.js';

export interface EventLogImportOptions {
  readonly paths: readonly string[];
  /** Queue of applications whose properties name none. Default `default`. */
  readonly defaultQueue?: string;
}

/** Events this importer reads; every other SparkListener event is counted and ignored. */
const READ = new Set([
  'SparkListenerApplicationStart',
  'SparkListenerApplicationEnd',
  'SparkListenerEnvironmentUpdate',
  'SparkListenerExecutorAdded',
  'SparkListenerExecutorRemoved',
]);

interface AppEvents {
  id?: string;
  name?: string;
  start?: number;
  end?: number;
  properties: Record<string, string>;
  /** [time, +1 added / -1 removed] in file order. */
  executorEvents: [number, number][];
}

interface Counts {
  events: number;
  ignored: number;
  unknown: number;
  malformed: number;
  truncated: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Spark 3 writes properties as [[key, value], ...]; older writers as an object. */
function properties(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const pair of raw)
      if (Array.isArray(pair) && pair.length === 2) out[String(pair[0])] = String(pair[1]);
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) out[k] = String(v);
  }
  return out;
}

function readEvents(source: EventLogSource, counts: Counts, skipped: ImportSkip[]): AppEvents {
  const app: AppEvents = { properties: {}, executorEvents: [] };
  const live = new Set<string>();
  for (const { file, text } of source.parts) {
    const lines = text.split('\n');
    const endsCleanly = text.endsWith('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        const last = i === lines.length - 1 && !endsCleanly;
        if (last) counts.truncated++;
        else counts.malformed++;
        skipped.push({
          where: `${file}:${i + 1}`,
          reason: last ? 'truncated last line (file cut mid-write)' : 'not a JSON event line',
        });
        return;
      }
      counts.events++;
      const kind = String(event.Event ?? '');
      if (!READ.has(kind)) {
        counts.ignored++;
        if (!kind.startsWith('SparkListener') && !kind.startsWith('org.apache.spark.')) counts.unknown++;
        return;
      }
      const t = num(event.Timestamp);
      if (kind === 'SparkListenerApplicationStart') {
        app.start = t;
        app.name = typeof event['App Name'] === 'string' ? event['App Name'] : undefined;
        app.id = typeof event['App ID'] === 'string' ? event['App ID'] : undefined;
      } else if (kind === 'SparkListenerApplicationEnd') app.end = t;
      else if (kind === 'SparkListenerEnvironmentUpdate')
        app.properties = properties(event['Spark Properties']);
      else if (t !== undefined) {
        const id = String(event['Executor ID']);
        if (kind === 'SparkListenerExecutorAdded' && !live.has(id)) {
          live.add(id);
          app.executorEvents.push([t, 1]);
        } else if (kind === 'SparkListenerExecutorRemoved' && live.delete(id))
          app.executorEvents.push([t, -1]);
      }
    });
  }
  return app;
}

/** Peak concurrent executors and when that peak was first reached. */
function peakOf(events: readonly [number, number][]): { peak: number; at: number } {
  const sorted = [...events].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let peak = 0;
  let at = Number.NaN;
  for (const [t, delta] of sorted) {
    running += delta;
    if (running > peak) [peak, at] = [running, t];
  }
  return { peak, at };
}

function toJob(app: AppEvents, source: string, defaultQueue: string, skipped: ImportSkip[]): TraceJob | null {
  const where = `app ${app.id ?? app.name ?? '?'} (${source})`;
  const skip = (reason: string) => (skipped.push({ where, reason }), null);
  if (app.start === undefined) return skip('no SparkListenerApplicationStart');
  if (app.end === undefined)
    return skip('no SparkListenerApplicationEnd: still running or the log is incomplete');
  const { peak, at } = peakOf(app.executorEvents);
  if (peak === 0) return skip('no executor was ever added');
  const problems: string[] = [];
  const resources = sparkAppResources({ sparkConf: app.properties }, 'Spark Properties', problems);
  if (problems.length > 0) return skip(problems.join('; '));
  const queue =
    resources.queue ??
    app.properties['spark.kubernetes.executor.label.queue'] ??
    app.properties['spark.yarn.queue'];
  return {
    submitTime: app.start,
    app: app.id ?? app.name!,
    queue: queue ?? defaultQueue,
    driverCpu: resources.driver.cpu,
    driverMemoryBytes: resources.driver.memoryBytes,
    executors: peak,
    executorCpu: resources.executor.cpu,
    executorMemoryBytes: resources.executor.memoryBytes,
    // Run time once the peak is reached; an app that reached it late is measured from then.
    durationSeconds: Math.max(1, (app.end - at) / 1000),
  };
}

export function importFromEventLogs(options: EventLogImportOptions, progress?: ImportProgress): ImportResult {
  const skipped: ImportSkip[] = [];
  const sources = findEventLogs(options.paths, skipped);
  const counts: Counts = { events: 0, ignored: 0, unknown: 0, malformed: 0, truncated: 0 };
  const jobs: TraceJob[] = [];
  const names = new Set<string>();
  sources.forEach((source, i) => {
    const app = readEvents(source, counts, skipped);
    const job = toJob(app, source.name, options.defaultQueue ?? 'default', skipped);
    if (job && names.has(job.app))
      skipped.push({ where: source.name, reason: `duplicate application ${job.app}` });
    else if (job) {
      names.add(job.app);
      jobs.push(job);
    }
    progress?.(i + 1, sources.length);
  });
  jobs.sort((a, b) => a.submitTime - b.submitTime);
  return {
    jobs,
    found: {
      logs: sources.length,
      events: counts.events,
      eventsIgnored: counts.ignored,
      eventsUnknown: counts.unknown,
      malformedLines: counts.malformed,
      truncatedLines: counts.truncated,
      jobs: jobs.length,
    },
    skipped,
  };
}
