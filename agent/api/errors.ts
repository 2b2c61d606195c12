/**
 * One error shape for every failure: `{ error, message, field }` with the right status. Client
 * input never produces a 500: validation errors name the field (`body.value`), framework errors
 * (bad JSON, body too large, wrong content type) keep their 4xx status, store refusals map to
 * 400/404/409. Only a fault of ours is a 500, logged with its stack.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isStoreError } from '../store/store-errors.js';

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly field: string | null;
}

const CODES: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'conflict',
  411: 'length-required',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  431: 'headers-too-large',
  500: 'internal',
  503: 'unavailable',
};

export const errorCode = (status: number): string =>
  CODES[status] ?? (status < 500 ? 'bad-request' : 'internal');

/** An error the API means to send as is. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const errorBody = (status: number, message: string, field: string | null = null): ErrorBody => ({
  error: errorCode(status),
  message,
  field,
});

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `body` + `/a/0/b` -> `body.a.0.b`, with the property a required/additional error names. */
export function fieldOf(context: string, issue: AjvIssue): string {
  const path = (issue.instancePath ?? '')
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  if (typeof extra === 'string') path.push(extra);
  return [context, ...path].join('.');
}

function validationMessage(field: string, issue: AjvIssue): string {
  if (issue.keyword === 'additionalProperties') return `${field} is not a known field`;
  if (issue.keyword === 'required') return `${field} is required`;
  if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues)) {
    return `${field} must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`;
  }
  return `${field} ${issue.message ?? 'is invalid'}`;
}

/** Maps any error to status + body. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof ApiError)
    return { status: err.statusCode, body: errorBody(err.statusCode, err.message, err.field) };
  const fe = err as Partial<FastifyError> & { validationContext?: string };
  if (Array.isArray(fe.validation) && fe.validation.length > 0) {
    const issue = fe.validation[0] as AjvIssue;
    const field = fieldOf(fe.validationContext ?? 'request', issue);
    return { status: 400, body: errorBody(400, validationMessage(field, issue), field) };
  }
  if (isStoreError(err)) {
    const status = err.kind === 'invalid' ? 400 : err.kind === 'not-found' ? 404 : 409;
    return { status, body: errorBody(status, err.message, null) };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500)
    return { status, body: errorBody(status, fe.message || errorCode(status)) };
  return { status: 500, body: errorBody(500, 'internal error; see the agent log') };
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(err);
  if (status >= 500) request.log.error({ err }, 'request failed');
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="nodecast"');
  void reply.code(status).send(body);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send(errorBody(404, `no route ${request.method} ${request.url.split('?')[0]}`));
}

/** Runs a store call, turning a StoreError into an ApiError whose field is the request path. */
const STORE_STATUS = { invalid: 400, 'not-found': 404, conflict: 409, unavailable: 503 } as const;

function fromStoreError(err: unknown, fieldPath: (field: string) => string): unknown {
  if (!isStoreError(err)) return err;
  return new ApiError(
    STORE_STATUS[err.kind],
    err.message,
    err.field === undefined ? null : fieldPath(err.field),
  );
}

export function mapStoreErrors<T>(fn: () => T, fieldPath: (field: string) => string): T {
  try {
    return fn();
  } catch (err) {
    throw fromStoreError(err, fieldPath);
  }
}

/** mapStoreErrors for an async write (a Kubernetes-backed override store). */
export async function mapStoreErrorsAsync<T>(
  fn: () => Promise<T>,
  fieldPath: (field: string) => string,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromStoreError(err, fieldPath);
  }
}
