/** GET /nodegroups, /nodegroups/:name and /nodegroups/:name/forecast (read scope). */
import type { FastifyPluginAsync } from 'fastify';
import type { GroupStatusView } from '../agent-view.js';
import { overridesOf, type ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { overrideDto } from '../override-dto.js';
import { errorResponses, groupNameParams, noQuery, overrideSchema, reasonSchema } from '../schemas.js';
import { parseHorizon } from '../time-params.js';

const groupSchema = {
  type: 'object',
  required: [
    'name',
    'role',
    'current',
    'target',
    'min',
    'max',
    'demandNodes',
    'forecastMode',
    'lastReasons',
    'nodes',
  ],
  properties: {
    name: { type: 'string' },
    role: { type: 'string' },
    current: { type: 'integer' },
    target: { type: 'integer' },
    min: { type: 'integer' },
    max: { type: 'integer' },
    demandNodes: { type: 'number' },
    forecastMode: { type: 'string' },
    lastReasons: { type: 'array', items: reasonSchema },
    lastPlanAt: { type: 'string' },
    nodes: {
      type: 'object',
      required: ['ready', 'provisioning'],
      properties: { ready: { type: 'integer' }, provisioning: { type: 'integer' } },
    },
  },
} as const;

const groupDetailSchema = {
  ...groupSchema,
  required: [...groupSchema.required, 'activeOverrides'],
  properties: { ...groupSchema.properties, activeOverrides: { type: 'array', items: overrideSchema } },
} as const;

const forecastSchema = {
  type: 'object',
  required: ['group', 'model', 'trusted', 'generatedAt', 'stepSeconds', 'horizonSeconds', 'points'],
  properties: {
    group: { type: 'string' },
    model: { type: 'string' },
    trusted: { type: 'boolean' },
    untrustedReason: { type: 'string' },
    generatedAt: { type: 'string' },
    stepSeconds: { type: 'number' },
    horizonSeconds: { type: 'integer' },
    points: {
      type: 'array',
      items: {
        type: 'object',
        required: ['time', 'point', 'p10', 'p50', 'p90'],
        properties: {
          time: { type: 'string' },
          point: { type: 'number' },
          p10: { type: 'number' },
          p50: { type: 'number' },
          p90: { type: 'number' },
        },
      },
    },
  },
} as const;

const forecastQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { horizon: { type: 'string', minLength: 1, maxLength: 20 } },
} as const;

const groupJson = (g: GroupStatusView) => {
  const { lastPlanAt, ...rest } = g;
  return lastPlanAt === undefined ? rest : { ...rest, lastPlanAt: new Date(lastPlanAt).toISOString() };
};

export const nodegroupRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    const find = (name: string): GroupStatusView => {
      const g = deps.agent.groups().find((x) => x.name === name);
      if (!g) throw new ApiError(404, `no node group named ${name}`, 'params.name');
      return g;
    };

    app.get(
      '/nodegroups',
      {
        config: { scope: 'read' },
        schema: {
          querystring: noQuery,
          response: {
            200: {
              type: 'object',
              required: ['items'],
              properties: { items: { type: 'array', items: groupSchema } },
            },
            ...errorResponses,
          },
        },
      },
      async () => ({ items: deps.agent.groups().map(groupJson) }),
    );

    app.get<{ Params: { name: string } }>(
      '/nodegroups/:name',
      {
        config: { scope: 'read' },
        schema: {
          params: groupNameParams,
          querystring: noQuery,
          response: { 200: groupDetailSchema, ...errorResponses },
        },
      },
      async (req) => {
        const g = find(req.params.name);
        const now = deps.clock.now();
        const activeOverrides = overridesOf(deps)
          .list({ group: g.name, status: 'active' })
          .map((o) => overrideDto(o, now));
        return { ...groupJson(g), activeOverrides };
      },
    );

    app.get<{ Params: { name: string }; Querystring: { horizon?: string } }>(
      '/nodegroups/:name/forecast',
      {
        config: { scope: 'read' },
        schema: {
          params: groupNameParams,
          querystring: forecastQuery,
          response: { 200: forecastSchema, ...errorResponses },
        },
      },
      async (req) => {
        const horizonSeconds = parseHorizon(req.query.horizon);
        const g = find(req.params.name);
        const f = deps.agent.forecast(g.name, horizonSeconds);
        if (!f) {
          throw new ApiError(
            404,
            `no forecast for group ${g.name} (forecasting off, or too little history yet)`,
            'params.name',
          );
        }
        return {
          group: g.name,
          model: f.model,
          trusted: f.trusted,
          ...(f.untrustedReason === undefined ? {} : { untrustedReason: f.untrustedReason }),
          generatedAt: new Date(f.generatedAt).toISOString(),
          stepSeconds: f.stepSeconds,
          horizonSeconds,
          points: f.points.map((p) => ({
            time: new Date(p.t).toISOString(),
            point: p.point,
            p10: p.p10,
            p50: p.p50,
            p90: p.p90,
          })),
        };
      },
    );
  };
