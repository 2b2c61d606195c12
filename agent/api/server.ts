/**
 * buildServer(deps) returns the fastify app, not listening (tests call app.inject(); main.ts
 * listens). Routes: /healthz, /readyz, /metrics, and under /api/v1 one plugin per route group.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { Principal, Scope } from './auth.js';
import { hasScope } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError, errorBody, errorHandler, notFoundHandler } from './errors.js';
import { useStrictJson } from './json-body.js';
import { clientErrorHandler } from './client-errors.js';
import { decisionRoutes } from './routes/decisions.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes } from './routes/history.js';
import { nodegroupRoutes } from './routes/nodegroups.js';
import { statusPageRoutes } from './routes/status-page.js';
import { overrideRoutes } from './routes/overrides.js';
import { validatorCompiler } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on routes that need a scope, when auth is enabled. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one (probes, metrics) are open. */
    scope?: Scope;
  }
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const API_PREFIX = '/api/v1';

const REDACTED = '[redacted]';

/** Logs request headers with credentials removed (fastify's default logs none; we keep useful ones). */
function requestSerializer(req: {
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  ip?: string;
}) {
  const headers = { ...(req.headers ?? {}) };
  for (const h of ['authorization', 'cookie', 'proxy-authorization']) if (h in headers) headers[h] = REDACTED;
  return { method: req.method, url: req.url, remoteAddress: req.ip, headers };
}

function loggerOptions(logger: ApiDeps['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const opts = logger === true ? {} : logger;
  return {
    level: opts.level ?? 'info',
    ...(opts.stream ? { stream: opts.stream } : {}),
    serializers: { req: requestSerializer },
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: REDACTED },
  };
}

export function buildServer(deps: ApiDeps): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(deps.logger),
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Oversized headers (431) and unparsable requests: same error shape.
    clientErrorHandler,
    // Malformed URLs and the like: same error shape as everything else.
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply).code(400).send(errorBody(400, err.message));
    },
  });
  app.setValidatorCompiler(validatorCompiler());
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  // JSON only: any other content type is a 415.
  app.removeContentTypeParser(['text/plain']);
  // Duplicate keys and lone surrogates are 400s, not last-wins.
  useStrictJson(app);

  app.addHook('onRequest', async (req) => {
    const scope = req.routeOptions.config.scope;
    if (!scope || deps.auth === null) return;
    const principal = deps.auth.authenticate(req.headers.authorization);
    if (!principal) {
      deps.onAuthFailure?.(req.headers.authorization ? 'invalid' : 'missing');
      throw new ApiError(401, 'a bearer token is required (Authorization: Bearer <token>)');
    }
    if (!hasScope(principal, scope)) {
      deps.onAuthFailure?.('forbidden');
      throw new ApiError(403, `token ${principal.name} lacks the ${scope} scope`);
    }
    req.principal = principal;
  });
  const accessLog = deps.accessLog;
  if (accessLog) {
    app.addHook('onResponse', async (req, reply) => {
      const principal = req.principal?.name ?? (deps.auth === null ? 'anonymous' : undefined);
      accessLog({
        method: req.method,
        route: req.routeOptions.url ?? req.url.split('?')[0]!,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ...(principal ? { principal } : {}),
        remoteAddress: req.ip,
      });
    });
  }

  void app.register(healthRoutes(deps));
  void app.register(nodegroupRoutes(deps), { prefix: API_PREFIX });
  void app.register(historyRoutes(deps), { prefix: API_PREFIX });
  void app.register(statusPageRoutes);
  void app.register(decisionRoutes(deps), { prefix: API_PREFIX });
  void app.register(overrideRoutes(deps), { prefix: API_PREFIX });
  return app;
}
