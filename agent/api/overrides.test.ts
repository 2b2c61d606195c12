import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiHarness, READ, WRITE, type ApiHarness } from '../../test/fakes/api-harness.js';
import { createTokenAuth } from './auth.js';

let h: ApiHarness;
beforeEach(() => {
  h = apiHarness();
});
afterEach(async () => {
  await h.close();
});

const floor = (extra: Record<string, unknown> = {}) => ({
  group: 'spark-executor',
  kind: 'floor',
  value: 10,
  reason: 'quarter-end close',
  ...extra,
});

async function create(payload: Record<string, unknown>) {
  return h.inject({ method: 'POST', url: '/api/v1/overrides', headers: WRITE, payload });
}

describe('override CRUD', () => {
  it('creates (201 + Location), reads, patches and soft-deletes, auditing each write by token name', async () => {
    const created = await create(floor({ createdBy: undefined, end: '2024-03-05T00:00:00Z' }));
    expect(created.statusCode).toBe(201);
    const o = created.json();
    expect(o).toMatchObject({
      group: 'spark-executor',
      kind: 'floor',
      value: 10,
      createdBy: 'writer',
      state: 'active',
    });
    expect(created.headers.location).toBe(`/api/v1/overrides/${o.id}`);

    const got = await h.inject({ method: 'GET', url: `/api/v1/overrides/${o.id}`, headers: READ });
    expect(got.json()).toEqual(o);

    const patched = await h.inject({
      method: 'PATCH',
      url: `/api/v1/overrides/${o.id}`,
      headers: WRITE,
      payload: { value: 12, end: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ value: 12, createdBy: 'writer' });
    expect(patched.json().end).toBeUndefined();

    const deleted = await h.inject({ method: 'DELETE', url: `/api/v1/overrides/${o.id}`, headers: WRITE });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ state: 'deleted' });
    expect(deleted.json().deletedAt).toBeDefined();

    const current = await h.inject({ method: 'GET', url: '/api/v1/overrides', headers: READ });
    expect(current.json().items).toEqual([]);
    const all = await h.inject({ method: 'GET', url: '/api/v1/overrides?status=all', headers: READ });
    expect(all.json().items.map((x: { id: string }) => x.id)).toEqual([o.id]);

    expect(h.store.listAudit({ target: o.id }).map((a) => `${a.action}:${a.actor}`)).toEqual([
      'override.delete:writer',
      'override.update:writer',
      'override.create:writer',
    ]);
  });

  it('takes createdBy from the token, not the body (an unknown field is refused)', async () => {
    const res = await create(floor({ createdBy: 'mallory' }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'bad-request',
      message: 'body.createdBy is not a known field',
      field: 'body.createdBy',
    });
  });

  it('filters the list by group and by active/current/all', async () => {
    await create(floor());
    await create(floor({ group: 'spark-driver', value: 3 }));
    const later = (await create(floor({ value: 5, start: '2024-03-10T00:00:00Z' }))).json();
    const ids = async (q: string) =>
      (await h.inject({ method: 'GET', url: `/api/v1/overrides${q}`, headers: READ }))
        .json()
        .items.map((x: { value: number }) => x.value);
    expect((await ids('?group=spark-executor')).sort()).toEqual([10, 5].sort());
    expect(await ids('?group=spark-executor&status=active')).toEqual([10]);
    expect((await ids('?status=current')).sort()).toEqual([10, 3, 5].sort());
    expect(later.state).toBe('scheduled');
  });

  it('creates recurring overrides and reports their state', async () => {
    const res = await create(floor({ cron: '0 8 * * 1-5', durationSeconds: 7200 }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ cron: '0 8 * * 1-5', durationSeconds: 7200, state: 'scheduled' });
    h.clock.set(Date.parse('2024-03-04T08:30:00Z'));
    const got = await h.inject({ method: 'GET', url: `/api/v1/overrides/${res.json().id}`, headers: READ });
    expect(got.json().state).toBe('active');
  });
});

describe('override errors', () => {
  it.each([
    [{ value: 'ten' }, 'body.value'],
    [{ value: 2.5 }, 'body.value'],
    [{ value: -1 }, 'body.value'],
    [{ value: 500 }, 'body.value'], // above the group's max (200)
    [{ value: 1 }, 'body.value'], // below the group's min (2)
    [{ kind: 'maximum' }, 'body.kind'],
    [{ group: 'nope' }, 'body.group'],
    [{ reason: '' }, 'body.reason'],
    [{ reason: undefined }, 'body.reason'],
    [{ start: 'next tuesday' }, 'body.start'],
    [{ start: '2024-03-05T00:00:00Z', end: '2024-03-04T23:00:00Z' }, 'body.end'],
    [{ end: '2024-03-01T00:00:00Z' }, 'body.end'],
    [{ cron: '0 8 * * *' }, 'body.durationSeconds'],
    [{ cron: 'every day at 8', durationSeconds: 3600 }, 'body.cron'],
    [{ cron: '0 8 * * * *', durationSeconds: 3600 }, 'body.cron'],
    [{ kind: 'forecast-off' }, 'body.value'],
  ])('400 for %j naming %s', async (extra, field) => {
    const res = await create(floor(extra));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad-request', field });
    expect(res.json().message).toContain(field.replace('body.', ''));
    expect(h.store.listOverrides({ status: 'all' })).toEqual([]);
  });

  it('400 for a patch that changes group or kind, or is empty', async () => {
    const { id } = (await create(floor())).json();
    for (const [payload, field] of [
      [{ group: 'spark-driver' }, 'body.group'],
      [{ kind: 'pin' }, 'body.kind'],
      [{}, 'body'],
      [{ value: 1000 }, 'body.value'],
      [{ reason: null }, 'body.reason'],
    ] as const) {
      const res = await h.inject({
        method: 'PATCH',
        url: `/api/v1/overrides/${id}`,
        headers: WRITE,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().field).toBe(field);
    }
  });

  it('409 when a floor would sit above an overlapping ceiling, at create and at patch', async () => {
    await create({ group: 'spark-executor', kind: 'ceiling', value: 8, reason: 'budget' });
    const res = await create(floor({ value: 12 }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'conflict', field: 'body.value' });
    expect(res.json().message).toMatch(/floor 12 is above ceiling 8/);
    const ok = (await create(floor({ value: 8 }))).json();
    const patch = await h.inject({
      method: 'PATCH',
      url: `/api/v1/overrides/${ok.id}`,
      headers: WRITE,
      payload: { value: 9 },
    });
    expect(patch.statusCode).toBe(409);
  });

  it('404 for an unknown id on GET, PATCH and DELETE', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await h.inject({
        method,
        url: '/api/v1/overrides/does-not-exist',
        headers: method === 'GET' ? READ : WRITE,
        ...(method === 'PATCH' ? { payload: { value: 3 } } : {}),
      });
      expect(res.statusCode, method).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not-found', field: 'params.id' });
    }
  });

  it('409 when deleting or patching a deleted override', async () => {
    const { id } = (await create(floor())).json();
    await h.inject({ method: 'DELETE', url: `/api/v1/overrides/${id}`, headers: WRITE });
    const again = await h.inject({ method: 'DELETE', url: `/api/v1/overrides/${id}`, headers: WRITE });
    expect(again.statusCode).toBe(409);
    const patch = await h.inject({
      method: 'PATCH',
      url: `/api/v1/overrides/${id}`,
      headers: WRITE,
      payload: { value: 3 },
    });
    expect(patch.statusCode).toBe(409);
  });

  it('413 for a body over the limit', async () => {
    const res = await create(floor({ reason: 'x'.repeat(70 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('payload-too-large');
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/xml',
    'multipart/form-data; boundary=x',
  ])('415 for content type %s', async (type) => {
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/overrides',
      headers: { ...WRITE, 'content-type': type },
      payload: JSON.stringify(floor()),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toBe('unsupported-media-type');
  });

  it('400 for malformed JSON', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/overrides',
      headers: { ...WRITE, 'content-type': 'application/json' },
      payload: '{"group": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('bad-request');
  });
});

describe('write rate limit', () => {
  it('429 once a client floods writes; reads and other clients are unaffected', async () => {
    await h.close();
    h = apiHarness({ rateLimit: { max: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      // Mixed write routes share one budget; even refused writes count.
      const res =
        i % 2 === 0
          ? await create(floor({ value: 10 + i }))
          : await h.inject({ method: 'DELETE', url: '/api/v1/overrides/x', headers: WRITE });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([201, 404, 201, 429, 429]);
    const limited = await create(floor());
    expect(limited.json()).toMatchObject({ error: 'too-many-requests', field: null });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await h.inject({ method: 'GET', url: '/api/v1/overrides', headers: READ })).statusCode).toBe(200);
    // Unauthenticated writes are refused before they count against anyone.
    expect((await h.inject({ method: 'POST', url: '/api/v1/overrides', payload: floor() })).statusCode).toBe(
      401,
    );
  });

  it('holds per source address too: several tokens from one host share its budget', async () => {
    await h.close();
    const tokens = ['alpha-token-0123456789abcdef', 'bravo-token-0123456789abcdef'];
    h = apiHarness({
      rateLimit: { max: 100, windowMs: 60_000, perSourceMax: 3 },
      auth: createTokenAuth(tokens.map((token, i) => ({ name: `writer-${i}`, token, scopes: ['write'] }))),
    });
    const post = (token: string, remoteAddress = '10.0.0.1') =>
      h.inject({
        method: 'POST',
        url: '/api/v1/overrides',
        payload: floor({ value: 10 }),
        headers: { authorization: `Bearer ${token}` },
        remoteAddress,
      });
    const statuses = [];
    for (const token of [tokens[0]!, tokens[1]!, tokens[0]!, tokens[1]!])
      statuses.push((await post(token)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await post(tokens[1]!);
    expect(refused.json().message).toMatch(/too many writes from this address: at most 3/);
    // Another host with the same token still has its own address budget (and the token's).
    expect((await post(tokens[1]!, '10.0.0.2')).statusCode).toBe(201);
  });
});
