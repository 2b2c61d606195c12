/**
 * importFromPrometheus failing clearly: a fake Prometheus API (a fetch function) answers each
 * request; every error must name the endpoint and the query, and an import that finds no Spark
 * pods must say whether kube-state-metrics is missing or only its pod labels.
 */
import { describe, expect, it } from 'vitest';
import { importFromPrometheus, PrometheusImportError, type PrometheusImportOptions } from './prometheus.js';

interface Request {
  readonly path: string;
  readonly form: URLSearchParams;
}
type Answer = { status: number; body: string } | 'hang';
type Handler = (request: Request) => Answer;

const success = (data: unknown): Answer => ({
  status: 200,
  body: JSON.stringify({ status: 'success', data }),
});
const vector = (result: unknown[]) => success({ resultType: 'vector', result });
const matrix = (result: unknown[]) => success({ resultType: 'matrix', result });
/** An empty but healthy Prometheus: no series, empty vectors and matrices. */
const empty: Handler = (r) =>
  r.path === '/api/v1/series' ? success([]) : r.path === '/api/v1/query_range' ? matrix([]) : vector([]);

function fakePrometheus(handler: Handler): { fetch: typeof fetch; requests: Request[] } {
  const requests: Request[] = [];
  const fake = async (input: string | URL | globalThis.Request, init?: RequestInit): Promise<Response> => {
    const request = { path: new URL(String(input)).pathname, form: new URLSearchParams(String(init?.body)) };
    requests.push(request);
    const answer = handler(request);
    if (answer === 'hang') {
      // Like a server that never answers: only the caller's timeout ends the wait.
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)),
      );
    }
    return new Response(answer.body, { status: answer.status });
  };
  return { fetch: fake as typeof fetch, requests };
}

const HOUR = 3_600_000;
const options = (
  fakeFetch: typeof fetch,
  extra: Partial<PrometheusImportOptions> = {},
): PrometheusImportOptions => ({
  url: 'http://prom.example:9090/',
  start: Date.UTC(2024, 0, 1),
  end: Date.UTC(2024, 0, 1) + 6 * HOUR,
  stepSeconds: 60,
  fetch: fakeFetch,
  ...extra,
});

async function importError(opts: PrometheusImportOptions): Promise<PrometheusImportError> {
  const err = await importFromPrometheus(opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PrometheusImportError);
  return err as PrometheusImportError;
}

describe('importFromPrometheus errors', () => {
  it('names the endpoint, the matcher and the HTTP status of a failed request', async () => {
    const prom = fakePrometheus(() => ({ status: 503, body: 'upstream connect error' }));
    const err = await importError(options(prom.fetch));
    expect(err.message).toContain('http://prom.example:9090/api/v1/series');
    expect(err.message).toContain('kube_pod_labels{label_spark_role=~"driver|executor"}');
    expect(err.message).toContain('HTTP 503: upstream connect error');
  });

  it("reports Prometheus's own error for a rejected query, with the query", async () => {
    const prom = fakePrometheus((r) =>
      r.path === '/api/v1/query'
        ? {
            status: 422,
            body: JSON.stringify({
              status: 'error',
              errorType: 'execution',
              error: 'query processing would load too many samples',
            }),
          }
        : success([]),
    );
    const err = await importError(options(prom.fetch));
    expect(err.message).toContain('http://prom.example:9090/api/v1/query');
    expect(err.message).toContain('kube_pod_container_resource_requests');
    expect(err.message).toContain('HTTP 422 (execution): query processing would load too many samples');
  });

  it('rejects a 200 answer whose status is error, or that is not JSON', async () => {
    const statusError = fakePrometheus(() => ({
      status: 200,
      body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' }),
    }));
    expect((await importError(options(statusError.fetch))).message).toContain(
      '(bad_data): parse error at char 3',
    );
    const html = fakePrometheus(() => ({ status: 200, body: '<html>login</html>' }));
    expect((await importError(options(html.fetch))).message).toMatch(
      /api\/v1\/series .*not JSON: <html>login/,
    );
  });

  it('gives up on a request that does not answer in time, naming it', async () => {
    const prom = fakePrometheus((r) => (r.path === '/api/v1/query' ? 'hang' : success([])));
    const err = await importError(options(prom.fetch, { timeoutMs: 50 }));
    expect(err.message).toMatch(
      /api\/v1\/query \(query .*kube_pod_container_resource_requests.*timed out after 50 ms/,
    );
  });

  it('says when there is no kube-state-metrics data at all', async () => {
    const prom = fakePrometheus(empty);
    const err = await importError(options(prom.fetch));
    expect(err.message).toMatch(/no kube_pod_labels series in Prometheus http:\/\/prom.example:9090 between/);
    expect(err.message).toContain('is kube-state-metrics scraped by this Prometheus');
  });

  it('says to allow the Spark pod labels when pods exist but none is a Spark pod', async () => {
    const prom = fakePrometheus((r) =>
      r.path === '/api/v1/query_range'
        ? matrix([
            {
              metric: {},
              values: [
                [0, '37'],
                [60, '412'],
                [120, '5'],
              ],
            },
          ])
        : empty(r),
    );
    const err = await importError(options(prom.fetch, { queueLabel: 'yunikorn-queue' }));
    expect(err.message).toContain('up to 412 pods at a time in kube_pod_labels');
    expect(err.message).toContain(
      '--metric-labels-allowlist=pods=[spark-role,spark-app-selector,yunikorn-queue]',
    );
  });

  it('rejects a bad URL, step or range before sending anything', async () => {
    const prom = fakePrometheus(empty);
    expect((await importError(options(prom.fetch, { url: 'prom:9090' }))).message).toMatch(/--prometheus: /);
    expect((await importError(options(prom.fetch, { stepSeconds: 0 }))).message).toMatch(/--step: .*got 0/);
    expect((await importError(options(prom.fetch, { end: Date.UTC(2023, 0, 1) }))).message).toMatch(/range/);
    expect(prom.requests).toEqual([]);
  });
});

describe('importFromPrometheus requests', () => {
  it('reads each window with one series call and instant queries at its end, filtered by namespace', async () => {
    const prom = fakePrometheus(empty);
    await importError(options(prom.fetch, { namespace: 'spark-.*', maxPointsPerQuery: 120 }));
    const series = prom.requests.filter((r) => r.path === '/api/v1/series');
    // Six hours in windows of 120 one-minute steps.
    expect(series.map((r) => [r.form.get('start'), r.form.get('end')])).toEqual(
      [0, 1, 2].map((i) => {
        const s = Date.UTC(2024, 0, 1) / 1000 + i * 7200;
        return [String(s), String(s + 7200)];
      }),
    );
    const queries = prom.requests
      .filter((r) => r.path === '/api/v1/query')
      .map((r) => r.form.get('query') ?? '');
    expect(queries.length).toBe(3 * 7);
    expect(queries.every((q) => q.includes('namespace=~"spark-.*"'))).toBe(true);
    // The diagnosis counts pods at about a thousand instants, never over the whole range at once.
    const diagnosis = prom.requests.at(-1)!;
    expect(diagnosis.path).toBe('/api/v1/query_range');
    expect(Object.fromEntries(diagnosis.form)).toMatchObject({
      query: 'count(kube_pod_labels{namespace=~"spark-.*"})',
      step: '60',
    });
  });
});
