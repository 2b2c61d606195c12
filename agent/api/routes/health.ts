/** Probes and metrics: /healthz (alive), /readyz (the loop's readiness), /metrics. No auth. */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { errorResponses, anyQuery } from '../schemas.js';

const statusSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' }, reason: { type: 'string' } },
} as const;

export const healthRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/healthz',
      { schema: { querystring: anyQuery, response: { 200: statusSchema, ...errorResponses } } },
      async () => ({
        status: 'ok',
      }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          querystring: anyQuery,
          response: { 200: statusSchema, 503: statusSchema, ...errorResponses },
        },
      },
      async (_req, reply) => {
        const r = deps.agent.ready();
        if (r.ready) return { status: 'ready' };
        return reply.code(503).send({ status: 'not-ready', reason: r.reason ?? 'not ready' });
      },
    );

    app.get(
      '/metrics',
      { schema: { querystring: anyQuery, response: { 200: { type: 'string' }, ...errorResponses } } },
      async (req, reply) => {
        if (!deps.metrics) throw new ApiError(404, 'metrics are not enabled in this agent');
        const { body, contentType } = await deps.metrics.render(req.headers.accept ?? '');
        return reply.type(contentType).send(body);
      },
    );
  };
