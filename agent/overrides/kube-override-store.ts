/**
 * Overrides as ForecastOverride objects in one namespace. Every replica keeps them in memory
 * through an informer (a resilient list+watch), so the leader's tick reads the same overrides
 * whichever replica took the write, and nothing is lost when a pod goes away. Writes validate and
 * check conflicts exactly as the SQLite store does (override-rules.ts) against that cache, then
 * write through the API server; updates are compare-and-swap on resourceVersion (retried once).
 * The audit trail is the object's status.history plus a line in the agent's log. Every call has a
 * timeout: a slow API server is a 503 to the client, never a stalled agent.
 */
import { randomUUID } from 'node:crypto';
import {
  CustomObjectsApi,
  VersionApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Clock } from '../clock.js';
import type { ActiveOverride } from '../decide/plan.js';
import type { Logger } from '../logger.js';
import type { OverrideBackend } from '../store/override-backend.js';
import type { Override, OverrideInput, OverridePatch } from '../store/override-model.js';
import { applyPatch, specFromInput } from '../store/override-model.js';
import {
  activeAt,
  checkWrite,
  filterOverrides,
  newestFirst,
  type OverrideFilter,
} from '../store/override-rules.js';
import { StoreError } from '../store/store-errors.js';
import { SourceHealth } from '../state/source-health.js';
import { ResilientWatcher } from '../state/watcher.js';
import {
  OVERRIDE_GROUP,
  OVERRIDE_PLURAL,
  OVERRIDE_VERSION,
  fromObject,
  toObject,
  withHistory,
  type ForecastOverrideObject,
} from './override-object.js';
import { kubeFailure, withTimeout } from './kube-call.js';

export interface KubeOverrideStoreOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Per Kubernetes call (default 5 s). */
  readonly timeoutMs?: number;
  readonly newId?: () => string;
}

export class KubeOverrideStore implements OverrideBackend {
  readonly kind = 'kubernetes' as const;
  readonly health: SourceHealth;
  private readonly api: CustomObjectsApi;
  private readonly cache = new Map<string, Override>();
  private readonly watcher: ResilientWatcher;
  private readonly timeoutMs: number;
  private readonly skipped = new Map<string, string>();

  constructor(private readonly opts: KubeOverrideStoreOptions) {
    this.api = opts.kubeConfig.makeApiClient(CustomObjectsApi);
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.health = new SourceHealth(OVERRIDE_PLURAL, true, opts.clock);
    const versionApi = opts.kubeConfig.makeApiClient(VersionApi);
    const ref = {
      group: OVERRIDE_GROUP,
      version: OVERRIDE_VERSION,
      namespace: opts.namespace,
      plural: OVERRIDE_PLURAL,
    };
    this.watcher = new ResilientWatcher(
      opts.kubeConfig,
      {
        name: OVERRIDE_PLURAL,
        path: `/apis/${OVERRIDE_GROUP}/${OVERRIDE_VERSION}/namespaces/${opts.namespace}/${OVERRIDE_PLURAL}`,
        list: async () => {
          const list = (await this.call('list', () => this.api.listNamespacedCustomObject(ref))) as {
            items: unknown[];
            metadata?: { resourceVersion?: string };
          };
          const rv = list.metadata?.resourceVersion;
          return { items: list.items, ...(rv ? { resourceVersion: rv } : {}) };
        },
        trim: (raw) => ((raw as KubernetesObject)?.metadata?.name ? (raw as KubernetesObject) : null),
        upsert: (obj) => this.upsert(obj as unknown as ForecastOverrideObject),
        remove: (obj) => this.cache.delete(obj.metadata?.name ?? ''),
      },
      this.health,
      { logger: opts.logger, probe: () => versionApi.getCode() },
    );
  }

  /**
   * Starts the informer; resolves once the first list is in, or rejects (a missing CRD, no RBAC,
   * no API server) so start-up can name the problem.
   */
  async start(): Promise<void> {
    await this.watcher.start();
    if (!this.health.synced) {
      await this.watcher.stop();
      const why = this.health.status().lastError ?? 'no answer';
      throw new Error(
        `cannot list ${OVERRIDE_PLURAL}.${OVERRIDE_GROUP} in namespace ${this.opts.namespace}: ${why} ` +
          '(is deploy/forecastoverride-crd.yaml applied, and may the agent list them?)',
      );
    }
  }

  stop(): Promise<void> {
    return this.watcher.stop();
  }

  /** Objects the informer saw but cannot use, by name, with the reason (logged once each). */
  invalidObjects(): ReadonlyMap<string, string> {
    return this.skipped;
  }

  get(id: string): Override | undefined {
    return this.cache.get(id);
  }

  list(filter: OverrideFilter = {}): Override[] {
    return filterOverrides([...this.cache.values()].sort(newestFirst), filter, this.opts.clock.now());
  }

  active(now: number): ActiveOverride[] {
    return activeAt(this.cache.values(), now);
  }

  async create(input: OverrideInput, actor: string): Promise<Override> {
    const spec = specFromInput(input);
    const now = this.opts.clock.now();
    if (spec.endMs !== undefined && spec.endMs <= now) {
      throw new StoreError('invalid', 'end is in the past: the override would never apply', 'end');
    }
    checkWrite(spec, this.cache.values(), now, undefined);
    const at = new Date(now).toISOString();
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const override: Override = {
      id: (this.opts.newId ?? randomUUID)(),
      group: input.group,
      kind: input.kind,
      ...(input.value === undefined ? {} : { value: input.value }),
      ...(spec.startMs === undefined ? {} : { start: iso(spec.startMs)! }),
      ...(spec.endMs === undefined ? {} : { end: iso(spec.endMs)! }),
      ...(input.cron === undefined ? {} : { cron: input.cron }),
      ...(input.durationSeconds === undefined ? {} : { durationSeconds: input.durationSeconds }),
      reason: input.reason,
      createdBy: actor,
      createdAt: at,
      updatedAt: at,
    };
    const created = (await this.call('create', () =>
      this.api.createNamespacedCustomObject({ ...this.ref(), body: toObject(override, this.opts.namespace) }),
    )) as ForecastOverrideObject;
    this.upsert(created);
    await this.audit(created, { at, actor, action: 'override.create' });
    this.opts.logger.info('override created', {
      id: override.id,
      group: override.group,
      kind: override.kind,
      actor,
    });
    return this.cache.get(override.id) ?? override;
  }

  async update(id: string, patch: OverridePatch, actor: string): Promise<Override> {
    return this.rewrite(id, actor, 'override.update', (current, now) => {
      const merged = applyPatch(current, patch);
      const spec = specFromInput(merged);
      checkWrite(spec, this.cache.values(), now, id);
      const next = fromObject(
        toObject({ ...current, ...merged, updatedAt: new Date(now).toISOString() }, ''),
      );
      if ('problem' in next) throw new StoreError('invalid', next.problem);
      // fromObject drops cleared fields: absent in `merged` means absent in the object.
      return { ...next, id, createdBy: current.createdBy, createdAt: current.createdAt };
    });
  }

  async remove(id: string, actor: string): Promise<Override> {
    return this.rewrite(id, actor, 'override.delete', (current, now) => {
      const at = new Date(now).toISOString();
      return { ...current, deletedAt: at, updatedAt: at };
    });
  }

  /** Read-modify-write with compare-and-swap; one retry when another replica wrote in between. */
  private async rewrite(
    id: string,
    actor: string,
    action: string,
    change: (current: Override, now: number) => Override,
  ): Promise<Override> {
    for (let attempt = 1; ; attempt++) {
      const fresh = (await this.call(
        'get',
        () => this.api.getNamespacedCustomObject({ ...this.ref(), name: id }),
        id,
      )) as ForecastOverrideObject;
      this.upsert(fresh);
      const current = this.cache.get(id);
      if (!current)
        throw new StoreError(
          'conflict',
          `override ${id} is not a valid ForecastOverride: ${this.skipped.get(id)}`,
          'id',
        );
      if (current.deletedAt !== undefined)
        throw new StoreError('conflict', `override ${id} was deleted at ${current.deletedAt}`, 'id');
      const now = this.opts.clock.now();
      const next = change(current, now);
      const body = toObject(next, this.opts.namespace);
      body.metadata.resourceVersion = fresh.metadata.resourceVersion;
      body.metadata.labels = { ...fresh.metadata.labels, ...body.metadata.labels };
      body.status = fresh.status;
      try {
        const written = (await this.call(
          'replace',
          () => this.api.replaceNamespacedCustomObject({ ...this.ref(), name: id, body }),
          id,
        )) as ForecastOverrideObject;
        this.upsert(written);
        await this.audit(written, { at: new Date(now).toISOString(), actor, action });
        this.opts.logger.info(action === 'override.delete' ? 'override deleted' : 'override updated', {
          id,
          actor,
        });
        return this.cache.get(id) ?? next;
      } catch (err) {
        const retry = err instanceof StoreError && err.kind === 'conflict' && /changed/.test(err.message);
        if (!retry || attempt >= 2) throw err;
      }
    }
  }

  /** Appends to status.history; best effort: the write itself already happened. */
  private async audit(
    obj: ForecastOverrideObject,
    entry: { at: string; actor: string; action: string },
  ): Promise<void> {
    const name = obj.metadata.name!;
    try {
      const body = withHistory(obj, entry);
      const written = (await this.call(
        'replace status',
        () => this.api.replaceNamespacedCustomObjectStatus({ ...this.ref(), name, body }),
        name,
      )) as ForecastOverrideObject;
      this.upsert(written);
    } catch (err) {
      this.opts.logger.warn('override audit entry not written to status.history', {
        id: name,
        error: String(err),
      });
    }
  }

  private upsert(obj: ForecastOverrideObject): void {
    const name = obj.metadata?.name ?? '';
    const parsed = fromObject(obj);
    if ('problem' in parsed) {
      this.cache.delete(name);
      if (this.skipped.get(name) !== parsed.problem)
        this.opts.logger.warn('ignoring an invalid ForecastOverride', { name, problem: parsed.problem });
      this.skipped.set(name, parsed.problem);
      return;
    }
    this.skipped.delete(name);
    // Never go back to an older version (a watch event can arrive after our own write's answer).
    const known = this.cache.get(name);
    if (known && Date.parse(known.updatedAt) > Date.parse(parsed.updatedAt)) return;
    this.cache.set(name, parsed);
  }

  private ref() {
    return {
      group: OVERRIDE_GROUP,
      version: OVERRIDE_VERSION,
      namespace: this.opts.namespace,
      plural: OVERRIDE_PLURAL,
    };
  }

  private async call<T>(what: string, fn: () => Promise<T>, id?: string): Promise<T> {
    try {
      return await withTimeout(fn(), this.timeoutMs, what);
    } catch (err) {
      throw kubeFailure(err, what, id);
    }
  }
}
