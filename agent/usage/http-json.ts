/**
 * GET a JSON document over http or https with a hard timeout and a size cap: the one HTTP client
 * of the usage code (kubelet, API server proxy, collectors). node:https rather than fetch, because
 * kubelets need a per-request CA / skip-verify, which fetch cannot take without undici's Agent.
 */
import http from 'node:http';
import https from 'node:https';

export interface GetJsonOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** PEM CA bundle to verify the server with (default: Node's trusted roots). */
  readonly ca?: string | Buffer;
  /** Client certificate and key (kubeconfigs with client-cert auth). */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** false skips TLS verification (kubelets with self-signed serving certs). */
  readonly rejectUnauthorized?: boolean;
  readonly timeoutMs: number;
  /** Responses larger than this fail (default 64 MiB; a 110-pod kubelet summary is ~0.5 MiB). */
  readonly maxBytes?: number;
}

export class HttpJsonError extends Error {
  constructor(
    message: string,
    /** HTTP status, or undefined when no response came (connection, TLS, timeout). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpJsonError';
  }
}

const DEFAULT_MAX_BYTES = 64 * 2 ** 20;

export function getJson(url: string, opts: GetJsonOptions): Promise<unknown> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    let settled = false;
    // Settles once, then tears the exchange down without raising further errors.
    const finish = (err: Error | null, value?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value);
    };
    const req = client.request(
      target,
      {
        method: 'GET',
        headers: { Accept: 'application/json', ...opts.headers },
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        rejectUnauthorized: opts.rejectUnauthorized ?? true,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) finish(new HttpJsonError(`GET ${url}: response exceeds ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('error', (err) => finish(new HttpJsonError(`GET ${url}: ${err.message}`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            finish(new HttpJsonError(`GET ${url}: HTTP ${status}: ${text.slice(0, 200).trim()}`, status));
            return;
          }
          try {
            finish(null, JSON.parse(text));
          } catch (err) {
            finish(new HttpJsonError(`GET ${url}: response is not JSON: ${(err as Error).message}`, status));
          }
        });
      },
    );
    const deadline = setTimeout(
      () => finish(new HttpJsonError(`GET ${url}: timed out after ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    req.on('error', (err) => finish(new HttpJsonError(`GET ${url}: ${err.message}`)));
    req.end();
  });
}
