import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiHarness, HARNESS_START, READ, type ApiHarness } from '../../test/fakes/api-harness.js';
import { MAX_HISTORY_POINTS } from './routes/history.js';

let h: ApiHarness;
beforeEach(() => {
  h = apiHarness();
  const rows = Array.from({ length: 3 * 24 * 60 }, (_, i) => ({
    group: 'spark-executor',
    t: HARNESS_START - (3 * 24 * 60 - i) * 60_000,
    value: i % 50,
  }));
  h.store.appendHistoryMany(rows);
});
afterEach(async () => {
  await h.close();
});

const get = (q: string) =>
  h.inject({ method: 'GET', url: `/api/v1/nodegroups/spark-executor/history${q}`, headers: READ });

describe('GET /nodegroups/:name/history', () => {
  it('returns the last 6 hours by default, oldest first', async () => {
    const res = await get('');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.since).toBe(new Date(HARNESS_START - 6 * 3_600_000).toISOString());
    expect(body.points).toHaveLength(6 * 60);
    expect(body.points[0].time).toBe(new Date(HARNESS_START - 6 * 3_600_000).toISOString());
    expect(body.points.at(-1).time).toBe(new Date(HARNESS_START - 60_000).toISOString());
  });

  it('thins a long range to at most the cap, keeping the newest sample', async () => {
    const body = (await get('?since=3d')).json();
    expect(body.points.length).toBeLessThanOrEqual(MAX_HISTORY_POINTS);
    expect(body.points.length).toBeGreaterThan(MAX_HISTORY_POINTS / 2);
    expect(body.points.at(-1).time).toBe(new Date(HARNESS_START - 60_000).toISOString());
  });

  it('names the field for a bad or too-old since, and 404s an unknown group', async () => {
    expect((await get('?since=yesterday')).json()).toMatchObject({ field: 'querystring.since' });
    const old = await get('?since=60d');
    expect(old.statusCode).toBe(400);
    expect(old.json()).toMatchObject({ field: 'querystring.since' });
    const unknown = await h.inject({ method: 'GET', url: '/api/v1/nodegroups/nope/history', headers: READ });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ field: 'params.name' });
    expect(
      (await h.inject({ method: 'GET', url: '/api/v1/nodegroups/spark-executor/history' })).statusCode,
    ).toBe(401);
  });
});

describe('GET /', () => {
  it('serves the status page shell without data or auth, locked down by CSP', async () => {
    const res = await h.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(res.body).toContain('nodecast status');
    // A shell: no group names or numbers from the agent are in it.
    expect(res.body).not.toContain('spark-executor');
  });
});
