import { afterEach, describe, expect, it } from 'vitest';
import { apiHarness, READ, READ_TOKEN, type ApiHarness } from '../../test/fakes/api-harness.js';
import type { AccessLogEntry, AuthFailureReason } from './deps.js';

let h: ApiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('access log and auth failures', () => {
  it('logs each request with route, status, duration and the token name, never the token', async () => {
    const entries: AccessLogEntry[] = [];
    h = apiHarness({ accessLog: (e) => entries.push(e) });
    await h.app.inject({ method: 'GET', url: '/api/v1/nodegroups', headers: READ });
    await h.app.inject({ method: 'GET', url: '/api/v1/overrides/does-not-exist?x=1', headers: READ });
    await h.app.inject({ method: 'GET', url: '/api/v1/nodegroups' });
    expect(entries.map((e) => [e.method, e.route, e.status, e.principal])).toEqual([
      ['GET', '/api/v1/nodegroups', 200, 'reader'],
      ['GET', '/api/v1/overrides/:id', 404, 'reader'],
      ['GET', '/api/v1/nodegroups', 401, undefined],
    ]);
    expect(entries.every((e) => e.durationMs >= 0 && e.remoteAddress.length > 0)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(READ_TOKEN);
  });

  it('counts refusals by reason: no header, an unknown token, a missing scope', async () => {
    const reasons: AuthFailureReason[] = [];
    h = apiHarness({ onAuthFailure: (r) => reasons.push(r) });
    await h.app.inject({ method: 'GET', url: '/api/v1/nodegroups' });
    await h.app.inject({
      method: 'GET',
      url: '/api/v1/nodegroups',
      headers: { authorization: 'Bearer nope' },
    });
    const write = await h.app.inject({
      method: 'POST',
      url: '/api/v1/overrides',
      headers: READ,
      payload: { group: 'spark-executor', kind: 'forecast-off', reason: 'reader tries to write' },
    });
    expect(write.statusCode).toBe(403);
    await h.app.inject({ method: 'GET', url: '/api/v1/nodegroups', headers: READ });
    expect(reasons).toEqual(['missing', 'invalid', 'forbidden']);
  });
});
