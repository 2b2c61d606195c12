/**
 * GET /nodegroups/:name/history?since=6h: the group's demand samples (what the forecaster learns
 * from), oldest first, thinned to at most MAX_HISTORY_POINTS so a week's worth stays one small
 * response. Read scope. The status page draws it next to the forecast band.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { errorResponses, groupNameParams } from '../schemas.js';
import { parseSince } from '../time-params.js';

export const MAX_HISTORY_POINTS = 2000;
const MAX_SINCE_MS = 35 * 86_400_000;

const historyQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { since: { type: 'string', minLength: 1, maxLength: 40 } },
} as const;

const historySchema = {
  type: 'object',
  required: ['group', 'since', 'points'],
  properties: {
    group: { type: 'string' },
    since: { type: 'string' },
    points: {
      type: 'array',
      items: {
        type: 'object',
        required: ['time', 'value'],
        properties: { time: { type: 'string' }, value: { type: 'number' } },
      },
    },
  },
} as const;

/** Every k-th point, keeping the last, so the newest sample is always shown. */
function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const every = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % every === 0);
  if ((points.length - 1) % every !== 0) out.push(points[points.length - 1]!);
  return out;
}

export const historyRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.get<{ Params: { name: string }; Querystring: { since?: string } }>(
      '/nodegroups/:name/history',
      {
        config: { scope: 'read' },
        schema: {
          params: groupNameParams,
          querystring: historyQuery,
          response: { 200: historySchema, ...errorResponses },
        },
      },
      async (req) => {
        const now = deps.clock.now();
        const since = parseSince(req.query.since ?? '6h', now)!;
        if (since < now - MAX_SINCE_MS) {
          throw new ApiError(400, 'querystring.since must be within the last 35 days', 'querystring.since');
        }
        const name = req.params.name;
        if (!deps.agent.groups().some((g) => g.name === name)) {
          throw new ApiError(404, `no node group named ${name}`, 'params.name');
        }
        const points = thin(deps.store.loadHistory(name, since), MAX_HISTORY_POINTS);
        return {
          group: name,
          since: new Date(since).toISOString(),
          points: points.map((p) => ({ time: new Date(p.t).toISOString(), value: p.value })),
        };
      },
    );
  };
