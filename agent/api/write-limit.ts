/**
 * One write budget per client shared by every write route (a flood of PATCHes and DELETEs counts
 * together). The client is the token's name when authenticated (auth runs first), else its IP.
 * Built on @fastify/rate-limit's `app.rateLimit()` hook factory: one hook, one counter store.
 */
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { WriteRateLimit } from './deps.js';
import { ApiError } from './errors.js';

export const DEFAULT_WRITE_RATE_LIMIT: WriteRateLimit = { max: 60, windowMs: 60_000 };

export function writeLimiter(
  app: FastifyInstance,
  limit: WriteRateLimit = DEFAULT_WRITE_RATE_LIMIT,
): onRequestHookHandler {
  return app.rateLimit({
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: (req: FastifyRequest) => (req.principal ? `token:${req.principal.name}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) =>
      new ApiError(
        429,
        `too many writes: at most ${ctx.max} per ${limit.windowMs / 1000}s; retry in ${ctx.after}`,
      ),
  }) as onRequestHookHandler;
}
