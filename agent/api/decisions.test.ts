import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiHarness, HARNESS_START, READ, type ApiHarness } from '../../test/fakes/api-harness.js';
import { decisionsFromPlan } from '../store/decisions-repo.js';

let h: ApiHarness;
beforeEach(() => {
  h = apiHarness();
  const minute = 60_000;
  for (let i = 0; i < 30; i++) {
    const plan = {
      at: HARNESS_START - (30 - i) * minute,
      decisions: ['spark-driver', 'spark-executor'].map((group) => ({
        group,
        role: group === 'spark-driver' ? ('driver' as const) : ('executor' as const),
        current: i,
        target: i + 1,
        removeNodes: [],
        demandNodes: i + 1,
        reasons: [{ code: 'pending-pods' as const, message: `${i} pods pending` }],
      })),
    };
    h.store.recordDecisions(
      decisionsFromPlan(plan, (d) =>
        d.group === 'spark-driver' ? 'applied' : { outcome: 'failed', detail: 'MachineDeployment not found' },
      ),
    );
  }
});
afterEach(async () => {
  await h.close();
});

const get = (q: string) => h.inject({ method: 'GET', url: `/api/v1/decisions${q}`, headers: READ });

describe('GET /api/v1/decisions', () => {
  it('pages newest first through every decision exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await get(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.items.map((d: { time: string; group: string }) => `${d.time}/${d.group}`));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(60 / 7));
    expect(new Set(seen).size).toBe(60);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('filters by group and since (ISO or a duration back from now)', async () => {
    const byIso = (await get('?group=spark-driver&since=2024-03-04T05:50:00Z')).json().items;
    expect(byIso).toHaveLength(10);
    expect(byIso[0]).toMatchObject({
      time: '2024-03-04T05:59:00.000Z',
      group: 'spark-driver',
      from: 29,
      to: 30,
      outcome: 'applied',
      reasons: [{ code: 'pending-pods', message: '29 pods pending' }],
    });
    const failed = (await get('?group=spark-executor&limit=1')).json().items[0];
    expect(failed).toMatchObject({ outcome: 'failed', detail: 'MachineDeployment not found' });
    const byDuration = (await get('?group=spark-driver&since=10m')).json().items;
    expect(byDuration).toEqual(byIso);
  });

  it.each([
    ['?limit=0', 'querystring.limit'],
    ['?limit=1001', 'querystring.limit'],
    ['?limit=ten', 'querystring.limit'],
    ['?since=yesterday', 'querystring.since'],
    ['?cursor=bm9wZQ', 'querystring.cursor'],
    ['?colour=blue', 'querystring.colour'],
  ])('400 for %s naming %s', async (q, field) => {
    const res = await get(q);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });
});
