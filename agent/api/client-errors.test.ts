import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiHarness } from '../../test/fakes/api-harness.js';

const h = apiHarness();
let port = 0;
beforeAll(async () => {
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as { port: number }).port;
});
afterAll(() => h.close());

function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString()));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
}

it('headers over the limit are a 431 in the one error shape', async () => {
  const res = await rawRequest(`GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
  expect(res.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
  expect(JSON.parse(res.split('\r\n\r\n')[1]!)).toEqual({
    error: 'headers-too-large',
    message: 'request headers too large',
    field: null,
  });
});

it('a malformed request line is a 400 in the one error shape', async () => {
  const res = await rawRequest('NOT A REQUEST\r\n\r\n');
  expect(res.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
  expect(JSON.parse(res.split('\r\n\r\n')[1]!)).toMatchObject({ error: 'bad-request', field: null });
});
