/** GET /decisions: the decision log, newest first, paginated by cursor (read scope). */
import type { FastifyPluginAsync } from 'fastify';
import { MAX_DECISION_PAGE } from '../../store/decisions-repo.js';
import type { ApiDeps } from '../deps.js';
import { mapStoreErrors } from '../errors.js';
import { errorResponses, reasonSchema } from '../schemas.js';
import { parseSince } from '../time-params.js';

interface DecisionsQuery {
  group?: string;
  since?: string;
  limit: number;
  cursor?: string;
}

const query = {
  type: 'object',
  additionalProperties: false,
  properties: {
    group: { type: 'string', minLength: 1, maxLength: 253 },
    since: { type: 'string', minLength: 1, maxLength: 40 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_DECISION_PAGE, default: 100 },
    cursor: { type: 'string', minLength: 1, maxLength: 100 },
  },
} as const;

const pageSchema = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'time', 'group', 'from', 'to', 'reasons', 'outcome'],
        properties: {
          id: { type: 'integer' },
          time: { type: 'string' },
          group: { type: 'string' },
          from: { type: 'integer' },
          to: { type: 'integer' },
          reasons: { type: 'array', items: reasonSchema },
          outcome: { type: 'string' },
          detail: { type: 'string' },
        },
      },
    },
    nextCursor: { type: 'string' },
  },
} as const;

export const decisionRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.get<{ Querystring: DecisionsQuery }>(
      '/decisions',
      {
        config: { scope: 'read' },
        schema: { querystring: query, response: { 200: pageSchema, ...errorResponses } },
      },
      async (req) => {
        const q = req.query;
        const since = parseSince(q.since, deps.clock.now());
        const page = mapStoreErrors(
          () => deps.store.queryDecisions({ group: q.group, since, limit: q.limit, cursor: q.cursor }),
          (f) => `querystring.${f}`,
        );
        return {
          items: page.items.map(({ at, ...d }) => ({ ...d, time: new Date(at).toISOString() })),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        };
      },
    );
  };
