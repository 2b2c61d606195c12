/**
 * A Spark workload whose executor demand follows a real time series (../shared/data: cluster
 * CPU, taxi passengers, job submissions...): the series is scaled so its peak asks for about
 * `peakExecutorNodes` executor nodes, and jobs arrive as a Poisson process whose rate follows it,
 * so the running executors track the series' shape with the noise real arrivals have. Used to
 * test the forecaster and the policies on cycles nobody designed. Deterministic for a seed.
 */
import { Random } from './rng.js';
import { GiB, type TraceJob } from './trace-types.js';

export interface SeriesPoint {
  readonly t: number;
  readonly value: number;
}

export interface SeriesTraceOptions {
  readonly seed: number;
  /**
   * Executor nodes (16 cpu / 128 GiB) the series' peak asks for. Default 80: every job goes to the
   * `etl` queue, whose default quota (1600 cpu) is 100 such nodes with the drivers' share; a peak
   * past the quota queues jobs under every policy, static included, and measures nothing.
   */
  readonly peakExecutorNodes?: number;
  /** Only steps in [from, to) (epoch ms); default the whole series. */
  readonly from?: number;
  readonly to?: number;
}

const HOUR = 3_600_000;
/** Executors of 4 cpu / 28 GiB per default executor node (16 cpu / 128 GiB). */
const EXECUTORS_PER_NODE = 4;
const MEDIAN_MINUTES = 20;
const SIGMA = 0.5;
const MIN_EXECUTORS = 4;
const MAX_EXECUTORS = 16;

/** Parses `timestamp,value` CSV (the ../shared/data format); rows that do not parse are skipped. */
export function parseSeries(text: string): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [stamp, raw] = line.split(',');
    const t = Date.parse(stamp ?? '');
    const value = Number(raw);
    if (Number.isFinite(t) && Number.isFinite(value)) points.push({ t, value: Math.max(0, value) });
  }
  return points.sort((a, b) => a.t - b.t);
}

export function traceFromSeries(points: readonly SeriesPoint[], options: SeriesTraceOptions): TraceJob[] {
  const rng = new Random(options.seed);
  const peak = points.reduce((max, p) => Math.max(max, p.value), 0);
  if (peak <= 0) return [];
  const nodesAtPeak = options.peakExecutorNodes ?? 80;
  // Running executors = arrival rate x executors per job x mean duration (Little's law).
  const meanExecutors = (MIN_EXECUTORS + MAX_EXECUTORS) / 2;
  const meanHours = (MEDIAN_MINUTES * Math.exp((SIGMA * SIGMA) / 2)) / 60;
  const jobs: TraceJob[] = [];
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  for (let i = 0; i < points.length; i++) {
    const { t, value } = points[i]!;
    // A step lasts until the next point (a gap keeps the last value, as a real cluster would).
    const end = Math.min(points[i + 1]?.t ?? t + HOUR, t + 6 * HOUR);
    if (end <= from || t >= to) continue;
    const executors = (value / peak) * nodesAtPeak * EXECUTORS_PER_NODE;
    const perHour = executors / (meanExecutors * meanHours);
    if (perHour <= 0) continue;
    for (let at = t + rng.exponential(perHour) * HOUR; at < end; at += rng.exponential(perHour) * HOUR) {
      if (at < from || at >= to) continue;
      const minutes = Math.min(60, Math.max(5, rng.logNormal(Math.log(MEDIAN_MINUTES), SIGMA)));
      jobs.push({
        submitTime: Math.round(at / 1000) * 1000,
        app: `series-${String(jobs.length + 1).padStart(6, '0')}`,
        queue: 'etl',
        driverCpu: 1,
        driverMemoryBytes: 4 * GiB,
        executors: rng.int(MIN_EXECUTORS, MAX_EXECUTORS),
        executorCpu: 4,
        executorMemoryBytes: 28 * GiB,
        durationSeconds: Math.round(minutes * 60),
      });
    }
  }
  return jobs;
}
