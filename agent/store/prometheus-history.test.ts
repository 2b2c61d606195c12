import { describe, expect, it } from 'vitest';
import {
  backfillFromPrometheus,
  chunkRange,
  DEMAND_METRIC,
  importHistory,
  MAX_POINTS_PER_REQUEST,
} from './prometheus-history.js';
import { openTempStore } from '../../test/fakes/temp-store.js';

interface Call {
  url: string;
  params: URLSearchParams;
}

/** A fake query_range server: the value of group g at time t (seconds) is f(g, t). */
function fakePrometheus(groups: string[], f: (g: string, t: number) => number) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const params = new URLSearchParams(String(init.body));
    calls.push({ url, params });
    const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(params.get(k)));
    const result = groups.map((g) => {
      const values: [number, string][] = [];
      for (let t = start!; t <= end!; t += step!) values.push([t, String(f(g, t))]);
      return { metric: { group: g }, values };
    });
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }), {
      status: 200,
    });
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

const reply = (status: number, body: string) =>
  (async () => new Response(body, { status })) as unknown as typeof fetch;

describe('chunkRange', () => {
  it('covers the range step-aligned, each chunk within the point limit, no point twice', () => {
    const chunks = chunkRange(1_000_500, 1_000_000 + 25_000 * 60_000, 60, MAX_POINTS_PER_REQUEST);
    expect(chunks.length).toBe(3);
    const points = chunks.flatMap(([s, e]) => {
      expect((e - s) / 60 + 1).toBeLessThanOrEqual(MAX_POINTS_PER_REQUEST);
      return Array.from({ length: (e - s) / 60 + 1 }, (_, i) => s + i * 60);
    });
    expect(points[0]).toBe(1020); // first step boundary at or after the start
    expect(new Set(points).size).toBe(points.length);
    expect(points.every((p, i) => i === 0 || p - points[i - 1]! === 60)).toBe(true);
  });
});

describe('backfillFromPrometheus', () => {
  it('queries the demand metric by group in chunks and merges the series', async () => {
    const { calls, fetchFn } = fakePrometheus(['a', 'b'], (g, t) => (g === 'a' ? t / 60 : 2));
    const day = 86_400_000;
    const out = await backfillFromPrometheus({
      url: 'http://prom:9090/',
      start: 0,
      end: 14 * day,
      stepSeconds: 60,
      fetch: fetchFn,
    });
    expect(calls).toHaveLength(Math.ceil((14 * 1440 + 1) / MAX_POINTS_PER_REQUEST));
    expect(calls[0]!.url).toBe('http://prom:9090/api/v1/query_range');
    expect(calls[0]!.params.get('query')).toBe(`max by (group) (${DEMAND_METRIC})`);
    const a = out.get('a')!;
    expect(a).toHaveLength(14 * 1440 + 1);
    expect(a.every((p, i) => p.t === i * 60_000 && p.value === i)).toBe(true);
    expect(out.get('b')!.every((p) => p.value === 2)).toBe(true);
  });

  it('skips non-finite values and series without the group label', async () => {
    const body = {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { group: 'a' },
            values: [
              [60, '1'],
              [120, 'NaN'],
              [180, '+Inf'],
              [240, '3'],
            ],
          },
          { metric: {}, values: [[60, '9']] },
        ],
      },
    };
    const out = await backfillFromPrometheus({
      url: 'http://p',
      start: 60_000,
      end: 240_000,
      stepSeconds: 60,
      fetch: reply(200, JSON.stringify(body)),
    });
    expect([...out.keys()]).toEqual(['a']);
    expect(out.get('a')).toEqual([
      { t: 60_000, value: 1 },
      { t: 240_000, value: 3 },
    ]);
  });

  it.each([
    [
      reply(400, '{"status":"error","errorType":"bad_data","error":"parse error at char 4"}'),
      /HTTP 400 \(bad_data\): parse error at char 4/,
    ],
    [
      reply(422, '{"status":"error","errorType":"execution","error":"query timed out"}'),
      /HTTP 422 \(execution\): query timed out/,
    ],
    [reply(502, '<html>Bad Gateway</html>'), /HTTP 502: <html>Bad Gateway/],
    [reply(200, 'not json'), /response is not JSON/],
    [
      reply(200, '{"status":"success","data":{"resultType":"vector","result":[]}}'),
      /expected a matrix result, got vector/,
    ],
    [
      (async () => Promise.reject(new TypeError('fetch failed: ECONNREFUSED'))) as unknown as typeof fetch,
      /cannot reach Prometheus at http:\/\/p\/api\/v1\/query_range: fetch failed: ECONNREFUSED/,
    ],
  ])('names the problem (%#)', async (fetchFn, message) => {
    await expect(
      backfillFromPrometheus({ url: 'http://p', start: 0, end: 3_600_000, stepSeconds: 60, fetch: fetchFn }),
    ).rejects.toThrow(message);
  });

  it('refuses bad options before any request', async () => {
    const { calls, fetchFn } = fakePrometheus(['a'], () => 1);
    await expect(
      backfillFromPrometheus({ url: 'prom:9090', start: 0, end: 1, stepSeconds: 60, fetch: fetchFn }),
    ).rejects.toThrow(/must be http/);
    await expect(
      backfillFromPrometheus({ url: 'http://p', start: 10, end: 1, stepSeconds: 60, fetch: fetchFn }),
    ).rejects.toThrow(/range/);
    await expect(
      backfillFromPrometheus({ url: 'http://p', start: 0, end: 1, stepSeconds: 0, fetch: fetchFn }),
    ).rejects.toThrow(/stepSeconds/);
    expect(calls).toEqual([]);
  });

  it('imports a backfill into the store', async () => {
    const { fetchFn } = fakePrometheus(['a'], (_g, t) => t);
    const series = await backfillFromPrometheus({
      url: 'http://p',
      start: 0,
      end: 600_000,
      stepSeconds: 60,
      fetch: fetchFn,
    });
    const { store, cleanup } = openTempStore();
    try {
      expect(importHistory(store, series)).toBe(11);
      expect(store.loadHistory('a', 0)).toEqual(series.get('a'));
    } finally {
      cleanup();
    }
  });
});
