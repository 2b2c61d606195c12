/**
 * Where overrides live, as the API and the loop see it. Writes are async (a Kubernetes-backed
 * store writes through the API server); reads are synchronous answers from memory or SQLite, so
 * the loop's tick never waits on I/O for them. Two implementations: localOverrides (SQLite, the
 * embedded default for the simulator and `nodecast start` without a cluster) and
 * KubeOverrideStore (ForecastOverride objects; agent/overrides/).
 */
import type { ActiveOverride } from '../decide/plan.js';
import type { Override, OverrideInput, OverridePatch } from './override-model.js';
import type { OverrideFilter } from './override-rules.js';
import type { Store } from './store.js';

export interface OverrideBackend {
  /** Where the overrides are kept (`local` or `kubernetes`), for logs and /readyz reasons. */
  readonly kind: 'local' | 'kubernetes';
  /** Throws StoreError: invalid (400), conflict (409), unavailable (503). */
  create(input: OverrideInput, actor: string): Promise<Override>;
  /** Throws StoreError: not-found (404), invalid (400), conflict (409), unavailable (503). */
  update(id: string, patch: OverridePatch, actor: string): Promise<Override>;
  /** Soft delete. Throws StoreError: not-found (404), conflict (409 when already deleted). */
  remove(id: string, actor: string): Promise<Override>;
  get(id: string): Override | undefined;
  /** Newest first. */
  list(filter?: OverrideFilter): Override[];
  /** The overrides that take effect at `now`, resolved per group. */
  active(now: number): ActiveOverride[];
}

/** The SQLite store's overrides behind the backend interface. */
export function localOverrides(store: Store): OverrideBackend {
  return {
    kind: 'local',
    create: async (input, actor) => store.createOverride(input, actor),
    update: async (id, patch, actor) => store.updateOverride(id, patch, actor),
    remove: async (id, actor) => store.deleteOverride(id, actor),
    get: (id) => store.getOverride(id),
    list: (filter) => store.listOverrides(filter),
    active: (now) => store.activeOverrides(now),
  };
}
