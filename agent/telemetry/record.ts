/**
 * Recording helpers the loop calls with plain data. Each takes the Metrics and one small object,
 * writes the matching series and never throws on odd numbers (non-finite values are skipped,
 * counters never go down), so exporting can never break a tick.
 */
import type { ForecastMode, Role } from '../config/types.js';
import type { ReasonCode } from '../decide/plan.js';
import { FORECAST_MODES, NODE_STATES, PROVIDER_ERROR_KINDS, SPARK_ROLES } from './catalog.js';
import type { PodRole, ProviderErrorKind, TickStage } from './catalog.js';
import type { CounterHandle, GaugeHandle, Labels, Metrics } from './metrics.js';

export interface PendingCounts {
  /** Pods whose PodScheduled condition is False/Unschedulable and not held by a queue quota. */
  readonly unschedulable: number;
  /** Pods YuniKorn holds back for queue quota: new nodes cannot help them. */
  readonly quotaHeld: number;
  /** Seconds the oldest unschedulable (not quota-held) pod has waited; 0 when none. */
  readonly oldestUnschedulableSeconds: number;
}

/** One node group as the loop saw it in one tick. Cpu in cores, memory in bytes. */
export interface GroupStatus {
  readonly group: string;
  readonly role: Role;
  readonly ready: number;
  readonly notReady: number;
  /** Nodes the provider is bringing up that have no Node object yet. */
  readonly provisioning: number;
  /** Target size in the current plan. */
  readonly target: number;
  readonly min: number;
  readonly max: number;
  readonly demandNodes: number;
  readonly requestedCpu: number;
  readonly requestedMemoryBytes: number;
  readonly allocatableCpu: number;
  readonly allocatableMemoryBytes: number;
  /** Pending Spark pods that need this group, by Spark role. */
  readonly pendingByRole: Readonly<Record<PodRole, PendingCounts>>;
  /** From the usage source (metrics-server, node collector, simulator); omit when there is none. */
  readonly usedCpu?: number;
  readonly usedMemoryBytes?: number;
}

export function recordGroupStatus(m: Metrics, s: GroupStatus): void {
  const group = { group: s.group };
  m.groupInfo.set({ group: s.group, role: s.role }, 1);
  const byState = { ready: s.ready, not_ready: s.notReady, provisioning: s.provisioning };
  for (const state of NODE_STATES) setGauge(m.groupNodes, { group: s.group, state }, byState[state]);
  setGauge(m.groupTarget, group, s.target);
  setGauge(m.groupMin, group, s.min);
  setGauge(m.groupMax, group, s.max);
  setGauge(m.groupDemand, group, s.demandNodes);
  setGauge(m.groupRequestedCpu, group, s.requestedCpu);
  setGauge(m.groupRequestedMemory, group, s.requestedMemoryBytes);
  setGauge(m.groupAllocatableCpu, group, s.allocatableCpu);
  setGauge(m.groupAllocatableMemory, group, s.allocatableMemoryBytes);
  if (s.usedCpu !== undefined) setGauge(m.groupUsedCpu, group, s.usedCpu);
  if (s.usedMemoryBytes !== undefined) setGauge(m.groupUsedMemory, group, s.usedMemoryBytes);
  for (const role of SPARK_ROLES) {
    const p = s.pendingByRole[role];
    setGauge(m.pendingPods, { group: s.group, role, reason: 'unschedulable' }, p.unschedulable);
    setGauge(m.pendingPods, { group: s.group, role, reason: 'quota_held' }, p.quotaHeld);
    setGauge(m.oldestPendingAge, { group: s.group, role }, p.oldestUnschedulableSeconds);
  }
}

/** One YuniKorn queue and the executor group it runs in. Max values are Infinity when unbounded. */
export interface QueueStatus {
  readonly queue: string;
  readonly group: string;
  readonly requestedCpu: number;
  readonly requestedMemoryBytes: number;
  readonly usedCpu?: number;
  readonly usedMemoryBytes?: number;
  readonly maxCpu?: number;
  readonly maxMemoryBytes?: number;
}

export function recordQueueStatus(m: Metrics, q: QueueStatus): void {
  const labels = { queue: q.queue, group: q.group };
  setGauge(m.queueRequestedCpu, labels, q.requestedCpu);
  setGauge(m.queueRequestedMemory, labels, q.requestedMemoryBytes);
  if (q.usedCpu !== undefined) setGauge(m.queueUsedCpu, labels, q.usedCpu);
  if (q.usedMemoryBytes !== undefined) setGauge(m.queueUsedMemory, labels, q.usedMemoryBytes);
  // An unbounded queue has no limit series rather than +Inf, which breaks ratios on dashboards.
  if (q.maxCpu !== undefined && Number.isFinite(q.maxCpu)) m.queueMaxCpu.set(labels, q.maxCpu);
  else m.queueMaxCpu.remove(labels);
  if (q.maxMemoryBytes !== undefined && Number.isFinite(q.maxMemoryBytes))
    m.queueMaxMemory.set(labels, q.maxMemoryBytes);
  else m.queueMaxMemory.remove(labels);
}

/** The forecast of one group. Numbers are absent when the mode is off or no forecast exists yet. */
export interface ForecastStatus {
  readonly group: string;
  readonly mode: ForecastMode;
  readonly model?: string;
  readonly trusted: boolean;
  readonly pointNodes?: number;
  readonly quantileNodes?: number;
  /** The quantile level, e.g. 0.9. */
  readonly quantile?: number;
  readonly leadSeconds?: number;
  /** Rolling MASE against seasonal naive. */
  readonly mase?: number;
}

const lastModel = new WeakMap<Metrics, Map<string, string>>();

export function recordForecastStatus(m: Metrics, f: ForecastStatus): void {
  const group = { group: f.group };
  for (const mode of FORECAST_MODES) m.forecastMode.set({ group: f.group, mode }, mode === f.mode ? 1 : 0);
  m.forecastTrusted.set(group, f.trusted ? 1 : 0);
  setOrRemove(m.forecastPoint, group, f.pointNodes);
  setOrRemove(m.forecastQuantile, group, f.quantileNodes);
  setOrRemove(m.forecastQuantileLevel, group, f.quantile);
  setOrRemove(m.forecastLead, group, f.leadSeconds);
  setOrRemove(m.forecastMase, group, f.mase);

  // Info-style: exactly one model series per group, so a model change drops the old one.
  const models = lastModel.get(m) ?? new Map<string, string>();
  lastModel.set(m, models);
  const previous = models.get(f.group);
  if (previous !== undefined && previous !== f.model)
    m.forecastModel.remove({ group: f.group, model: previous });
  if (f.model === undefined) models.delete(f.group);
  else {
    m.forecastModel.set({ group: f.group, model: f.model }, 1);
    models.set(f.group, f.model);
  }
}

export type ScaleDirection = 'out' | 'in';

export interface ScaleAction {
  readonly group: string;
  readonly direction: ScaleDirection;
  /** Nodes added (out) or removed (in); positive. */
  readonly nodes: number;
  /** The reason label; use `scaleReason` to pick it from a decision's reasons. */
  readonly reason: ReasonCode;
}

export function recordScaleAction(m: Metrics, a: ScaleAction): void {
  if (!(a.nodes > 0) || !Number.isFinite(a.nodes)) return;
  const labels = { group: a.group, reason: a.reason };
  if (a.direction === 'out') {
    m.scaleOutActions.inc(labels);
    m.scaleOutNodes.inc(labels, a.nodes);
  } else {
    m.scaleInActions.inc(labels);
    m.scaleInNodes.inc(labels, a.nodes);
  }
}

const OUT_PRIORITY: readonly ReasonCode[] = ['override', 'pending-pods', 'forecast', 'min'];
const IN_PRIORITY: readonly ReasonCode[] = ['override', 'idle-node', 'max'];

/** The one reason that drove a change, for the `reason` label (a decision carries several). */
export function scaleReason(
  reasons: readonly { readonly code: ReasonCode }[],
  direction: ScaleDirection,
): ReasonCode {
  const codes = new Set(reasons.map((r) => r.code));
  const priority = direction === 'out' ? OUT_PRIORITY : IN_PRIORITY;
  return priority.find((c) => codes.has(c)) ?? reasons[0]?.code ?? 'steady';
}

/** Counts a failed provider call; unknown kinds are folded into `other` to keep the label bounded. */
export function recordProviderError(m: Metrics, group: string, kind: ProviderErrorKind | string): void {
  const known = (PROVIDER_ERROR_KINDS as readonly string[]).includes(kind) ? kind : 'other';
  m.providerErrors.inc({ group, kind: known });
}

/**
 * Maps an error from a provider call to a bounded `kind`: HTTP status (Kubernetes ApiException
 * `code`, `statusCode`, `status`), Node errno codes and abort/timeout errors; `other` otherwise.
 */
export function classifyProviderError(err: unknown): ProviderErrorKind {
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') return 'timeout';
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return 'unavailable';
  const status = [e.code, e.statusCode, e.status].find((v): v is number => typeof v === 'number');
  if (status === undefined) return 'other';
  if (status === 409) return 'conflict';
  if (status === 404) return 'not_found';
  if (status === 401 || status === 403) return 'forbidden';
  if (status === 429) return 'quota';
  if (status === 400 || status === 422) return 'invalid';
  if (status === 408 || status === 504) return 'timeout';
  return status >= 500 ? 'unavailable' : 'other';
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EPIPE',
]);

export interface LatencySample {
  readonly group: string;
  readonly seconds: number;
  /** Trace of the scale-out (ScaleOutTracker); becomes the sample's exemplar. */
  readonly traceId?: string;
}

export function recordScaleOutLatency(m: Metrics, s: LatencySample): void {
  if (!validDuration(s.seconds)) return;
  m.scaleOutLatency.observe({ group: s.group }, s.seconds, exemplarOf(s.traceId));
}

export interface PodScheduledSample extends LatencySample {
  readonly role: PodRole;
}

/** A pod went from unschedulable to scheduled after `seconds`. */
export function recordPodScheduled(m: Metrics, s: PodScheduledSample): void {
  if (!validDuration(s.seconds)) return;
  m.podPendingTime.observe({ group: s.group, role: s.role }, s.seconds, exemplarOf(s.traceId));
}

export interface TickRecord {
  /** Epoch ms the tick finished. */
  readonly finishedAt: number;
  /** Seconds spent in each stage that ran. */
  readonly stages: Readonly<Partial<Record<TickStage, number>>>;
  /** The stage that threw, when the tick failed. */
  readonly failedStage?: TickStage;
}

export function recordTick(m: Metrics, t: TickRecord): void {
  m.ticks.inc({});
  for (const [stage, seconds] of Object.entries(t.stages)) {
    if (validDuration(seconds)) m.tickDuration.observe({ stage }, seconds);
  }
  if (t.failedStage) m.tickErrors.inc({ stage: t.failedStage });
  setGauge(m.lastTick, {}, t.finishedAt / 1000);
}

/** Whether this replica holds the lease; report true when leader election is disabled (alerts expect one leader). */
export function recordLeader(m: Metrics, isLeader: boolean): void {
  m.isLeader.set({}, isLeader ? 1 : 0);
}

/** An event or bookmark arrived on the watch of `kind` (pods, nodes ...) at epoch ms `at`. */
export function recordWatchEvent(m: Metrics, kind: string, at: number): void {
  if (Number.isFinite(at)) m.watchEventTimes.set(kind, at);
}

export function recordWatchRelist(m: Metrics, kind: string): void {
  m.watchRelists.inc({ kind });
}

export function recordWatchSynced(m: Metrics, kind: string, synced: boolean): void {
  m.watchSynced.set({ kind }, synced ? 1 : 0);
}

export interface CostInput {
  readonly group: string;
  /** Nodes billed now: ready, not ready and provisioning. */
  readonly nodes: number;
  readonly maxNodes: number;
  readonly pricePerNodeHour: number;
}

/** Sets the hourly rates and adds `elapsedSeconds` worth of cost and of saving against max. */
export function recordCost(m: Metrics, c: CostInput, elapsedSeconds: number): void {
  const group = { group: c.group };
  const rate = c.nodes * c.pricePerNodeHour;
  const maxRate = c.maxNodes * c.pricePerNodeHour;
  setGauge(m.costRate, group, rate);
  setGauge(m.maxFleetCostRate, group, maxRate);
  if (!validDuration(elapsedSeconds)) return;
  const hours = elapsedSeconds / 3600;
  addCounter(m.costTotal, group, rate * hours);
  addCounter(m.savingTotal, group, (maxRate - rate) * hours);
}

function setGauge<L extends string>(g: GaugeHandle<L>, labels: Labels<L>, v: number): void {
  if (Number.isFinite(v)) g.set(labels, v);
}

function setOrRemove(g: GaugeHandle<'group'>, labels: Labels<'group'>, v: number | undefined): void {
  if (v !== undefined && Number.isFinite(v)) g.set(labels, v);
  else g.remove(labels);
}

function addCounter(c: CounterHandle<'group'>, labels: Labels<'group'>, v: number): void {
  if (v > 0 && Number.isFinite(v)) c.inc(labels, v);
}

function validDuration(seconds: number): boolean {
  return Number.isFinite(seconds) && seconds >= 0;
}

function exemplarOf(traceId: string | undefined) {
  return traceId ? { traceId } : undefined;
}
