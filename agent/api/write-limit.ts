/**
 * Write budgets shared by every write route (a flood of PATCHes and DELETEs counts together): one
 * per client (the token's name when authenticated, auth runs first; else its IP), and one per
 * source address whatever the token, so a host with several tokens cannot multiply its budget.
 * Built on @fastify/rate-limit's `app.rateLimit()` hook factory: two hooks, one counter store each.
 */
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { WriteRateLimit } from './deps.js';
import { ApiError } from './errors.js';

export const DEFAULT_WRITE_RATE_LIMIT: WriteRateLimit = { max: 60, windowMs: 60_000 };

export function writeLimiter(
  app: FastifyInstance,
  limit: WriteRateLimit = DEFAULT_WRITE_RATE_LIMIT,
): onRequestHookHandler[] {
  const hook = (max: number, what: string, key: (req: FastifyRequest) => string) =>
    app.rateLimit({
      max,
      timeWindow: limit.windowMs,
      keyGenerator: key,
      errorResponseBuilder: (_req, ctx) =>
        new ApiError(
          429,
          `too many writes ${what}: at most ${ctx.max} per ${limit.windowMs / 1000}s; retry in ${ctx.after}`,
        ),
    }) as onRequestHookHandler;
  return [
    hook(limit.max, 'from this client', (req) =>
      req.principal ? `token:${req.principal.name}` : `ip:${req.ip}`,
    ),
    allowAnotherLimit,
    hook(limit.perSourceMax ?? limit.max * 4, 'from this address', (req) => `source:${req.ip}`),
  ];
}

/**
 * @fastify/rate-limit marks a request once one of its hooks has counted it, so a second hook of
 * the same registration would skip it; clearing the mark lets the per-address budget count too.
 */
const allowAnotherLimit: onRequestHookHandler = async (req) => {
  const holder = req as unknown as Record<symbol, unknown>;
  for (const key of Object.getOwnPropertySymbols(holder)) {
    if (key.description === 'fastify.request.rateLimitRan') holder[key] = false;
  }
};
