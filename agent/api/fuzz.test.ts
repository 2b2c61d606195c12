/**
 * Property: whatever a client sends, to whichever route, the API answers with a 4xx/2xx in the
 * common error shape, never a 500 nor a crash, and a refused request leaves the store exactly as
 * it was (every table compared before and after).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, READ, WRITE, type ApiHarness } from '../../test/fakes/api-harness.js';
import { flatForecast } from '../../test/fakes/fake-agent-view.js';
import { dumpDatabase } from '../../test/fakes/temp-store.js';

let h: ApiHarness;
let ids: string[] = [];

beforeAll(async () => {
  h = apiHarness({ rateLimit: { max: 1_000_000, windowMs: 60_000 } });
  h.agent.forecasts.set('spark-executor', (horizon) => flatForecast(h.clock.now(), horizon, 7));
  const seed = [
    { group: 'spark-executor', kind: 'floor', value: 4, reason: 'seed' },
    {
      group: 'spark-executor',
      kind: 'ceiling',
      value: 100,
      cron: '0 8 * * 1-5',
      durationSeconds: 3600,
      reason: 'seed',
    },
    { group: 'spark-driver', kind: 'forecast-off', reason: 'seed', end: '2024-04-01T00:00:00Z' },
  ];
  for (const payload of seed) {
    const res = await h.inject({ method: 'POST', url: '/api/v1/overrides', headers: WRITE, payload });
    ids.push(res.json().id);
  }
  const gone = await h.inject({
    method: 'POST',
    url: '/api/v1/overrides',
    headers: WRITE,
    payload: { ...seed[0], value: 3 },
  });
  await h.inject({ method: 'DELETE', url: `/api/v1/overrides/${gone.json().id}`, headers: WRITE });
  ids = [...ids, gone.json().id];
  h.store.recordDecisions([
    { at: h.clock.now(), group: 'spark-executor', from: 2, to: 4, reasons: [], outcome: 'applied' },
  ]);
});
afterAll(async () => {
  await h.close();
});

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '%zz',
    '..',
    '../..',
    '\u0000',
    '💥',
    'null',
    '-1',
    '1e309',
    '9'.repeat(40),
    'NaN',
    '[]',
    '{}',
  ),
);
const segment = fc.oneof(fc.constantFrom('spark-executor', 'spark-driver', 'nope'), fc.constant('ID'), nasty);
const path = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      '/api/v1/nodegroups',
      '/api/v1/nodegroups/:x',
      '/api/v1/nodegroups/:x/forecast',
      '/api/v1/nodegroups/:x/history',
      '/',
      '/api/v1/decisions',
      '/api/v1/overrides',
      '/api/v1/overrides/:x',
      '/healthz',
      '/readyz',
      '/metrics',
    ),
  },
  { weight: 1, arbitrary: nasty.map((s) => `/api/v1/${s}`) },
);
const queryKey = fc.oneof(fc.constantFrom('group', 'since', 'limit', 'cursor', 'horizon', 'status'), nasty);
const queryValue = fc.oneof(
  nasty,
  fc.constantFrom(
    '30m',
    '2h',
    '0',
    '100',
    '1001',
    'active',
    'all',
    'current',
    '2024-03-04T00:00:00Z',
    'bm9wZQ',
  ),
  fc.integer().map(String),
);
const query = fc
  .array(fc.tuple(queryKey, queryValue, fc.boolean()), { maxLength: 4 })
  .map((pairs) =>
    pairs
      .map(
        ([k, v, raw]) => `${encodeURIComponent(k)}=${raw ? v.replace(/[#&\s]/g, '') : encodeURIComponent(v)}`,
      )
      .join('&'),
  );
const validBody = {
  group: 'spark-executor',
  kind: 'floor',
  value: 5,
  start: '2024-03-05T00:00:00Z',
  end: '2024-03-06T00:00:00Z',
  cron: '0 8 * * *',
  durationSeconds: 600,
  reason: 'fuzz',
};
const mutatedBody = fc
  .tuple(
    fc.subarray(Object.keys(validBody)),
    fc.dictionary(
      fc.constantFrom(...Object.keys(validBody), 'createdBy', 'id', '__proto__', 'constructor'),
      fc.jsonValue({ maxDepth: 2 }),
      {
        maxKeys: 3,
      },
    ),
  )
  .map(([keep, extra]) => ({
    ...Object.fromEntries(keep.map((k) => [k, validBody[k as keyof typeof validBody]])),
    ...extra,
  }));
const body = fc.oneof(
  mutatedBody.map((b) => JSON.stringify(b)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('{"__proto__":{"x":1}}', '{"value":1e400}', '[', '{"a":'.repeat(200), 'x'.repeat(70_000)),
  // Strict JSON: duplicate keys (any depth) and lone surrogates, escaped or raw.
  fc.constantFrom(
    '{"group":"spark-executor","kind":"floor","value":5,"value":6,"reason":"r"}',
    '{"group":"spark-executor","kind":"floor","value":5,"reason":"\\ud800"}',
    '{"group":"spark-executor","kind":"floor","value":5,"reason":"\ud800"}',
    '{"a":{"b":[{"c":1,"c":2}]}}',
  ),
  fc.constant(undefined),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'garbage',
  undefined,
);
const auth = fc.constantFrom<Record<string, string>>(
  WRITE,
  READ,
  {},
  { authorization: 'Bearer ' },
  { authorization: 'Bearer x\u00ff' },
);
const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE') },
  { weight: 1, arbitrary: fc.constantFrom('PUT', 'HEAD', 'OPTIONS') },
);

const anyRequest = fc.record({ method, path, segment, query, body, contentType, auth, idIndex: fc.nat() });
/** Mostly-valid writes, so that accepted requests (and conflicts) happen often too. */
const nearValidWrite = fc.record({
  method: fc.constantFrom('POST', 'PATCH', 'DELETE'),
  path: fc.constantFrom('/api/v1/overrides', '/api/v1/overrides/:x'),
  segment: fc.constant('ID'),
  query: fc.constant(''),
  body: fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .subarray(Object.keys(validBody), { minLength: 6 })
        .map((keep) =>
          JSON.stringify(Object.fromEntries(keep.map((k) => [k, validBody[k as keyof typeof validBody]]))),
        ),
    },
    { weight: 1, arbitrary: mutatedBody.map((b) => JSON.stringify(b)) },
    {
      weight: 1,
      arbitrary: fc
        .record({ value: fc.integer({ min: -5, max: 300 }), reason: fc.string({ maxLength: 5 }) })
        .map((b) => JSON.stringify(b)),
    },
  ),
  contentType: fc.constant('application/json'),
  auth: fc.constant<Record<string, string>>(WRITE),
  idIndex: fc.nat(),
});
const request = fc.oneof({ weight: 4, arbitrary: anyRequest }, { weight: 1, arbitrary: nearValidWrite });

describe('API fuzz', () => {
  it('never answers 5xx, always in the error shape, and refused requests change nothing', async () => {
    let before = dumpDatabase(h.store.path);
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const seg = r.segment === 'ID' ? ids[r.idIndex % ids.length]! : encodeURIComponent(r.segment);
        const url = `${r.path.replace(':x', seg)}${r.query ? `?${r.query}` : ''}`;
        const headers: Record<string, string> = { ...r.auth };
        if (r.contentType) headers['content-type'] = r.contentType;
        const res = await h.inject({
          method: r.method as 'GET',
          url,
          headers,
          ...(r.body === undefined ? {} : { payload: r.body }),
        });
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, `${r.method} ${url}: ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400 && r.method !== 'HEAD') {
          const err = res.json();
          expect(Object.keys(err).sort()).toEqual(['error', 'field', 'message']);
          expect(typeof err.message).toBe('string');
        }
        const after = dumpDatabase(h.store.path);
        if (res.statusCode >= 300)
          expect(after, `${r.method} ${url} ${res.statusCode} changed the store`).toEqual(before);
        before = after;
      }),
      { numRuns: 2000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    if (process.env.FUZZ_VERBOSE) console.log([...seen].sort((a, b) => a[0] - b[0]));
    // The generator reaches both outcomes: accepted writes and every kind of refusal.
    for (const status of [200, 201, 400, 401, 403, 404, 409, 413, 415])
      expect(seen.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  });

  it('refuses a duplicate key or a lone surrogate anywhere in a body, naming the path, on every write route', async () => {
    const key = fc.constantFrom('group', 'kind', 'value', 'reason', 'end');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'PATCH'),
        fc.oneof(
          key.map((k) => ({ kind: 'dup' as const, k })),
          fc
            .constantFrom('\\ud800', '\\udfff', '\\ud83d', 'x\\udc00y')
            .map((sur) => ({ kind: 'sur' as const, sur })),
        ),
        fc.nat(),
        async (method, bad, i) => {
          const base = JSON.stringify({
            ...validBody,
            start: undefined,
            cron: undefined,
            durationSeconds: undefined,
          });
          const payload =
            bad.kind === 'dup'
              ? base.replace(
                  /}$/,
                  `,"${bad.k}":${JSON.stringify((validBody as Record<string, unknown>)[bad.k] ?? 'x')}}`,
                )
              : base.replace('"fuzz"', `"${bad.sur}"`);
          const url = method === 'POST' ? '/api/v1/overrides' : `/api/v1/overrides/${ids[i % ids.length]}`;
          const before = dumpDatabase(h.store.path);
          const res = await h.inject({
            method,
            url,
            headers: { ...WRITE, 'content-type': 'application/json' },
            payload,
          });
          expect(res.statusCode, res.body).toBe(400);
          const err = res.json();
          expect(err.field).toBe(bad.kind === 'dup' ? `body.${bad.k}` : 'body.reason');
          expect(dumpDatabase(h.store.path)).toEqual(before);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('PATCH refuses what POST refuses: an end at or before now', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 400 * 86_400 }), fc.nat(), async (secondsAgo, i) => {
        const end = new Date(h.clock.now() - secondsAgo * 1000).toISOString();
        const post = await h.inject({
          method: 'POST',
          url: '/api/v1/overrides',
          headers: WRITE,
          payload: { group: 'spark-executor', kind: 'floor', value: 5, end, reason: 'r' },
        });
        const live = ids.slice(0, 3);
        const patch = await h.inject({
          method: 'PATCH',
          url: `/api/v1/overrides/${live[i % live.length]}`,
          headers: WRITE,
          payload: { end },
        });
        for (const res of [post, patch]) {
          expect(res.statusCode, res.body).toBe(400);
          expect(res.json().field).toBe('body.end');
        }
      }),
      { numRuns: 100 },
    );
  });
});
