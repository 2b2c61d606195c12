/**
 * A small HTTP client for the nodecast API, for the CLI. Errors carry the API's message and the
 * field it names, so the CLI can print them as the API meant them.
 */
export interface ApiClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly token?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export class ApiClientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly field?: string | null,
  ) {
    super(message);
    this.name = 'ApiClientError';
  }
}

export async function apiRequest<T>(
  o: ApiClientOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const url = `${o.url.replace(/\/+$/, '')}${path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new ApiClientError(
      `cannot reach the nodecast API at ${o.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
    );
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json ?? {}) as { error?: string; message?: string; field?: string | null };
    const message = e.message ?? (text.slice(0, 200) || res.statusText);
    throw new ApiClientError(`${res.status} ${e.error ?? 'error'}: ${message}`, res.status, e.field ?? null);
  }
  return json as T;
}
