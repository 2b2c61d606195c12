/**
 * Kubernetes Events for scale actions, recorded on the object scaled (MachineDeployment,
 * MachineSet, headroom Deployment) so `kubectl describe` and event exporters show them:
 * core/v1 Events with reason ScaledOut / ScaledIn / ScaleFailed, message `from -> to: <reasons>`,
 * source and reportingComponent `nodecast`, type Warning for failures. A repeat of the same event
 * on the same object within `aggregateWindowMs` bumps count and lastTimestamp instead of creating
 * another (like client-go's correlator). Writing events never fails the caller: errors are logged
 * and swallowed. The involved object's uid is looked up (best effort, cached) so
 * `kubectl describe` lists the events.
 */
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Event,
  type KubeConfig,
} from '@kubernetes/client-node';
import { hostname } from 'node:os';
import type { ObjectReference } from '../providers/provider.js';
import { systemClock, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../logger.js';
import { scaleMessage, type EventRecorder, type ScaleEvent } from './event-recorder.js';

export interface KubeEventRecorderOptions {
  readonly kubeConfig: KubeConfig;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Where events go when the provider scales no Kubernetes object (dry-run, sim). */
  readonly fallbackObject?: ObjectReference;
  /** reportingInstance; default the host name (the pod name in a cluster). */
  readonly instance?: string;
  /** Same event on the same object within this window increments count. 0 disables. Default 10 min. */
  readonly aggregateWindowMs?: number;
}

interface Aggregate {
  readonly namespace: string;
  readonly name: string;
  count: number;
  lastAt: number;
}

export class KubeEventRecorder implements EventRecorder {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly instance: string;
  private readonly uids = new Map<string, string>();
  private readonly aggregates = new Map<string, Aggregate>();
  private seq = 0;

  constructor(private readonly opts: KubeEventRecorderOptions) {
    this.core = opts.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = opts.kubeConfig.makeApiClient(AppsV1Api);
    this.custom = opts.kubeConfig.makeApiClient(CustomObjectsApi);
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.instance = opts.instance ?? hostname();
  }

  async record(event: ScaleEvent): Promise<void> {
    const object = event.object ?? this.opts.fallbackObject;
    if (!object) return;
    const message = scaleMessage(event);
    try {
      const key = `${object.apiVersion}/${object.kind}/${object.namespace}/${object.name}|${event.reason}|${message}`;
      const now = this.clock.now();
      const prior = this.aggregates.get(key);
      const window = this.opts.aggregateWindowMs ?? 600_000;
      if (prior && window > 0 && now - prior.lastAt < window && (await this.bump(prior, now))) return;
      const created = await this.create(object, event, message, now);
      this.aggregates.set(key, { namespace: object.namespace, name: created, count: 1, lastAt: now });
      this.prune(now, window);
    } catch (err) {
      this.logger.warn(
        `could not record event ${event.reason} on ${object.kind} ${object.namespace}/${object.name}`,
        {
          group: event.group,
          error: err instanceof Error ? err.message : String(err),
        },
      );
    }
  }

  private async create(
    object: ObjectReference,
    event: ScaleEvent,
    message: string,
    now: number,
  ): Promise<string> {
    const name = `${object.name}.${now.toString(16)}${(this.seq++ % 4096).toString(16).padStart(3, '0')}`;
    const at = new Date(now);
    const body: CoreV1Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: object.namespace },
      involvedObject: { ...object, uid: await this.uidOf(object) },
      reason: event.reason,
      message,
      type: event.reason === 'ScaleFailed' ? 'Warning' : 'Normal',
      action: 'Scale',
      source: { component: 'nodecast', host: this.instance },
      reportingComponent: 'nodecast',
      reportingInstance: this.instance,
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    };
    await this.core.createNamespacedEvent({ namespace: object.namespace, body });
    return name;
  }

  /** Increments an earlier event; false when it is gone (expired) so a new one is created. */
  private async bump(prior: Aggregate, now: number): Promise<boolean> {
    try {
      await this.core.patchNamespacedEvent(
        {
          namespace: prior.namespace,
          name: prior.name,
          body: { count: prior.count + 1, lastTimestamp: new Date(now).toISOString() },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      prior.count += 1;
      prior.lastAt = now;
      return true;
    } catch {
      return false;
    }
  }

  /** The object's uid, so `kubectl describe` finds the event; best effort, cached. */
  private async uidOf(object: ObjectReference): Promise<string | undefined> {
    const key = `${object.apiVersion}/${object.kind}/${object.namespace}/${object.name}`;
    const cached = this.uids.get(key);
    if (cached) return cached;
    try {
      let uid: string | undefined;
      if (object.apiVersion === 'apps/v1' && object.kind === 'Deployment') {
        uid = (await this.apps.readNamespacedDeployment({ namespace: object.namespace, name: object.name }))
          .metadata?.uid;
      } else if (object.apiVersion.includes('/')) {
        const [group, version] = object.apiVersion.split('/') as [string, string];
        const obj = (await this.custom.getNamespacedCustomObject({
          group,
          version,
          namespace: object.namespace,
          plural: `${object.kind.toLowerCase()}s`,
          name: object.name,
        })) as { metadata?: { uid?: string } };
        uid = obj.metadata?.uid;
      }
      if (uid) this.uids.set(key, uid);
      return uid;
    } catch {
      return undefined;
    }
  }

  private prune(now: number, window: number): void {
    if (this.aggregates.size < 1000) return;
    for (const [k, a] of this.aggregates) if (now - a.lastAt >= window) this.aggregates.delete(k);
  }
}
