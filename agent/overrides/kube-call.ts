/**
 * A Kubernetes call as an override store write sees it: bounded in time, and its failure turned
 * into the StoreError the API maps to a status (404, 409, 400/422 -> 400, anything else 503).
 */
import { ApiException } from '@kubernetes/client-node';
import { StoreError } from '../store/store-errors.js';

export class KubeTimeoutError extends Error {}

/** Rejects after `ms`; the call itself is abandoned (its answer, if any, is ignored). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KubeTimeoutError(`${what}: no answer from the Kubernetes API in ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

interface StatusBody {
  message?: string;
  details?: { causes?: { field?: string; message?: string }[] };
}

function statusBody(err: ApiException<unknown>): StatusBody {
  const body = err.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return (body ?? {}) as StatusBody;
}

export function kubeFailure(err: unknown, what: string, id?: string): StoreError {
  if (err instanceof StoreError) return err;
  if (err instanceof ApiException) {
    const status = statusBody(err);
    const message = status.message ?? `HTTP ${err.code}`;
    if (err.code === 404) return new StoreError('not-found', id ? `override ${id} not found` : message, 'id');
    if (err.code === 409)
      return new StoreError('conflict', `override ${id ?? ''} changed concurrently: ${message}`, 'id');
    if (err.code === 400 || err.code === 422) {
      const field = status.details?.causes?.[0]?.field?.replace(/^spec\./, '');
      return new StoreError('invalid', `the Kubernetes API refused the override: ${message}`, field);
    }
    return new StoreError('unavailable', `${what} failed: ${message} (HTTP ${err.code})`);
  }
  return new StoreError('unavailable', `${what} failed: ${err instanceof Error ? err.message : String(err)}`);
}
