/**
 * Errors the store raises for a request it refuses. The API maps `kind` to an HTTP status
 * (invalid -> 400, not-found -> 404, conflict -> 409, unavailable -> 503: the backing store, e.g.
 * the Kubernetes API, did not answer in time); `field` names the offending input field.
 */
export type StoreErrorKind = 'invalid' | 'not-found' | 'conflict' | 'unavailable';

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function isStoreError(err: unknown): err is StoreError {
  return err instanceof StoreError;
}
