/** A node group's provider settings cannot work (missing or wrong field): not worth retrying. */
export class ProviderConfigError extends Error {
  /** HTTP-like status so the actuator's retry classifier treats it as permanent. */
  readonly code = 400;
  constructor(message: string) {
    super(message);
    this.name = 'ProviderConfigError';
  }
}

/** The status code of a Kubernetes client error (ApiException.code, or statusCode), if any. */
export function statusOf(err: unknown): number | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

export const isNotFound = (err: unknown): boolean => statusOf(err) === 404;
