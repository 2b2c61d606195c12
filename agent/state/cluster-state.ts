/**
 * The one cluster-state object (like karpenter's state.Cluster). Tiny watchers call its handlers
 * (`upsertPod`, `deletePod`, `upsertNode`, ...); the loop reads immutable snapshots.
 *
 * - Views are immutable and reused: a snapshot copies maps of references, never objects, and
 *   reuses the previous maps outright when nothing changed. The node -> pod index is maintained
 *   incrementally; only nodes whose pods changed get a new NodeView.
 * - Handlers never throw (a bad object is logged, counted and skipped or recorded with problems).
 * - nodecast's own headroom placeholder pods are not demand and are left out.
 * - `synced()` stays false until every required source has listed; `health().stale` is true when
 *   a required watch is not synced or has been down longer than `staleAfterMs`.
 * - `onUrgent` listeners hear, once per microtask burst, about pods that just became
 *   unschedulable (not quota-held): the loop debounces and ticks early.
 */
import type { Clock } from '../clock.js';
import type { Config, ScheduledJobConfig } from '../config/types.js';
import type { ClusterSnapshot, GroupObservation, NodeView, PodView } from './snapshot.js';
import { GroupResolver } from './group-resolver.js';
import { isHeadroomPlaceholder, isTerminated, toPodView } from './pod-view.js';
import { toNodeView } from './node-view.js';
import { toScheduledJob, toSparkAppView, type SparkAppView } from './spark-apps.js';
import { expectedExecutors } from './spark-app-demand.js';
import type { SourceHealth } from './source-health.js';
import { SourceRegistry, type SourcesSummary } from './source-registry.js';
import { asObject, asString } from './object-fields.js';
import { silentLogger, type Logger } from '../logger.js';

export interface ClusterStateOptions {
  readonly config: Pick<Config, 'nodeGroups' | 'queues'>;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** A required watch down longer than this makes the state stale. Default 30 s. */
  readonly staleAfterMs?: number;
  /** Duration assumed for a ScheduledSparkApplication without the duration annotation. Default 1800 s. */
  readonly defaultJobDurationSeconds?: number;
}

export interface StateHealth extends SourcesSummary {
  /** Objects seen with malformed fields (or unusable) since start. */
  readonly malformedObjects: number;
  readonly pods: number;
  readonly nodes: number;
}

export type UrgentListener = (pods: readonly PodView[]) => void;

const keyOf = (obj: unknown): string => {
  const m = asObject(asObject(obj)?.metadata);
  return `${asString(m?.namespace) ?? ''}/${asString(m?.name) ?? ''}`;
};
const uidOf = (obj: unknown): string | undefined => asString(asObject(asObject(obj)?.metadata)?.uid);
const isUrgent = (p: PodView): boolean => p.unschedulableSince !== null && !p.quotaHeld && !isTerminated(p);
const boundNode = (p: PodView | undefined): string | null => (p && !isTerminated(p) ? p.nodeName : null);

export class ClusterState {
  private readonly resolver: GroupResolver;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly defaultJobSeconds: number;

  private readonly pods = new Map<string, PodView>();
  private readonly podUidByKey = new Map<string, string>();
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly nodes = new Map<string, NodeView>();
  private readonly nodeViews = new Map<string, NodeView>();
  private readonly dirtyNodes = new Set<string>();
  private readonly sparkApps = new Map<string, SparkAppView>();
  private readonly jobs = new Map<string, ScheduledJobConfig>();
  private readonly problems = new Map<string, string>();
  private readonly sources: SourceRegistry;
  private readonly urgentListeners = new Set<UrgentListener>();
  private urgentBatch: PodView[] = [];
  private malformed = 0;
  private podsSnap: ReadonlyMap<string, PodView> | null = null;
  private nodesSnap: ReadonlyMap<string, NodeView> | null = null;

  constructor(opts: ClusterStateOptions) {
    this.resolver = new GroupResolver(opts.config);
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
    this.sources = new SourceRegistry(opts.clock, opts.staleAfterMs ?? 30_000);
    this.defaultJobSeconds = opts.defaultJobDurationSeconds ?? 1800;
  }

  // ---- handlers the watchers call ----

  upsertPod(obj: unknown): void {
    this.guard('pod', obj, () => {
      if (isHeadroomPlaceholder(obj)) return;
      const key = keyOf(obj);
      const { view, problems } = toPodView(obj, this.resolver, this.clock.now());
      this.noteProblems('pod', key, problems);
      if (!view) return;
      const priorUid = this.podUidByKey.get(key);
      if (priorUid !== undefined && priorUid !== view.uid) this.removePod(priorUid); // recreated while we were away
      const prev = this.pods.get(view.uid);
      this.pods.set(view.uid, view);
      this.podUidByKey.set(key, view.uid);
      this.podsSnap = null;
      this.reindex(view.uid, boundNode(prev), boundNode(view));
      if (isUrgent(view) && !(prev && isUrgent(prev))) this.queueUrgent(view);
    });
  }

  deletePod(obj: unknown): void {
    this.guard('pod', obj, () => {
      const key = keyOf(obj);
      const uid = uidOf(obj) ?? this.podUidByKey.get(key);
      if (uid !== undefined) this.removePod(uid);
      this.problems.delete(`pod ${key}`);
    });
  }

  upsertNode(obj: unknown): void {
    this.guard('node', obj, () => {
      const { view, problems } = toNodeView(obj, this.resolver);
      this.noteProblems('node', keyOf(obj), problems);
      if (!view) return;
      this.nodes.set(view.name, view);
      this.dirtyNodes.add(view.name);
      this.nodesSnap = null;
    });
  }

  deleteNode(obj: unknown): void {
    this.guard('node', obj, () => {
      const name = asString(asObject(asObject(obj)?.metadata)?.name);
      if (name === undefined) return;
      this.nodes.delete(name);
      this.nodeViews.delete(name);
      this.nodesSnap = null;
      this.problems.delete(`node ${keyOf(obj)}`);
    });
  }

  upsertSparkApp(obj: unknown): void {
    this.guard('sparkapplication', obj, () => {
      const { view, problems } = toSparkAppView(obj);
      this.noteProblems('sparkapplication', keyOf(obj), problems);
      if (view) this.sparkApps.set(keyOf(obj), view);
    });
  }

  deleteSparkApp(obj: unknown): void {
    this.sparkApps.delete(keyOf(obj));
  }

  upsertScheduledSparkApp(obj: unknown): void {
    this.guard('scheduledsparkapplication', obj, () => {
      const { job, problems } = toScheduledJob(obj, this.defaultJobSeconds);
      this.noteProblems('scheduledsparkapplication', keyOf(obj), problems);
      if (job) this.jobs.set(keyOf(obj), job);
      else this.jobs.delete(keyOf(obj)); // suspended or broken now
    });
  }

  deleteScheduledSparkApp(obj: unknown): void {
    this.jobs.delete(keyOf(obj));
  }

  // ---- readers ----

  /** The immutable snapshot; `groups` are the providers' target sizes (the loop reads them). */
  snapshot(now: number, groups: Iterable<GroupObservation> = []): ClusterSnapshot {
    this.podsSnap ??= new Map(this.pods);
    if (this.nodesSnap === null || this.dirtyNodes.size > 0) {
      for (const name of this.dirtyNodes) this.nodeViews.delete(name);
      this.dirtyNodes.clear();
      const nodes = new Map<string, NodeView>();
      for (const name of this.nodes.keys()) nodes.set(name, this.nodeView(name));
      this.nodesSnap = nodes;
    }
    const groupMap = new Map<string, GroupObservation>();
    for (const g of groups instanceof Map ? groups.values() : groups) groupMap.set(g.name, g);
    const snap = { takenAt: now, nodes: this.nodesSnap, pods: this.podsSnap, groups: groupMap };
    if (this.sparkApps.size === 0) return Object.freeze(snap);
    const expected = expectedExecutors(this.sparkApps.values(), this.pods.values(), (queue) =>
      this.resolver.podGroup({ requirements: [], sparkRole: 'executor', queue }),
    );
    return Object.freeze(expected.size > 0 ? { ...snap, expectedExecutors: expected } : snap);
  }

  /** Nodes of a group that are not on their way out (Ready or still coming up). */
  groupNodeCount(group: string): number {
    let n = 0;
    for (const node of this.nodes.values()) if (node.group === group && !node.unschedulable) n += 1;
    return n;
  }

  sparkApplications(): readonly SparkAppView[] {
    return [...this.sparkApps.values()];
  }

  /** ScheduledSparkApplications as scheduled jobs, for the forecaster. */
  scheduledJobs(): readonly ScheduledJobConfig[] {
    return [...this.jobs.values()];
  }

  onUrgent(listener: UrgentListener): () => void {
    this.urgentListeners.add(listener);
    return () => this.urgentListeners.delete(listener);
  }

  // ---- sync and health ----

  /** The health record a watcher reports into (created on first use). */
  source(name: string, opts: { required?: boolean } = {}): SourceHealth {
    return this.sources.source(name, opts);
  }

  synced(): boolean {
    return this.sources.synced();
  }

  /** Resolves true once synced, false when `timeoutMs` passes first. */
  waitForSync(timeoutMs: number): Promise<boolean> {
    return this.sources.waitForSync(timeoutMs);
  }

  health(): StateHealth {
    return {
      ...this.sources.summary(),
      malformedObjects: this.malformed,
      pods: this.pods.size,
      nodes: this.nodes.size,
    };
  }

  // ---- internals ----

  private nodeView(name: string): NodeView {
    let view = this.nodeViews.get(name);
    if (!view) {
      const base = this.nodes.get(name)!;
      const uids = this.podsByNode.get(name);
      view = uids && uids.size > 0 ? Object.freeze({ ...base, podUids: Object.freeze([...uids]) }) : base;
      this.nodeViews.set(name, view);
    }
    return view;
  }

  private removePod(uid: string): void {
    const prev = this.pods.get(uid);
    if (!prev) return;
    this.pods.delete(uid);
    const key = `${prev.namespace}/${prev.name}`;
    if (this.podUidByKey.get(key) === uid) this.podUidByKey.delete(key);
    this.podsSnap = null;
    this.reindex(uid, boundNode(prev), null);
  }

  private reindex(uid: string, from: string | null, to: string | null): void {
    if (from === to) return;
    if (from !== null) {
      const set = this.podsByNode.get(from);
      set?.delete(uid);
      if (set?.size === 0) this.podsByNode.delete(from);
      this.dirtyNodes.add(from);
    }
    if (to !== null) {
      let set = this.podsByNode.get(to);
      if (!set) this.podsByNode.set(to, (set = new Set()));
      set.add(uid);
      this.dirtyNodes.add(to);
    }
  }

  private queueUrgent(pod: PodView): void {
    if (this.urgentBatch.push(pod) > 1) return;
    queueMicrotask(() => {
      const batch = this.urgentBatch;
      this.urgentBatch = [];
      for (const listener of this.urgentListeners) {
        try {
          listener(batch);
        } catch (err) {
          this.logger.error('urgent listener failed', { error: String(err) });
        }
      }
    });
  }

  /** Logs a kind/key's problems when they change (not on every update of the same broken object). */
  private noteProblems(kind: string, key: string, problems: readonly string[]): void {
    const id = `${kind} ${key}`;
    if (problems.length === 0) {
      this.problems.delete(id);
      return;
    }
    const text = problems.join('; ');
    if (this.problems.get(id) === text) return;
    this.problems.set(id, text);
    this.malformed += 1;
    this.logger.warn(`malformed ${kind} ${key}: ${text}`, { kind, object: key, problems });
  }

  private guard(kind: string, obj: unknown, f: () => void): void {
    try {
      f();
    } catch (err) {
      this.malformed += 1;
      this.logger.error(`failed to apply ${kind} ${keyOf(obj)}`, {
        kind,
        object: keyOf(obj),
        error: String(err),
      });
    }
  }
}
