/**
 * The control loop: observe -> forecast -> decide -> actuate -> export, one direction.
 * `runOnce(now)` takes time as an argument (like cluster-autoscaler's RunOnce) so tests and the
 * simulator drive the clock; `LoopScheduler` runs it on real timers for a live cluster.
 */
import type { Config, NodeGroupConfig } from './config/types.js';
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

/** Where the loop reads cluster state from: Kubernetes watches or the simulator. */
export interface SnapshotSource {
  /** The loop never decides on unsynced or stale state. */
  health(): { synced: boolean; stale: boolean; reason?: string };
  snapshot(now: number, groups: ReadonlyMap<string, GroupObservation>): ClusterSnapshot;
}

/** Forecasts per group, fed with the demand each tick measured. */
export interface ForecastSource {
  views(now: number, overrides: readonly ActiveOverride[]): ReadonlyMap<string, GroupForecastView>;
  observe(now: number, demandNodes: ReadonlyMap<string, number>): void;
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

  constructor(private readonly deps: LoopDeps) {}

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
    const snapshot = await tick.stage('observe', async () => {
      const groups = new Map<string, GroupObservation>();
      const sizes = await Promise.all(config.nodeGroups.map((group) => this.targetSize(provider, group)));
      config.nodeGroups.forEach((group, i) =>
        groups.set(group.name, { name: group.name, targetSize: sizes[i]! }),
      );
      return source.snapshot(now, groups);
    });

    const overrides = this.deps.overrides?.(now) ?? [];
    const forecasts = await tick.stage('forecast', () => this.deps.forecasts?.views(now, overrides));

    const { plan, state } = await tick.stage('decide', () =>
      decide(snapshot, config, this.policyState, now, { forecasts, overrides }),
    );
    // A standby's plan is never carried out, so it must not start a scale-out cooldown.
    this.policyState = leader ? state : { ...state, lastScaleOutAt: this.policyState.lastScaleOutAt };
    this.deps.forecasts?.observe(now, new Map(plan.decisions.map((d) => [d.group, d.demandNodes])));

    const actuation = leader
      ? await tick.stage('actuate', () =>
          this.deps.actuator.apply(plan, () => source.snapshot(now, snapshot.groups)),
        )
      : [];
    return { at: now, snapshot, plan, forecasts, actuation, leader, trigger };
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
