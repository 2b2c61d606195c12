import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiHarness, HARNESS_START, READ, WRITE, type ApiHarness } from '../../test/fakes/api-harness.js';
import { flatForecast } from '../../test/fakes/fake-agent-view.js';

let h: ApiHarness;
beforeEach(() => {
  h = apiHarness();
});
afterEach(async () => {
  await h.close();
});

describe('GET /api/v1/nodegroups', () => {
  it('lists every group the loop reports, with the reasons of the last plan', async () => {
    h.agent.groupViews[2] = {
      ...h.agent.groupViews[2]!,
      current: 4,
      target: 9,
      demandNodes: 7,
      lastPlanAt: HARNESS_START,
      lastReasons: [{ code: 'pending-pods', message: '12 executors pending need 5 more nodes' }],
      nodes: { ready: 4, provisioning: 5 },
    };
    const res = await h.inject({ method: 'GET', url: '/api/v1/nodegroups', headers: READ });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((g: { name: string }) => g.name)).toEqual([
      'spark-system',
      'spark-driver',
      'spark-executor',
    ]);
    expect(items[2]).toMatchObject({
      current: 4,
      target: 9,
      demandNodes: 7,
      lastPlanAt: '2024-03-04T06:00:00.000Z',
      lastReasons: [{ code: 'pending-pods' }],
      nodes: { ready: 4, provisioning: 5 },
    });
  });

  it('is readable with a write token too', async () => {
    expect((await h.inject({ method: 'GET', url: '/api/v1/nodegroups', headers: WRITE })).statusCode).toBe(
      200,
    );
  });
});

describe('GET /api/v1/nodegroups/:name', () => {
  it('shows one group with the overrides active on it', async () => {
    await h.inject({
      method: 'POST',
      url: '/api/v1/overrides',
      headers: WRITE,
      payload: { group: 'spark-executor', kind: 'floor', value: 10, reason: 'quarter close' },
    });
    const res = await h.inject({ method: 'GET', url: '/api/v1/nodegroups/spark-executor', headers: READ });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'spark-executor', min: 2, max: 200, forecastMode: 'active' });
    expect(res.json().activeOverrides).toMatchObject([
      { kind: 'floor', value: 10, state: 'active', createdBy: 'writer' },
    ]);
  });

  it('404s an unknown group, naming the parameter', async () => {
    const res = await h.inject({ method: 'GET', url: '/api/v1/nodegroups/nope', headers: READ });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: 'not-found',
      message: 'no node group named nope',
      field: 'params.name',
    });
  });
});

describe('GET /api/v1/nodegroups/:name/forecast', () => {
  beforeEach(() => {
    h.agent.forecasts.set('spark-executor', (horizon) => flatForecast(HARNESS_START, horizon, 10));
  });

  it.each([
    ['30m', 1800],
    ['2h', 7200],
    ['1h30m', 5400],
    ['900', 900],
  ])('reads horizon %s as %i seconds', async (horizon, seconds) => {
    const res = await h.inject({
      method: 'GET',
      url: `/api/v1/nodegroups/spark-executor/forecast?horizon=${horizon}`,
      headers: READ,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      group: 'spark-executor',
      model: 'seasonal-naive-daily',
      trusted: true,
      horizonSeconds: seconds,
    });
    expect(body.points).toHaveLength(seconds / 60);
    expect(body.points[0]).toEqual({ time: '2024-03-04T06:01:00.000Z', point: 10, p10: 8, p50: 10, p90: 12 });
    expect(h.agent.forecastCalls.at(-1)).toEqual({ group: 'spark-executor', horizonSeconds: seconds });
  });

  it('defaults the horizon to 2h', async () => {
    const res = await h.inject({
      method: 'GET',
      url: '/api/v1/nodegroups/spark-executor/forecast',
      headers: READ,
    });
    expect(res.json().horizonSeconds).toBe(7200);
  });

  it.each(['0', '30s', '8d', 'soon', '-5m', '1e9'])(
    'refuses horizon %s with 400 naming the field',
    async (horizon) => {
      const res = await h.inject({
        method: 'GET',
        url: `/api/v1/nodegroups/spark-executor/forecast?horizon=${horizon}`,
        headers: READ,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().field).toBe('querystring.horizon');
      expect(h.agent.forecastCalls).toEqual([]);
    },
  );

  it('404s a group without a forecast', async () => {
    const res = await h.inject({
      method: 'GET',
      url: '/api/v1/nodegroups/spark-driver/forecast',
      headers: READ,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/no forecast for group spark-driver/);
  });
});
