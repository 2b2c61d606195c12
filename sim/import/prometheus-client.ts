/**
 * The few calls of the Prometheus HTTP API the trace importer needs (/api/v1/query,
 * /api/v1/query_range and /api/v1/series), over Node's fetch, each with a timeout. Every failure names the endpoint and
 * the query, so a user can paste the query into the Prometheus UI and see the same thing.
 */

export class PrometheusImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusImportError';
  }
}

export interface PrometheusClientOptions {
  /** Base URL of the query API, e.g. http://prometheus:9090 or https://mimir/prometheus. */
  readonly url: string;
  readonly fetch?: typeof fetch;
  /** Extra request headers, e.g. Authorization or Mimir's X-Scope-OrgID. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request; default 60 s (the queries aggregate days of samples). */
  readonly timeoutMs?: number;
}

/** One series of an instant-vector result: its labels and its value. */
export interface InstantSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusClient {
  readonly url: string;
  /** Evaluates an instant-vector expression at `timeS` (epoch seconds). */
  instant(expr: string, timeS: number): Promise<InstantSample[]>;
  /** The label sets of the series matching `match` with samples in [startS, endS]. */
  series(match: string, startS: number, endS: number): Promise<Record<string, string>[]>;
  /** The largest value of a one-series expression over [startS, endS] at `stepS`, 0 when empty. */
  rangeMax(expr: string, startS: number, endS: number, stepS: number): Promise<number>;
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: unknown;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export function checkPrometheusUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PrometheusImportError(`--prometheus: not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new PrometheusImportError(`--prometheus: must be an http(s) URL, got ${JSON.stringify(url)}`);
  return url.replace(/\/+$/, '');
}

function describeFailure(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as ApiBody;
    if (body.errorType || body.error)
      return `HTTP ${status} (${body.errorType ?? 'error'}): ${body.error ?? ''}`;
  } catch {
    // not JSON: a proxy's error page, say
  }
  return `HTTP ${status}: ${text.slice(0, 200).trim() || 'empty body'}`;
}

export function createPrometheusClient(opts: PrometheusClientOptions): PrometheusClient {
  const base = checkPrometheusUrl(opts.url);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = opts.fetch ?? fetch;

  // POST with a form body: long PromQL and series matchers stay out of URL length limits.
  async function call(path: string, form: URLSearchParams, what: string): Promise<unknown> {
    const endpoint = base + path;
    const where = `Prometheus ${endpoint} (${what})`;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...opts.headers,
        },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error;
      const why =
        e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${timeoutMs} ms` : e.message;
      throw new PrometheusImportError(`${where}: request failed: ${why}`);
    }
    if (!res.ok) throw new PrometheusImportError(`${where} failed: ${describeFailure(res.status, text)}`);
    let body: ApiBody;
    try {
      body = JSON.parse(text) as ApiBody;
    } catch {
      throw new PrometheusImportError(`${where}: response is not JSON: ${text.slice(0, 200)}`);
    }
    if (body.status !== 'success')
      throw new PrometheusImportError(`${where} failed: ${describeFailure(res.status, text)}`);
    return body.data;
  }

  return {
    url: base,
    async instant(expr, timeS) {
      const what = `query ${expr} at ${new Date(timeS * 1000).toISOString()}`;
      const data = (await call(
        '/api/v1/query',
        new URLSearchParams({ query: expr, time: String(timeS) }),
        what,
      )) as { resultType?: string; result?: { metric?: Record<string, string>; value?: [number, string] }[] };
      if (data?.resultType !== 'vector' || !Array.isArray(data.result))
        throw new PrometheusImportError(
          `Prometheus ${base}/api/v1/query (${what}): expected a vector result, got ${data?.resultType ?? 'none'}`,
        );
      return data.result.map((r) => ({ labels: r.metric ?? {}, value: Number(r.value?.[1]) }));
    },
    async series(match, startS, endS) {
      const what = `series ${match} in [${new Date(startS * 1000).toISOString()}, ${new Date(endS * 1000).toISOString()}]`;
      const form = new URLSearchParams({ 'match[]': match, start: String(startS), end: String(endS) });
      const data = await call('/api/v1/series', form, what);
      if (!Array.isArray(data))
        throw new PrometheusImportError(
          `Prometheus ${base}/api/v1/series (${what}): expected a list of series`,
        );
      return data as Record<string, string>[];
    },
    async rangeMax(expr, startS, endS, stepS) {
      const what = `query_range ${expr} in [${new Date(startS * 1000).toISOString()}, ${new Date(endS * 1000).toISOString()}] step ${stepS}s`;
      const form = new URLSearchParams({
        query: expr,
        start: String(startS),
        end: String(endS),
        step: String(stepS),
      });
      const data = (await call('/api/v1/query_range', form, what)) as {
        resultType?: string;
        result?: { values?: [number, string][] }[];
      };
      if (data?.resultType !== 'matrix' || !Array.isArray(data.result))
        throw new PrometheusImportError(
          `Prometheus ${base}/api/v1/query_range (${what}): expected a matrix result, got ${data?.resultType ?? 'none'}`,
        );
      const values = data.result.flatMap((r) => r.values ?? []).map(([, v]) => Number(v));
      return Math.max(0, ...values.filter(Number.isFinite));
    },
  };
}
