/** metav1.Status errors, shaped as the real API server sends them. */

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** An error a handler throws; the server turns it into a Status response. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): KubeStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** "pods" or "deployments.apps", as the API server names a resource in messages. */
export type QualifiedResource = string;

export const notFound = (res: QualifiedResource, name: string, details?: StatusDetails): ApiError =>
  new ApiError(404, 'NotFound', `${res} "${name}" not found`, { name, ...details });

export const alreadyExists = (res: QualifiedResource, name: string, details?: StatusDetails): ApiError =>
  new ApiError(409, 'AlreadyExists', `${res} "${name}" already exists`, { name, ...details });

export const conflict = (res: QualifiedResource, name: string, details?: StatusDetails): ApiError =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${res} "${name}": the object has been modified; ` +
      'please apply your changes to the latest version and try again',
    { name, ...details },
  );

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const invalid = (res: QualifiedResource, name: string, message: string): ApiError =>
  new ApiError(422, 'Invalid', `${res} "${name}" is invalid: ${message}`, { name });

export const expired = (message: string): ApiError => new ApiError(410, 'Expired', message);

export const unsupportedMediaType = (type: string): ApiError =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format: ${type}`);

export const methodNotAllowed = (method: string): ApiError =>
  new ApiError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource: ${method}`,
  );

/** A Status for an arbitrary code, used by fault injection. */
export function statusForCode(code: number, message = 'injected fault'): ApiError {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    410: 'Expired',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return new ApiError(code, reasons[code] ?? 'Unknown', message);
}
