/**
 * An API under test: a real store in a temp dir, the fake AgentView, a manual clock shared by
 * store and API, and two tokens (reader: read scope, writer: write scope).
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTokenAuth } from '../../agent/api/auth.js';
import type { ApiDeps } from '../../agent/api/deps.js';
import { buildServer } from '../../agent/api/server.js';
import { ManualClock } from '../../agent/clock.js';
import type { Store } from '../../agent/store/store.js';
import { apiTestConfig, FakeAgentView } from './fake-agent-view.js';
import { openTempStore } from './temp-store.js';

export const READ_TOKEN = 'reader-token-0123456789abcdef';
export const WRITE_TOKEN = 'writer-token-0123456789abcdef';
export const READ = { authorization: `Bearer ${READ_TOKEN}` };
export const WRITE = { authorization: `Bearer ${WRITE_TOKEN}` };
export const HARNESS_START = Date.parse('2024-03-04T06:00:00Z'); // a Monday

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly agent: FakeAgentView;
  readonly clock: ManualClock;
  readonly dir: string;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function apiHarness(overrides: Partial<ApiDeps> = {}): ApiHarness {
  const clock = new ManualClock(HARNESS_START);
  const { store, dir, cleanup } = openTempStore({ clock });
  const config = apiTestConfig();
  const agent = new FakeAgentView(config);
  const auth = createTokenAuth([
    { name: 'reader', token: READ_TOKEN, scopes: ['read'] },
    { name: 'writer', token: WRITE_TOKEN, scopes: ['write'] },
  ]);
  const app = buildServer({ store, agent, auth, clock, config, ...overrides });
  return {
    app,
    store,
    agent,
    clock,
    dir,
    inject: (opts) => app.inject(opts),
    async close() {
      await app.close();
      cleanup();
    },
  };
}
