/**
 * Overrides: POST/PATCH/DELETE need the write scope and share one write rate limit per client;
 * GETs need read. `createdBy` and the audit actor come from the token's name, never the body.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { NodeGroupConfig } from '../../config/types.js';
import type { OverrideInput, OverridePatch } from '../../store/override-model.js';
import type { OverrideStatusFilter } from '../../store/overrides-repo.js';
import { ANONYMOUS } from '../auth.js';
import { overridesOf, type ApiDeps } from '../deps.js';
import { ApiError, mapStoreErrorsAsync } from '../errors.js';
import { overrideDto } from '../override-dto.js';
import {
  createOverrideBody,
  errorResponses,
  idParams,
  overrideSchema,
  patchOverrideBody,
} from '../schemas.js';
import { writeLimiter } from '../write-limit.js';

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    group: { type: 'string', minLength: 1, maxLength: 253 },
    status: { type: 'string', enum: ['active', 'current', 'all'], default: 'current' },
  },
} as const;

const listSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: overrideSchema } },
} as const;

const bodyField = (f: string) => (f === 'id' ? 'params.id' : `body.${f}`);

export const overrideRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    await app.register(rateLimit, { global: false });
    const limited = writeLimiter(app, deps.rateLimit);
    const actor = (req: FastifyRequest) => (req.principal ?? ANONYMOUS).name;
    const now = () => deps.clock.now();
    const store = overridesOf(deps);

    const groupOf = (name: string): NodeGroupConfig | undefined =>
      deps.config.nodeGroups.find((g) => g.name === name);
    /** Node counts must lie within the group's configured bounds: those always win. */
    const checkValue = (group: NodeGroupConfig, value: number | null | undefined) => {
      if (value === undefined || value === null) return;
      if (value < group.min || value > group.max) {
        throw new ApiError(
          400,
          `body.value ${value} is outside group ${group.name}'s bounds [${group.min}, ${group.max}]`,
          'body.value',
        );
      }
    };

    app.post<{ Body: OverrideInput }>(
      '/overrides',
      {
        config: { scope: 'write' },
        onRequest: limited,
        schema: { body: createOverrideBody, response: { 201: overrideSchema, ...errorResponses } },
      },
      async (req, reply) => {
        const group = groupOf(req.body.group);
        if (!group) {
          const known = deps.config.nodeGroups.map((g) => g.name).join(', ');
          throw new ApiError(
            400,
            `body.group: no node group named ${req.body.group} (known: ${known})`,
            'body.group',
          );
        }
        checkValue(group, req.body.value);
        const created = await mapStoreErrorsAsync(() => store.create(req.body, actor(req)), bodyField);
        return reply
          .code(201)
          .header('location', `/api/v1/overrides/${encodeURIComponent(created.id)}`)
          .send(overrideDto(created, now()));
      },
    );

    app.get<{ Querystring: { group?: string; status: OverrideStatusFilter } }>(
      '/overrides',
      {
        config: { scope: 'read' },
        schema: { querystring: listQuery, response: { 200: listSchema, ...errorResponses } },
      },
      async (req) => {
        const t = now();
        return { items: store.list(req.query).map((o) => overrideDto(o, t)) };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/overrides/:id',
      {
        config: { scope: 'read' },
        schema: { params: idParams, response: { 200: overrideSchema, ...errorResponses } },
      },
      async (req) => {
        const o = store.get(req.params.id);
        if (!o) throw new ApiError(404, `no override with id ${req.params.id}`, 'params.id');
        return overrideDto(o, now());
      },
    );

    app.patch<{ Params: { id: string }; Body: OverridePatch }>(
      '/overrides/:id',
      {
        config: { scope: 'write' },
        onRequest: limited,
        schema: {
          params: idParams,
          body: patchOverrideBody,
          response: { 200: overrideSchema, ...errorResponses },
        },
      },
      async (req) => {
        const current = store.get(req.params.id);
        if (!current) throw new ApiError(404, `no override with id ${req.params.id}`, 'params.id');
        const group = groupOf(current.group);
        if (group) checkValue(group, req.body.value);
        // As POST refuses it (the store checks only at create): an end already past never applies.
        const end = req.body.end;
        if (typeof end === 'string' && Date.parse(end) <= now())
          throw new ApiError(400, 'body.end is in the past: the override would never apply', 'body.end');
        const updated = await mapStoreErrorsAsync(
          () => store.update(req.params.id, req.body, actor(req)),
          bodyField,
        );
        return overrideDto(updated, now());
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/overrides/:id',
      {
        config: { scope: 'write' },
        onRequest: limited,
        schema: { params: idParams, response: { 200: overrideSchema, ...errorResponses } },
      },
      async (req) => {
        const deleted = await mapStoreErrorsAsync(() => store.remove(req.params.id, actor(req)), bodyField);
        return overrideDto(deleted, now());
      },
    );
  };
