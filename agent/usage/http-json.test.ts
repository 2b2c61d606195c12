import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, HttpJsonError } from './http-json.js';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/ok') res.end(JSON.stringify({ hello: req.headers.authorization ?? null }));
    else if (req.url === '/forbidden')
      res.writeHead(403).end('nodes "n1" is forbidden: cannot get nodes/stats');
    else if (req.url === '/html') res.end('<html>proxy error</html>');
    else if (req.url === '/big') res.end(JSON.stringify({ pad: 'x'.repeat(10_000) }));
    else if (req.url === '/slow') setTimeout(() => res.end('{}'), 2000);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('getJson', () => {
  it('returns the parsed body and sends the given headers', async () => {
    expect(await getJson(`${base}/ok`, { headers: { Authorization: 'Bearer t' }, timeoutMs: 1000 })).toEqual({
      hello: 'Bearer t',
    });
  });

  it('fails with the status and the start of the body on a non-2xx answer', async () => {
    const err = await getJson(`${base}/forbidden`, { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpJsonError);
    expect((err as HttpJsonError).status).toBe(403);
    expect((err as Error).message).toMatch(/HTTP 403: nodes "n1" is forbidden/);
  });

  it('fails clearly on a body that is not JSON, one too large, and one too slow', async () => {
    await expect(getJson(`${base}/html`, { timeoutMs: 1000 })).rejects.toThrow(/response is not JSON/);
    await expect(getJson(`${base}/big`, { timeoutMs: 1000, maxBytes: 1000 })).rejects.toThrow(
      /exceeds 1000 bytes/,
    );
    const started = Date.now();
    await expect(getJson(`${base}/slow`, { timeoutMs: 100 })).rejects.toThrow(/timed out after 100 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('names a connection failure', async () => {
    await expect(getJson('http://127.0.0.1:1/x', { timeoutMs: 1000 })).rejects.toThrow(
      /GET http:\/\/127.0.0.1:1\/x: .*ECONNREFUSED/,
    );
  });
});
