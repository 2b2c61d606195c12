/**
 * The export stage for metrics and scale-out traces: turns each tick's snapshot, plan, forecasts
 * and actuation outcomes into the catalog's series. Holds only what needs memory across ticks
 * (pods waiting to be scheduled, scale-outs in flight, the time of the last cost sample).
 */
import type { Config } from '../config/types.js';
import type { TickListener, TickResult } from '../loop.js';
import type { SparkRole } from '../state/snapshot.js';
import type { Metrics } from '../telemetry/metrics.js';
import {
  classifyProviderError,
  recordCost,
  recordProviderError,
  recordForecastStatus,
  recordGroupStatus,
  recordLeader,
  recordPodScheduled,
  recordQueueStatus,
  recordScaleAction,
  recordScaleOutLatency,
  recordTick,
  scaleReason,
  type QueueStatus,
  type TickRecord,
} from '../telemetry/record.js';
import { groupFacts, queueStatuses, type GroupFacts } from './group-status.js';

/** Used cpu / memory per group and queue, when a usage source exists (simulator, metrics-server). */
export interface UsageSource {
  groups(): ReadonlyMap<string, { cpu: number; memoryBytes: number }>;
  queues(): ReadonlyMap<string, { cpu: number; memoryBytes: number }>;
}

interface Waiting {
  readonly since: number;
  readonly role: SparkRole;
  readonly group: string;
}

export class TelemetryListener implements TickListener {
  private readonly waiting = new Map<string, Waiting>();
  private lastCostAt: number | undefined;
  /** The facts of the last tick, for the API's view of the agent. */
  lastFacts: readonly GroupFacts[] = [];

  constructor(
    private readonly metrics: Metrics,
    private readonly config: Config,
    private readonly usage?: UsageSource,
  ) {
    this.initialiseCounters();
  }

  /**
   * Counters exist at zero from the start for every group and the reasons that usually drive a
   * change, so rate() and increase() on dashboards read 0 rather than "no data" before the first
   * scale action.
   */
  private initialiseCounters(): void {
    for (const g of this.config.nodeGroups) {
      if (g.role === 'system') continue;
      for (const reason of ['pending-pods', 'forecast'] as const) {
        this.metrics.scaleOutActions.inc({ group: g.name, reason }, 0);
        this.metrics.scaleOutNodes.inc({ group: g.name, reason }, 0);
      }
      if (!g.scaleIn.enabled) continue;
      this.metrics.scaleInActions.inc({ group: g.name, reason: 'idle-node' }, 0);
      this.metrics.scaleInNodes.inc({ group: g.name, reason: 'idle-node' }, 0);
    }
  }

  onTick(result: TickResult): void {
    recordLeader(this.metrics, result.leader);
    const { snapshot, plan } = result;
    if (!snapshot || !plan) return;
    const facts = groupFacts(snapshot, this.config, plan);
    this.lastFacts = facts;
    const used = this.usage?.groups();
    for (const f of facts) {
      const u = used?.get(f.group);
      recordGroupStatus(this.metrics, u ? { ...f, usedCpu: u.cpu, usedMemoryBytes: u.memoryBytes } : f);
    }
    this.recordQueues(queueStatuses(snapshot, this.config));
    this.recordForecasts(result);
    this.recordActions(result);
    this.recordScaleOuts(result);
    this.recordPodsScheduled(result);
    this.recordCosts(facts, result.at);
  }

  onTickEnd(record: TickRecord): void {
    recordTick(this.metrics, record);
  }

  private recordQueues(queues: readonly QueueStatus[]): void {
    const used = this.usage?.queues();
    for (const q of queues) {
      const u = used?.get(q.queue);
      recordQueueStatus(this.metrics, u ? { ...q, usedCpu: u.cpu, usedMemoryBytes: u.memoryBytes } : q);
    }
  }

  private recordForecasts(result: TickResult): void {
    for (const g of this.config.nodeGroups) {
      if (g.role !== 'executor') continue;
      const view = result.forecasts?.get(g.name);
      recordForecastStatus(this.metrics, {
        group: g.name,
        mode: g.forecast.mode,
        trusted: view?.trusted ?? false,
        ...(view
          ? {
              model: view.model,
              pointNodes: view.pointAtLead,
              quantileNodes: view.demandAtLead,
              quantile: g.forecast.quantile,
              leadSeconds: view.leadSeconds,
              ...(view.recentError !== undefined ? { mase: view.recentError } : {}),
            }
          : {}),
      });
    }
  }

  private recordActions(result: TickResult): void {
    const decisions = new Map(result.plan?.decisions.map((d) => [d.group, d]));
    for (const a of result.actuation) {
      if (a.outcome === 'failed') recordProviderError(this.metrics, a.group, classifyProviderError(a.cause));
      const d = decisions.get(a.group);
      if (!d || a.outcome !== 'applied' || a.to === a.from) continue;
      const direction = a.to > a.from ? 'out' : 'in';
      const nodes = Math.abs(a.to - a.from);
      recordScaleAction(this.metrics, {
        group: a.group,
        direction,
        nodes,
        reason: scaleReason(d.reasons, direction),
      });
    }
  }

  /** Scale-outs the loop's observe stage saw complete this tick (it measures the latency). */
  private recordScaleOuts(result: TickResult): void {
    for (const done of result.observed?.scaleOuts ?? []) {
      recordScaleOutLatency(this.metrics, {
        group: done.group,
        seconds: done.latencySeconds,
        traceId: done.traceId,
      });
    }
  }

  private recordPodsScheduled(result: TickResult): void {
    const pods = result.snapshot!.pods;
    for (const [uid, w] of this.waiting) {
      const pod = pods.get(uid);
      if (!pod) this.waiting.delete(uid);
      else if (pod.nodeName !== null) {
        this.waiting.delete(uid);
        recordPodScheduled(this.metrics, {
          group: w.group,
          role: w.role,
          seconds: (result.at - w.since) / 1000,
        });
      }
    }
    for (const pod of pods.values()) {
      if (pod.unschedulableSince === null || pod.nodeName !== null || !pod.sparkRole || !pod.group) continue;
      if (!this.waiting.has(pod.uid))
        this.waiting.set(pod.uid, { since: pod.unschedulableSince, role: pod.sparkRole, group: pod.group });
    }
  }

  private recordCosts(facts: readonly GroupFacts[], now: number): void {
    const elapsed = this.lastCostAt === undefined ? 0 : (now - this.lastCostAt) / 1000;
    this.lastCostAt = now;
    const byName = new Map(this.config.nodeGroups.map((g) => [g.name, g]));
    for (const f of facts) {
      const g = byName.get(f.group)!;
      const nodes = f.ready + f.notReady + f.provisioning;
      recordCost(
        this.metrics,
        { group: f.group, nodes, maxNodes: g.max, pricePerNodeHour: g.pricePerNodeHour },
        elapsed,
      );
    }
  }
}
