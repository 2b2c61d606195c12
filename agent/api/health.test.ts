import { afterEach, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from '../../test/fakes/api-harness.js';

let h: ApiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('probes and metrics (no auth needed)', () => {
  it('/healthz answers while the process lives', async () => {
    h = apiHarness();
    h.agent.readiness = { ready: false, reason: 'cluster state not synced' };
    const res = await h.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz follows the loop', async () => {
    h = apiHarness();
    h.agent.readiness = { ready: false, reason: 'cluster state not synced' };
    let res = await h.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not-ready', reason: 'cluster state not synced' });
    h.agent.readiness = { ready: true };
    res = await h.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
  });

  it('/metrics renders with the Accept header, OpenMetrics when asked', async () => {
    const seen: string[] = [];
    h = apiHarness({
      metrics: {
        async render(accept) {
          seen.push(accept);
          return accept.includes('application/openmetrics-text')
            ? { body: '# EOF\n', contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8' }
            : { body: 'nodecast_up 1\n', contentType: 'text/plain; version=0.0.4; charset=utf-8' };
        },
      },
    });
    const om = await h.inject({
      method: 'GET',
      url: '/metrics',
      headers: { accept: 'application/openmetrics-text; version=1.0.0' },
    });
    expect(om.statusCode).toBe(200);
    expect(om.headers['content-type']).toMatch(/^application\/openmetrics-text/);
    expect(om.body).toBe('# EOF\n');
    const text = await h.inject({ method: 'GET', url: '/metrics' });
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toBe('nodecast_up 1\n');
    expect(seen).toEqual(['application/openmetrics-text; version=1.0.0', '']);
  });

  it('/metrics is a 404 when no registry is wired', async () => {
    h = apiHarness();
    const res = await h.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('not-found');
  });

  it('unknown routes get the common error shape', async () => {
    h = apiHarness();
    const res = await h.inject({ method: 'GET', url: '/api/v1/nothing?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not-found', message: 'no route GET /api/v1/nothing', field: null });
  });
});
