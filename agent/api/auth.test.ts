import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiHarness,
  READ,
  READ_TOKEN,
  WRITE,
  WRITE_TOKEN,
  type ApiHarness,
} from '../../test/fakes/api-harness.js';
import { tempDir } from '../../test/fakes/temp-store.js';
import { bearerToken, createTokenAuth } from './auth.js';
import { loadTokenAuth, readTokenEntries } from './token-file.js';

let h: ApiHarness | undefined;
const dirs: (() => void)[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  dirs.splice(0).forEach((cleanup) => cleanup());
});

const override = {
  group: 'spark-executor',
  kind: 'forecast-off',
  reason: 'model misbehaves after the migration',
};

describe('bearer auth on the API', () => {
  it.each([
    ['no header', {}],
    ['an unknown token', { authorization: 'Bearer not-a-token-we-know-of' }],
    ['a token prefix', { authorization: `Bearer ${READ_TOKEN.slice(0, -1)}` }],
    ['another scheme', { authorization: `Basic ${READ_TOKEN}` }],
    ['a bare token', { authorization: READ_TOKEN }],
  ])('401 with %s, with a WWW-Authenticate challenge', async (_what, headers) => {
    h = apiHarness();
    for (const url of [
      '/api/v1/nodegroups',
      '/api/v1/overrides',
      '/api/v1/decisions',
      '/api/v1/nodegroups/spark-executor',
    ]) {
      const res = await h.inject({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized', field: null });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('HEAD requests need the read scope like GETs', async () => {
    h = apiHarness();
    expect((await h.inject({ method: 'HEAD', url: '/api/v1/overrides' })).statusCode).toBe(401);
    expect((await h.inject({ method: 'HEAD', url: '/api/v1/overrides', headers: READ })).statusCode).toBe(
      200,
    );
  });

  it('403 for a write with a read-only token; the store is untouched', async () => {
    h = apiHarness();
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/overrides',
      headers: READ,
      payload: override,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden', message: 'token reader lacks the write scope' });
    for (const method of ['PATCH', 'DELETE'] as const) {
      const r = await h.inject({
        method,
        url: '/api/v1/overrides/x',
        headers: READ,
        payload: { reason: 'x' },
      });
      expect(r.statusCode).toBe(403);
    }
    expect(h.store.listOverrides({ status: 'all' })).toEqual([]);
    expect(h.store.listAudit()).toEqual([]);
  });

  it('auth runs before body parsing: an unauthenticated oversized body is a 401, not a 413', async () => {
    h = apiHarness();
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/overrides',
      payload: { ...override, reason: 'x'.repeat(100_000) },
    });
    expect(res.statusCode).toBe(401);
  });

  it('with auth disabled everyone may write, as anonymous', async () => {
    h = apiHarness({ auth: null });
    const res = await h.inject({ method: 'POST', url: '/api/v1/overrides', payload: override });
    expect(res.statusCode).toBe(201);
    expect(res.json().createdBy).toBe('anonymous');
  });

  it('never logs the token', async () => {
    const lines: string[] = [];
    h = apiHarness({ logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } } });
    await h.inject({ method: 'POST', url: '/api/v1/overrides', headers: WRITE, payload: override });
    await h.inject({
      method: 'GET',
      url: '/api/v1/nodegroups',
      headers: { authorization: 'Bearer wrong-token-but-secret-too' },
    });
    const log = lines.join('');
    expect(log).toContain('"authorization":"[redacted]"'); // headers are logged, credentials are not
    expect(log).not.toContain(WRITE_TOKEN);
    expect(log).not.toContain('wrong-token-but-secret-too');
  });
});

describe('createTokenAuth', () => {
  const auth = createTokenAuth([
    { name: 'ci', token: 'ci-token-abcdefghijkl', scopes: ['write'] },
    { name: 'grafana', token: 'grafana-token-abcdefgh', scopes: ['read'] },
  ]);
  it('finds the principal by token and scheme, case-insensitively for the scheme only', () => {
    expect(auth.authenticate('Bearer ci-token-abcdefghijkl')?.name).toBe('ci');
    expect(auth.authenticate('bearer grafana-token-abcdefgh')?.name).toBe('grafana');
    expect(auth.authenticate('Bearer CI-TOKEN-ABCDEFGHIJKL')).toBeUndefined();
    expect(auth.authenticate('Bearer ci-token-abcdefghijkl extra')).toBeUndefined();
    expect(auth.authenticate(undefined)).toBeUndefined();
  });
  it('parses only well-formed bearer headers', () => {
    expect(bearerToken('Bearer  abc ')).toBe('abc');
    expect(bearerToken('Bearerabc')).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
  });
});

describe('token files', () => {
  function dir(): string {
    const t = tempDir('nodecast-tokens-');
    dirs.push(t.cleanup);
    return t.dir;
  }

  it('reads a YAML list, a JSON list and a { tokens } map', () => {
    const d = dir();
    writeFileSync(join(d, 'a.yaml'), '- name: ci\n  token: ci-token-abcdefghijkl\n  scopes: [write]\n');
    writeFileSync(
      join(d, 'b.json'),
      JSON.stringify([{ name: 'grafana', token: 'grafana-token-abcdefgh', scopes: ['read'] }]),
    );
    writeFileSync(
      join(d, 'c.yaml'),
      'tokens:\n  - { name: ops, token: ops-token-abcdefghijkl, scopes: [read, write] }\n',
    );
    expect(readTokenEntries(join(d, 'a.yaml'))).toEqual([
      { name: 'ci', token: 'ci-token-abcdefghijkl', scopes: ['write'] },
    ]);
    expect(readTokenEntries(join(d, 'b.json'))[0]?.name).toBe('grafana');
    expect(
      loadTokenAuth(join(d, 'c.yaml')).authenticate('Bearer ops-token-abcdefghijkl')?.scopes.has('write'),
    ).toBe(true);
  });

  it('reads a Kubernetes Secret volume: one file per key, dot entries skipped, name from the key', () => {
    const d = dir();
    const data = join(d, '..2024_01_01_00_00_00.000000000');
    mkdirSync(data);
    writeFileSync(join(data, 'ci'), 'token: ci-token-abcdefghijkl\nscopes: [write]\n');
    writeFileSync(
      join(data, 'team.yaml'),
      '- { name: alice, token: alice-token-abcdefgh, scopes: [read] }\n',
    );
    symlinkSync('..2024_01_01_00_00_00.000000000', join(d, '..data'));
    symlinkSync(join('..data', 'ci'), join(d, 'ci'));
    symlinkSync(join('..data', 'team.yaml'), join(d, 'team.yaml'));
    const auth = loadTokenAuth(d);
    expect(auth.authenticate('Bearer ci-token-abcdefghijkl')?.name).toBe('ci');
    expect(auth.authenticate('Bearer alice-token-abcdefgh')?.name).toBe('alice');
  });

  it.each([
    [
      '- name: ci\n  token: short\n  scopes: [write]\n',
      /\[0\] \(line 1, column 3\)\.token: must be a string of at least 16/,
    ],
    [
      '- name: ci\n  token: ci-token-abcdefghijkl\n  scopes: [admin]\n',
      /\[0\].*\.scopes: must be a non-empty list of read, write/,
    ],
    [
      '- { name: a, token: aaaaaaaaaaaaaaaaaaaa, scopes: [read] }\n- { name: a, token: bbbbbbbbbbbbbbbbbbbb, scopes: [read] }\n',
      /token name a appears twice/,
    ],
    ['- { name: a, token: aaaaaaaaaaaaaaaaaaaa, scopes: [read], admin: true }\n', /unknown field admin/],
    ['- name: a\n  token: [oops\n', /\(line \d+, column \d+\)/],
    ['just a string\n', /expected a list/],
    ['[]\n', /no tokens defined/],
  ])('refuses %j with a clear error', (text, message) => {
    const d = dir();
    const file = join(d, 'tokens.yaml');
    writeFileSync(file, text);
    expect(() => readTokenEntries(file)).toThrow(message);
    expect(() => readTokenEntries(file)).toThrow(file);
  });
});
