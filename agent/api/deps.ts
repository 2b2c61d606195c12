/** What buildServer needs from the rest of the agent. */
import type { Clock } from '../clock.js';
import type { Config } from '../config/types.js';
import type { Store } from '../store/store.js';
import { localOverrides, type OverrideBackend } from '../store/override-backend.js';
import type { AgentView } from './agent-view.js';
import type { TokenAuth } from './auth.js';

export interface MetricsRenderer {
  /** Renders the registry for an Accept header (OpenMetrics when asked for). */
  render(accept: string): Promise<{ body: string; contentType: string }>;
}

export interface ApiLoggerOptions {
  readonly level?: string;
  /** Where log lines go (default stdout). */
  readonly stream?: { write(line: string): void };
}

export interface WriteRateLimit {
  /** Writes allowed per client (token, else IP) per window; default 60. */
  readonly max: number;
  /** Default 60 000. */
  readonly windowMs: number;
  /**
   * Writes allowed per source address per window, whatever tokens it uses (default 4 x max): one
   * host holding several tokens cannot multiply its budget.
   */
  readonly perSourceMax?: number;
}

export interface ApiDeps {
  readonly store: Store;
  /** Where overrides are read and written; default: the store's own (SQLite). */
  readonly overrides?: OverrideBackend;
  readonly agent: AgentView;
  /** null = auth disabled (local demo): every request acts as `anonymous` with all scopes. */
  readonly auth: TokenAuth | null;
  readonly metrics?: MetricsRenderer;
  readonly clock: Clock;
  readonly config: Config;
  /** false / absent = no request log. The Authorization header is always redacted. */
  readonly logger?: boolean | ApiLoggerOptions;
  readonly rateLimit?: WriteRateLimit;
  /** Request body limit in bytes (default 64 KiB). */
  readonly bodyLimit?: number;
  /** One entry per finished request (the agent logs it): never the token, only its name. */
  readonly accessLog?: (entry: AccessLogEntry) => void;
  /** A request refused for its credentials (the agent counts them in nodecast_api_auth_failures_total). */
  readonly onAuthFailure?: (reason: AuthFailureReason) => void;
}

export type AuthFailureReason = 'missing' | 'invalid' | 'forbidden';

export interface AccessLogEntry {
  readonly method: string;
  /** The route pattern (`/api/v1/overrides/:id`), or the raw path when no route matched. */
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  /** Token name; `anonymous` with auth off; absent when the request was not authenticated. */
  readonly principal?: string;
  readonly remoteAddress: string;
}

const locals = new WeakMap<Store, OverrideBackend>();

/** The overrides the API serves: the configured backend, or the local store's. */
export function overridesOf(deps: ApiDeps): OverrideBackend {
  if (deps.overrides) return deps.overrides;
  let local = locals.get(deps.store);
  if (!local) locals.set(deps.store, (local = localOverrides(deps.store)));
  return local;
}
