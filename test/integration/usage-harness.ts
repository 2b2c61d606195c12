/**
 * Pieces of the usage-* integration tests: a fake kubelet (http or https, checks the bearer
 * token), an in-process `nodecast collect` with its address parsed from stdout, a self-signed
 * certificate made with openssl, and a tiny JSON server for fake collectors and API servers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCollectCommand } from '../../agent/cli/collect-command.js';

export const SUMMARY_FIXTURE = new URL('../fixtures/kubelet-summary.json', import.meta.url);
export const readSummary = (): { node: { nodeName: string } } & Record<string, unknown> =>
  JSON.parse(readFileSync(SUMMARY_FIXTURE, 'utf8'));

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nodecast-usage-'));
}

/** A text sink usable as stdout/stderr. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

export interface JsonServer {
  readonly url: string;
  readonly requests: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

type Handler = (path: string) => { status: number; body: unknown; delayMs?: number };

/** An http(s) server answering JSON from `handler`; records each request's path and Authorization. */
export async function startJsonServer(
  handler: Handler,
  tls?: { cert: Buffer; key: Buffer },
): Promise<JsonServer> {
  const requests: JsonServer['requests'] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = req.url ?? '/';
    requests.push({ path, authorization: req.headers.authorization });
    const { status, body, delayMs } = handler(path);
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (delayMs) setTimeout(send, delayMs);
    else send();
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A kubelet serving `summary()` at /stats/summary to requests bearing `token` (when set). */
export function startFakeKubelet(opts: {
  summary: () => unknown;
  /** The token it accepts now (a function, so tests can rotate it). */
  token?: () => string;
  tls?: { cert: Buffer; key: Buffer };
}): Promise<JsonServer> {
  let server: JsonServer | undefined;
  const handler: Handler = (path) => {
    const auth = server?.requests.at(-1)?.authorization;
    if (opts.token && auth !== `Bearer ${opts.token()}`)
      return { status: 401, body: { message: 'Unauthorized' } };
    if (path === '/stats/summary') return { status: 200, body: opts.summary() };
    return { status: 404, body: { message: '404 page not found' } };
  };
  return startJsonServer(handler, opts.tls).then((s) => (server = s));
}

/** A self-signed certificate for 127.0.0.1, or null when openssl is missing. */
export function selfSignedCert(dir: string): { cert: Buffer; key: Buffer; certFile: string } | null {
  const certFile = join(dir, 'kubelet.crt');
  const keyFile = join(dir, 'kubelet.key');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
      ].concat([
        '-subj',
        '/CN=fake-kubelet',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ]),
      { stdio: 'ignore' },
    );
  } catch {
    return null;
  }
  return { cert: readFileSync(certFile), key: readFileSync(keyFile), certFile };
}

export function writeToken(dir: string, token: string): string {
  const file = join(dir, 'token');
  writeFileSync(file, `${token}\n`);
  return file;
}

export interface RunningCollector {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly stdout: Capture;
  readonly stderr: Capture;
  /** Stops it like SIGTERM would and returns its exit code. */
  stop(): Promise<number>;
}

/** Runs `nodecast collect` in-process on a free loopback port. */
export async function startCollector(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningCollector> {
  const stdout = new Capture();
  const stderr = new Capture();
  const abort = new AbortController();
  const exit = runCollectCommand([...argv, '--port=0', '--host=127.0.0.1'], {
    stdout,
    stderr,
    isTTY: false,
    env,
    signal: abort.signal,
  });
  const deadline = Date.now() + 5000;
  for (;;) {
    const m = /serving (http:\/\/[^/\s]+)\/usage/.exec(stdout.text);
    if (m) return { url: m[1]!, stdout, stderr, stop: () => (abort.abort(), exit) };
    const early = await Promise.race([
      exit,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 10)),
    ]);
    if (early !== undefined || Date.now() > deadline)
      throw new Error(`collector did not start (exit ${early}): ${stderr.text}`);
  }
}

/** GET a JSON document; returns status and parsed body (loosely typed: tests read into it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function getJsonStatus(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}
