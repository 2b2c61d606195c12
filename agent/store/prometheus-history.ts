/**
 * Demand history from Prometheus (or anything with its HTTP API: Thanos, Mimir, VictoriaMetrics).
 * On start with `history.source: prometheus` the agent backfills from its own exported demand
 * metric with /api/v1/query_range, in chunks of at most 11,000 points (Prometheus's limit per
 * series per request). Times are aligned to the step, so points land where the agent samples.
 */
import { catalog } from '../telemetry/catalog.js';
import type { HistoryPoint } from './history-repo.js';
import type { Store } from './store.js';

export const DEMAND_METRIC = catalog.groupDemand.name;
export const DEMAND_GROUP_LABEL = 'group';
/** Prometheus refuses query_range results of more than 11,000 points per series. */
export const MAX_POINTS_PER_REQUEST = 11_000;

export interface BackfillOptions {
  /** Base URL of the query API, e.g. http://prometheus:9090 or https://mimir/prometheus. */
  readonly url: string;
  /** PromQL returning one series per group; default `max by (<groupLabel>) (<metric>)`. */
  readonly query?: string;
  /** Default nodecast_group_demand_nodes (from the metrics catalog). */
  readonly metric?: string;
  /** The label naming the group; default `group`. */
  readonly groupLabel?: string;
  /** Epoch ms, inclusive. */
  readonly start: number;
  readonly end: number;
  readonly stepSeconds: number;
  readonly fetch?: typeof fetch;
  /** Extra request headers, e.g. Authorization or Mimir's X-Scope-OrgID. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request (default 30 s). */
  readonly timeoutMs?: number;
  readonly maxPointsPerRequest?: number;
}

export class PrometheusHistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusHistoryError';
  }
}

interface QueryRangeResponse {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][] }[] };
}

function checkOptions(o: BackfillOptions): void {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new PrometheusHistoryError(`history.prometheusUrl: not a URL: ${JSON.stringify(o.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PrometheusHistoryError(`history.prometheusUrl: must be http(s), got ${url.protocol}`);
  }
  if (!(o.stepSeconds > 0) || !Number.isFinite(o.stepSeconds))
    throw new PrometheusHistoryError(`stepSeconds must be positive, got ${o.stepSeconds}`);
  if (!Number.isFinite(o.start) || !Number.isFinite(o.end) || o.end < o.start) {
    throw new PrometheusHistoryError(`backfill range is empty or invalid: start ${o.start}, end ${o.end}`);
  }
}

function describeFailure(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as QueryRangeResponse;
    if (body.errorType || body.error)
      return `HTTP ${status} (${body.errorType ?? 'error'}): ${body.error ?? ''}`.trim();
  } catch {
    // not JSON: a proxy's page, say
  }
  return `HTTP ${status}: ${text.slice(0, 200).trim() || 'empty body'}`;
}

async function queryRange(
  o: BackfillOptions,
  query: string,
  startS: number,
  endS: number,
): Promise<QueryRangeResponse> {
  const endpoint = `${o.url.replace(/\/+$/, '')}/api/v1/query_range`;
  const form = new URLSearchParams({
    query,
    start: String(startS),
    end: String(endS),
    step: String(o.stepSeconds),
  });
  const doFetch = o.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        ...o.headers,
      },
      body: form.toString(),
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const e = err as Error;
    const why = e.name === 'TimeoutError' ? `timed out after ${(o.timeoutMs ?? 30_000) / 1000}s` : e.message;
    throw new PrometheusHistoryError(`cannot reach Prometheus at ${endpoint}: ${why}`);
  }
  const text = await res.text();
  const where = `Prometheus query_range ${endpoint} [${new Date(startS * 1000).toISOString()}, ${new Date(endS * 1000).toISOString()}]`;
  if (!res.ok) throw new PrometheusHistoryError(`${where} failed: ${describeFailure(res.status, text)}`);
  let body: QueryRangeResponse;
  try {
    body = JSON.parse(text) as QueryRangeResponse;
  } catch {
    throw new PrometheusHistoryError(`${where}: response is not JSON: ${text.slice(0, 200)}`);
  }
  if (body.status !== 'success')
    throw new PrometheusHistoryError(`${where} failed: ${describeFailure(res.status, text)}`);
  if (body.data?.resultType !== 'matrix') {
    throw new PrometheusHistoryError(
      `${where}: expected a matrix result, got ${body.data?.resultType ?? 'none'}`,
    );
  }
  return body;
}

/** The chunks [startS, endS] (seconds, step-aligned) covering the range, each within the point limit. */
export function chunkRange(
  startMs: number,
  endMs: number,
  stepSeconds: number,
  maxPoints = MAX_POINTS_PER_REQUEST,
): [number, number][] {
  const first = Math.ceil(startMs / 1000 / stepSeconds) * stepSeconds;
  const last = Math.floor(endMs / 1000 / stepSeconds) * stepSeconds;
  const span = (maxPoints - 1) * stepSeconds;
  const out: [number, number][] = [];
  for (let s = first; s <= last; s += span + stepSeconds) out.push([s, Math.min(s + span, last)]);
  return out;
}

/** Each group's demand series over [start, end], oldest first. */
export async function backfillFromPrometheus(o: BackfillOptions): Promise<Map<string, HistoryPoint[]>> {
  checkOptions(o);
  const label = o.groupLabel ?? DEMAND_GROUP_LABEL;
  const query = o.query ?? `max by (${label}) (${o.metric ?? DEMAND_METRIC})`;
  const byGroup = new Map<string, Map<number, number>>();
  for (const [s, e] of chunkRange(o.start, o.end, o.stepSeconds, o.maxPointsPerRequest)) {
    const body = await queryRange(o, query, s, e);
    for (const series of body.data?.result ?? []) {
      const group = series.metric?.[label];
      if (!group) continue; // a series without the group label cannot be attributed
      const points = byGroup.get(group) ?? new Map<number, number>();
      byGroup.set(group, points);
      for (const [ts, v] of series.values ?? []) {
        const value = Number(v);
        if (Number.isFinite(value)) points.set(Math.round(ts * 1000), value);
      }
    }
  }
  return new Map(
    [...byGroup].map(([g, pts]) => [
      g,
      [...pts].sort((a, b) => a[0] - b[0]).map(([t, value]) => ({ t, value })),
    ]),
  );
}

/** Writes a backfill into the store (replacing samples at the same times); returns the count. */
export function importHistory(
  store: Pick<Store, 'appendHistoryMany'>,
  series: ReadonlyMap<string, readonly HistoryPoint[]>,
): number {
  const rows = [...series].flatMap(([group, pts]) => pts.map((p) => ({ group, t: p.t, value: p.value })));
  store.appendHistoryMany(rows);
  return rows.length;
}
