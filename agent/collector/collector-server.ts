/**
 * The collector's HTTP endpoints (built, not listening: tests use inject(), the command listens):
 *   GET /usage    this node's usage and its pods' (JSON, usage-report.ts); 503 when none is fresh
 *   GET /metrics  Prometheus text (collector-metrics.ts)
 *   GET /healthz  the process is alive
 *   GET /readyz   a fresh kubelet summary is available (503 otherwise, with the reason)
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { CollectorMetrics } from './collector-metrics.js';
import type { LatestReport } from './collector.js';
import { toUsageReportJson } from '../usage/usage-report.js';

export interface CollectorServerDeps {
  readonly latest: () => LatestReport;
  readonly metrics: CollectorMetrics;
}

const statusSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' }, reason: { type: 'string' } },
} as const;

const usage = {
  type: 'object',
  properties: { cpu: { type: 'number' }, memoryBytes: { type: 'number' } },
} as const;

const reportSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'node', 'group', 'collectedAt', 'usage', 'pods', 'skippedPods'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    node: { type: 'string' },
    group: { type: ['string', 'null'] },
    collectedAt: { type: 'string' },
    usage,
    pods: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          namespace: { type: 'string' },
          name: { type: 'string' },
          cpu: { type: 'number' },
          memoryBytes: { type: 'number' },
        },
      },
    },
    skippedPods: {
      type: 'array',
      items: { type: 'object', properties: { pod: { type: 'string' }, reason: { type: 'string' } } },
    },
  },
} as const;

export function buildCollectorServer(deps: CollectorServerDeps): FastifyInstance {
  const app = Fastify({ logger: false });

  app.get(
    '/usage',
    { schema: { response: { 200: reportSchema, 503: statusSchema } } },
    async (_req, reply) => {
      const latest = deps.latest();
      if (!latest.ok) return reply.code(503).send({ status: 'unavailable', reason: latest.reason });
      return toUsageReportJson(latest.report);
    },
  );

  app.get('/metrics', async (_req, reply) => {
    const body = await deps.metrics.render();
    return reply.type(deps.metrics.contentType).send(body);
  });

  app.get('/healthz', { schema: { response: { 200: statusSchema } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { schema: { response: { 200: statusSchema, 503: statusSchema } } },
    async (_req, reply) => {
      const latest = deps.latest();
      if (latest.ok) return { status: 'ready' };
      return reply.code(503).send({ status: 'not-ready', reason: latest.reason });
    },
  );

  return app;
}
