/**
 * A synthetic but realistic Spark workload (see docs/trace-format.md, "generate-trace"):
 * - daily cycle: ad hoc and ML work follows office hours (08:30-18:00 UTC), quiet at night;
 * - weekly cycle: weekends carry a quarter of the weekday ad hoc / ML load and no backfills;
 * - scheduled jobs: an ETL batch every day at 02:00 UTC and a handful of jobs every hour at :05;
 * - ad hoc and ML jobs arrive as a Poisson process whose rate follows both cycles;
 * - backfills: on some weekdays, one large job with many executors.
 * Sized so the default config's executor group (max 200 nodes of 16 cpu / 128 GiB) peaks around
 * 60-80% of max on weekday afternoons. Deterministic for a seed.
 */
import { Random } from './rng.js';
import { GiB, type TraceJob } from './trace-types.js';

export interface GenerateTraceOptions {
  readonly days: number;
  readonly seed: number;
  /** Epoch ms of the first day (midnight UTC recommended); default 2024-01-01T00:00Z, a Monday. */
  readonly start?: number;
}

export const DEFAULT_TRACE_START = Date.UTC(2024, 0, 1);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Draft = Omit<TraceJob, 'app'> & { readonly kind: string };

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Relative load at an hour of day (0..24, UTC): office hours ~1, nights ~0.05. */
export function dailyProfile(hourOfDay: number): number {
  return 0.05 + 0.95 * sigmoid((hourOfDay - 8.5) / 0.7) * sigmoid((18 - hourOfDay) / 0.9);
}

/** Relative load of a day of week (0 = Sunday): weekends a quarter of weekdays. */
export function weeklyProfile(dayOfWeek: number): number {
  return dayOfWeek === 0 || dayOfWeek === 6 ? 0.25 : 1;
}

function cycle(time: number): number {
  const date = new Date(time);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  return dailyProfile(hour) * weeklyProfile(date.getUTCDay());
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Seconds from a log-normal with this median, clamped to [min, max]. */
function duration(
  rng: Random,
  medianMinutes: number,
  sigma: number,
  minMinutes: number,
  maxMinutes: number,
): number {
  return Math.round(clamp(rng.logNormal(Math.log(medianMinutes), sigma), minMinutes, maxMinutes) * 60);
}

function job(
  kind: string,
  queue: string,
  submitTime: number,
  parts: {
    driver: [number, number];
    executors: number;
    executor: [number, number];
    durationSeconds: number;
  },
): Draft {
  return {
    kind,
    queue,
    submitTime: Math.round(submitTime / 1000) * 1000,
    driverCpu: parts.driver[0],
    driverMemoryBytes: parts.driver[1] * GiB,
    executors: parts.executors,
    executorCpu: parts.executor[0],
    executorMemoryBytes: parts.executor[1] * GiB,
    durationSeconds: parts.durationSeconds,
  };
}

function dailyEtl(rng: Random, dayStart: number): Draft[] {
  const drafts: Draft[] = [];
  for (let i = 0; i < 10; i++) {
    drafts.push(
      job('etl-daily', 'etl', dayStart + 2 * HOUR + rng.uniform(0, 10) * MINUTE, {
        driver: [1, 4],
        executors: rng.int(12, 36),
        executor: [4, 28],
        durationSeconds: duration(rng, 50, 0.35, 20, 120),
      }),
    );
  }
  return drafts;
}

function hourlyEtl(rng: Random, dayStart: number): Draft[] {
  const drafts: Draft[] = [];
  for (let hour = 0; hour < 24; hour++) {
    for (let i = 0; i < 8; i++) {
      drafts.push(
        job('etl-hourly', 'etl', dayStart + hour * HOUR + (5 + rng.uniform(0, 2)) * MINUTE, {
          driver: [1, 4],
          executors: rng.int(4, 12),
          executor: [4, 28],
          durationSeconds: duration(rng, 15, 0.3, 5, 40),
        }),
      );
    }
  }
  return drafts;
}

/** Non-homogeneous Poisson arrivals by thinning: candidates at peakPerHour, kept with prob cycle(t). */
function arrivals(rng: Random, from: number, to: number, peakPerHour: number): number[] {
  const times: number[] = [];
  for (let t = from + rng.exponential(peakPerHour) * HOUR; t < to; t += rng.exponential(peakPerHour) * HOUR) {
    if (rng.float() < cycle(t)) times.push(t);
  }
  return times;
}

function adhoc(rng: Random, from: number, to: number): Draft[] {
  return arrivals(rng, from, to, 50).map((t) => {
    const small = rng.float() < 0.3;
    return job('adhoc', 'adhoc', t, {
      driver: [1, 4],
      executors: Math.round(clamp(rng.logNormal(Math.log(6), 0.7), 2, 48)),
      executor: small ? [2, 14] : [4, 28],
      durationSeconds: duration(rng, 12, 0.8, 1, 180),
    });
  });
}

function ml(rng: Random, from: number, to: number): Draft[] {
  return arrivals(rng, from, to, 3).map((t) =>
    job('ml', 'ml', t, {
      driver: [2, 8],
      executors: rng.int(8, 24),
      executor: [8, 56],
      durationSeconds: duration(rng, 45, 0.5, 15, 180),
    }),
  );
}

function backfills(rng: Random, dayStart: number): Draft[] {
  if (weeklyProfile(new Date(dayStart).getUTCDay()) < 1 || rng.float() >= 0.35) return [];
  return [
    job('backfill', 'backfill', dayStart + rng.uniform(9, 15) * HOUR, {
      driver: [2, 8],
      executors: rng.int(100, 180),
      executor: [4, 28],
      durationSeconds: duration(rng, 100, 0.4, 60, 180),
    }),
  ];
}

/**
 * The generator's scheduled jobs (the daily and hourly ETL: cron jobs an operator knows in
 * advance); ad hoc, ML and backfill jobs arrive unannounced.
 */
export function isScheduledJob(job: Pick<TraceJob, 'app'>): boolean {
  return /^etl-(daily|hourly)-\d+$/.test(job.app);
}

export function generateTrace(options: GenerateTraceOptions): TraceJob[] {
  const start = options.start ?? DEFAULT_TRACE_START;
  const root = new Random(options.seed);
  const streams = {
    etl: root.fork('etl-daily'),
    hourly: root.fork('etl-hourly'),
    adhoc: root.fork('adhoc'),
    ml: root.fork('ml'),
    backfill: root.fork('backfill'),
  };
  const drafts: Draft[] = [];
  for (let day = 0; day < options.days; day++) {
    const dayStart = start + day * DAY;
    drafts.push(...dailyEtl(streams.etl, dayStart), ...hourlyEtl(streams.hourly, dayStart));
    drafts.push(...backfills(streams.backfill, dayStart));
  }
  const end = start + options.days * DAY;
  drafts.push(...adhoc(streams.adhoc, start, end), ...ml(streams.ml, start, end));
  const counters = new Map<string, number>();
  return drafts
    .filter((d) => d.submitTime < end)
    .sort((a, b) => a.submitTime - b.submitTime || a.kind.localeCompare(b.kind))
    .map(({ kind, ...rest }) => {
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      return { ...rest, app: `${kind}-${String(n).padStart(5, '0')}` };
    });
}
