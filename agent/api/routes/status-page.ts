/**
 * GET / : the status page shell (agent/report/status-page.ts). No data in it, so no scope: the
 * page's own requests to /api/v1 carry the viewer's token and are authorised like any client's.
 * The CSP forbids loading or sending anything beyond this agent.
 */
import type { FastifyPluginAsync } from 'fastify';
import { statusPageHtml } from '../../report/status-page.js';
import { anyQuery } from '../schemas.js';

const CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  'img-src data: blob:',
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const statusPageRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { querystring: anyQuery } }, async (_req, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .send(statusPageHtml()),
  );
};
