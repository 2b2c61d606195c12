import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { apiHarness, WRITE } from '../../test/fakes/api-harness.js';
import { parseStrictJson } from './json-body.js';

const h = apiHarness({ rateLimit: { max: 1_000_000, windowMs: 60_000 } });
afterAll(() => h.close());

const post = (payload: string) =>
  h.inject({
    method: 'POST',
    url: '/api/v1/overrides',
    headers: { ...WRITE, 'content-type': 'application/json' },
    payload,
  });

describe('strict JSON bodies', () => {
  it('names the path of a duplicate key at any depth', () => {
    expect(() => parseStrictJson('{"a":1,"a":2}')).toThrow('body.a: duplicate key');
    expect(() => parseStrictJson('{"a":{"b":[1,{"c":1,"c":2}]}}')).toThrow('body.a.b.1.c: duplicate key');
    expect(parseStrictJson('{"a":{"x":1},"b":{"x":1}}')).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('names the path of a lone surrogate, escaped or raw, and keeps pairs', () => {
    expect(() => parseStrictJson('{"reason":"\\ud800"}')).toThrow('body.reason: contains a lone surrogate');
    expect(() => parseStrictJson('{"r":["ok","x\udc00"]}')).toThrow('body.r.1: contains a lone surrogate');
    expect(parseStrictJson('{"r":"\\ud83d\\ude00"}')).toEqual({ r: '😀' });
  });

  it('accepts every JSON value JSON.stringify writes (no false refusals)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(parseStrictJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('through the API: random duplicate-key objects are 400s in the one error shape, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue(), async (key, value) => {
        const dup = `{"group":"spark-executor",${JSON.stringify(key)}:${JSON.stringify(value)},${JSON.stringify(key)}:1}`;
        const res = await post(dup);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({
          error: 'bad-request',
          message: expect.stringContaining('duplicate key') as string,
          field: `body.${key}`,
        });
      }),
      { numRuns: 60 },
    );
  });

  it('through the API: a lone surrogate in the reason is a 400 naming body.reason', async () => {
    const res = await post('{"group":"spark-executor","kind":"floor","value":2,"reason":"\\udbff"}');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'bad-request',
      message: 'body.reason: contains a lone surrogate',
      field: 'body.reason',
    });
  });
});
