export { buildServer, API_PREFIX, DEFAULT_BODY_LIMIT } from './server.js';
export type { ApiDeps, ApiLoggerOptions, MetricsRenderer, WriteRateLimit } from './deps.js';
export type { AgentView, ForecastPointView, ForecastResponse, GroupStatusView } from './agent-view.js';
export type { Principal, Scope, TokenAuth, TokenEntry } from './auth.js';
export { ANONYMOUS, createTokenAuth } from './auth.js';
export { loadTokenAuth, readTokenEntries, TokenFileError } from './token-file.js';
