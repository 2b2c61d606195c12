/**
 * The control loop: observe -> forecast -> decide -> actuate -> export, one direction.
 * `runOnce(now)` takes time as an argument (like cluster-autoscaler's RunOnce) so tests and the
 * simulator drive the clock; `LoopScheduler` runs it on real timers for a live cluster.
 */
import type { Config, NodeGroupConfig, ScheduledJobConfig } from './config/types.js';
import { decide } from './decide/decide.js';
import {
  initialPolicyState,
  type ActiveOverride,
  type GroupForecastView,
  type Plan,
  type PolicyState,
} from './decide/plan.js';
import type { ClusterSnapshot, GroupObservation } from './state/snapshot.js';
import type { Provider } from './providers/provider.js';
import { trace, type Tracer } from '@opentelemetry/api';
import { startTickTrace, type TickTrace } from './telemetry/tick-trace.js';
import type { TickRecord } from './telemetry/record.js';
import type { ActuationResult } from './actuate/result.js';
import { ScaleOutTracker } from './telemetry/scale-out-tracker.js';
import { collectGroupFacts, type GroupFacts } from './decide/group-facts.js';
import { observeGroups } from './observe/group-observation.js';
import { RequestLatencies } from './observe/request-latency.js';

/** Where the loop reads cluster state from: Kubernetes watches or the simulator. */
export interface SnapshotSource {
  /** The loop never decides on unsynced or stale state. */
  health(): { synced: boolean; stale: boolean; reason?: string };
  snapshot(now: number, groups: ReadonlyMap<string, GroupObservation>): ClusterSnapshot;
  /** Scheduled jobs found in the cluster (ScheduledSparkApplications), when the source knows them. */
  scheduledJobs?(): readonly ScheduledJobConfig[];
}

/** One scale request served: request -> as many Ready nodes as it asked for. */
export interface ScaleOutSample {
  readonly group: string;
  readonly latencySeconds: number;
  /** The scale-out's trace, when it is recorded (the latency histogram's exemplar). */
  readonly traceId?: string;
}

/** What the observe stage measured this tick that the forecaster learns from. */
export interface ForecastInputs {
  /** Nodes each group needs now (the estimator over running and pending pods). */
  readonly demandNodes: ReadonlyMap<string, number>;
  /** Scale requests this tick found served. */
  readonly scaleOuts: readonly ScaleOutSample[];
  /** Scheduled jobs found in the cluster; absent when the snapshot source has none. */
  readonly scheduledJobs?: readonly ScheduledJobConfig[];
}

/**
 * Forecasts per group. Each tick the loop hands it what observe measured first (`ingest`), then
 * asks for views: the forecast a tick acts on includes that tick's demand and latencies.
 */
export interface ForecastSource {
  ingest(now: number, inputs: ForecastInputs): void;
  views(now: number, overrides: readonly ActiveOverride[]): ReadonlyMap<string, GroupForecastView>;
}

export interface PlanActuator {
  apply(plan: Plan, fresh: () => ClusterSnapshot): Promise<readonly ActuationResult[]>;
}

export interface TickResult {
  readonly at: number;
  /** Set when the tick did not decide (unsynced/stale state, or an error). */
  readonly skipped?: string;
  readonly snapshot?: ClusterSnapshot;
  readonly plan?: Plan;
  readonly forecasts?: ReadonlyMap<string, GroupForecastView>;
  /** What observe measured (set when the tick got that far). */
  readonly observed?: ForecastInputs;
  readonly actuation: readonly ActuationResult[];
  /** False on a standby: it decides to keep state warm, but does not act. */
  readonly leader: boolean;
  readonly trigger: 'timer' | 'event';
}

/** The export stage: metrics, decision log, traces, console. Must not throw; errors are logged. */
export interface TickListener {
  onTick(result: TickResult): void | Promise<void>;
  /** After the tick span ended, with every stage's duration (export included). */
  onTickEnd?(record: TickRecord): void;
}

export interface LoopDeps {
  readonly config: Config;
  readonly source: SnapshotSource;
  readonly provider: Provider;
  readonly actuator: PlanActuator;
  readonly forecasts?: ForecastSource;
  readonly overrides?: (now: number) => readonly ActiveOverride[];
  readonly isLeader?: () => boolean;
  readonly listeners?: readonly TickListener[];
  readonly logger?: { error(msg: string, err?: unknown): void };
  /** Spans per tick and stage; the no-op tracer when tracing is off. */
  readonly tracer?: Tracer;
  /**
   * How long observe waits for the provider's target sizes (default half a tick). Past it the
   * last size read is used, so a slow API server cannot stretch the tick; the actuator reads the
   * size again before it writes.
   */
  readonly observeDeadlineMs?: number;
}

export class ControlLoop {
  private policyState: PolicyState = initialPolicyState;
  private lastResult: TickResult | undefined;
  private ticks = 0;
  private readonly knownTargets = new Map<string, number>();
  /** Scale-outs as traces (one per episode), followed in observe from what the cluster shows. */
  private readonly scaleOuts: ScaleOutTracker;
  /** Scale-out latency per request, measured in observe: the forecaster's lead time. */
  private readonly latencies = new RequestLatencies();

  constructor(private readonly deps: LoopDeps) {
    this.scaleOuts = new ScaleOutTracker(deps.tracer ?? trace.getTracer('nodecast'));
  }

  get last(): TickResult | undefined {
    return this.lastResult;
  }

  get tickCount(): number {
    return this.ticks;
  }

  /** One pass of the loop at time `now`. Never throws: a failing tick is reported as skipped. */
  async runOnce(now: number, trigger: TickResult['trigger'] = 'timer'): Promise<TickResult> {
    const tracer = this.deps.tracer ?? trace.getTracer('nodecast');
    const tick = startTickTrace(tracer, { trigger, clock: { now: () => now } });
    const leader = this.deps.isLeader?.() ?? true;
    let result: TickResult;
    try {
      result = await this.tick(now, trigger, leader, tick);
    } catch (err) {
      this.deps.logger?.error('tick failed', err);
      result = { at: now, skipped: `error: ${describe(err)}`, actuation: [], leader, trigger };
    }
    this.ticks++;
    this.lastResult = result;
    await tick.stage('export', () => this.notify((l) => l.onTick(result))).catch(() => undefined);
    const record = tick.end();
    await this.notify((l) => l.onTickEnd?.(record));
    return result;
  }

  /** The provider's size for a group, or the last one read when it does not answer in time. */
  private async targetSize(provider: Provider, group: NodeGroupConfig): Promise<number> {
    const known = this.knownTargets.get(group.name);
    const deadlineMs = this.deps.observeDeadlineMs ?? this.deps.config.tickSeconds * 500;
    let timer: NodeJS.Timeout | undefined;
    const read = provider.targetSize(group).then((size) => {
      this.knownTargets.set(group.name, size);
      return size;
    });
    if (known === undefined) return read; // nothing to fall back on: wait (or fail) like before
    const late = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(known), deadlineMs);
    });
    // A read that fails after the deadline passed is not this tick's concern (nor unhandled).
    read.catch(() => undefined);
    try {
      return await Promise.race([read, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async tick(
    now: number,
    trigger: TickResult['trigger'],
    leader: boolean,
    tick: TickTrace,
  ): Promise<TickResult> {
    const { config, source, provider } = this.deps;
    const health = source.health();
    if (!health.synced || health.stale) {
      const why =
        health.reason ?? (health.synced ? 'cluster state is stale' : 'cluster state not synced yet');
      return { at: now, skipped: why, actuation: [], leader, trigger };
    }
    const { snapshot, facts, observed } = await tick.stage('observe', async () => {
      const groups = new Map<string, GroupObservation>();
      const sizes = await Promise.all(config.nodeGroups.map((group) => this.targetSize(provider, group)));
      config.nodeGroups.forEach((group, i) =>
        groups.set(group.name, { name: group.name, targetSize: sizes[i]! }),
      );
      const snapshot = source.snapshot(now, groups);
      const facts = collectGroupFacts(snapshot, config.nodeGroups);
      return { snapshot, facts, observed: this.observe(snapshot, facts, now) };
    });

    const overrides = this.deps.overrides?.(now) ?? [];
    const forecasts = await tick.stage('forecast', () => {
      this.deps.forecasts?.ingest(now, observed);
      return this.deps.forecasts?.views(now, overrides);
    });

    const { plan, state } = await tick.stage('decide', () =>
      decide(snapshot, config, this.policyState, now, {
        forecasts,
        overrides,
        demand: observed.demandNodes,
        facts,
      }),
    );
    // A standby's plan is never carried out, so it must not start a scale-out cooldown.
    this.policyState = leader ? state : { ...state, lastScaleOutAt: this.policyState.lastScaleOutAt };

    const actuation = leader
      ? await tick.stage('actuate', () =>
          this.deps.actuator.apply(plan, () => source.snapshot(now, snapshot.groups)),
        )
      : [];
    this.noteRequests(plan, actuation, now);
    return { at: now, snapshot, plan, forecasts, observed, actuation, leader, trigger };
  }

  /** Demand per group, finished scale-outs and scheduled jobs, from this tick's snapshot alone. */
  private observe(
    snapshot: ClusterSnapshot,
    facts: ReadonlyMap<string, GroupFacts>,
    now: number,
  ): ForecastInputs {
    const groups = observeGroups(snapshot, this.deps.config.nodeGroups, facts);
    const scaleOuts: ScaleOutSample[] = [];
    for (const g of groups.values()) {
      const traceId = this.scaleOuts.traceId(g.group);
      for (const latencySeconds of this.latencies.satisfied(g.group, g.readyNodes.length, now))
        scaleOuts.push({ group: g.group, latencySeconds, ...(traceId ? { traceId } : {}) });
      this.scaleOuts.observe(g, now);
    }
    const jobs = this.deps.source.scheduledJobs?.();
    return {
      demandNodes: new Map([...groups.values()].map((g) => [g.group, g.demandNodes])),
      scaleOuts,
      ...(jobs ? { scheduledJobs: jobs } : {}),
    };
  }

  /** Scale-outs the provider accepted start (or extend) the latency the next ticks observe. */
  private noteRequests(plan: Plan, actuation: readonly ActuationResult[], now: number): void {
    const decisions = new Map(plan.decisions.map((d) => [d.group, d]));
    for (const a of actuation) {
      if (a.outcome !== 'applied' || a.to === a.from) continue;
      if (a.to < a.from) {
        this.latencies.lowered(a.group, a.to);
        continue;
      }
      const reasons = decisions.get(a.group)?.reasons.map((r) => r.code) ?? [];
      this.scaleOuts.requested(a.group, { from: a.from, to: a.to, reasons }, now);
      this.latencies.requested(a.group, a.to, now);
    }
  }

  private async notify(call: (listener: TickListener) => void | Promise<void>): Promise<void> {
    for (const listener of this.deps.listeners ?? []) {
      try {
        await call(listener);
      } catch (err) {
        this.deps.logger?.error('tick listener failed', err);
      }
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
