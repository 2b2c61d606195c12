import { afterAll, expect, it } from 'vitest';
import { apiHarness, HARNESS_START, WRITE } from '../../test/fakes/api-harness.js';

const h = apiHarness();
afterAll(() => h.close());

const past = new Date(HARNESS_START - 3_600_000).toISOString();
const future = new Date(HARNESS_START + 3_600_000).toISOString();

it('PATCH refuses an end in the past as POST does, in the same shape, and changes nothing', async () => {
  const payload = { group: 'spark-executor', kind: 'floor', value: 2, reason: 'parity', end: past };
  const posted = await h.inject({ method: 'POST', url: '/api/v1/overrides', headers: WRITE, payload });
  expect(posted.statusCode).toBe(400);
  expect(posted.json()).toMatchObject({ error: 'bad-request', field: 'body.end' });

  const created = await h.inject({
    method: 'POST',
    url: '/api/v1/overrides',
    headers: WRITE,
    payload: { ...payload, end: future },
  });
  expect(created.statusCode).toBe(201);
  const id = (created.json() as { id: string }).id;
  const patched = await h.inject({
    method: 'PATCH',
    url: `/api/v1/overrides/${id}`,
    headers: WRITE,
    payload: { end: past },
  });
  expect(patched.statusCode).toBe(400);
  expect(patched.json()).toEqual({
    error: 'bad-request',
    message: expect.stringContaining('in the past') as string,
    field: 'body.end',
  });
  const after = await h.inject({ method: 'GET', url: `/api/v1/overrides/${id}`, headers: WRITE });
  expect((after.json() as { end: string }).end).toBe(future);
});
