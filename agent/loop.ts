/**
 * The control loop: observe -> forecast -> decide -> actuate -> export, one direction.
 * `runOnce(now)` takes time as an argument (like cluster-autoscaler's RunOnce) so tests and the
 * simulator drive the clock; `LoopScheduler` runs it on real timers for a live cluster.
 */
import type { Config } from './config/types.js';
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

export type Stage = 'observe' | 'forecast' | 'decide' | 'actuate' | 'export';
export const STAGES: readonly Stage[] = ['observe', 'forecast', 'decide', 'actuate', 'export'];

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

/** The outcome of carrying out one group's decision. */
export interface ActuationOutcome {
  readonly group: string;
  readonly outcome: 'applied' | 'skipped' | 'failed';
  readonly detail?: string;
}

export interface PlanActuator {
  apply(plan: Plan, fresh: () => ClusterSnapshot): Promise<readonly ActuationOutcome[]>;
}

export interface TickResult {
  readonly at: number;
  /** Set when the tick did not decide (unsynced/stale state, or an error). */
  readonly skipped?: string;
  readonly snapshot?: ClusterSnapshot;
  readonly plan?: Plan;
  readonly forecasts?: ReadonlyMap<string, GroupForecastView>;
  readonly actuation: readonly ActuationOutcome[];
  /** False on a standby: it decides to keep state warm, but does not act. */
  readonly leader: boolean;
  readonly stageSeconds: Readonly<Partial<Record<Stage, number>>>;
  readonly trigger: 'timer' | 'event';
}

/** The export stage: metrics, decision log, traces, console. Must not throw; errors are logged. */
export interface TickListener {
  onTick(result: TickResult): void | Promise<void>;
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
  /** Monotonic seconds for stage durations (injected so the simulator can use virtual time). */
  readonly stopwatch?: () => number;
}

const realStopwatch = (): number => performance.now() / 1000;

export class ControlLoop {
  private policyState: PolicyState = initialPolicyState;
  private lastResult: TickResult | undefined;
  private ticks = 0;

  constructor(private readonly deps: LoopDeps) {}

  get last(): TickResult | undefined {
    return this.lastResult;
  }

  get tickCount(): number {
    return this.ticks;
  }

  /** One pass of the loop at time `now`. Never throws: a failing tick is reported as skipped. */
  async runOnce(now: number, trigger: TickResult['trigger'] = 'timer'): Promise<TickResult> {
    const stages: Partial<Record<Stage, number>> = {};
    const leader = this.deps.isLeader?.() ?? true;
    let result: TickResult;
    try {
      result = await this.tick(now, trigger, leader, stages);
    } catch (err) {
      this.deps.logger?.error('tick failed', err);
      result = { at: now, skipped: `error: ${describe(err)}`, actuation: [], leader, stageSeconds: stages, trigger };
    }
    this.ticks++;
    this.lastResult = result;
    await this.export(result, stages);
    return result;
  }

  private async tick(
    now: number,
    trigger: TickResult['trigger'],
    leader: boolean,
    stages: Partial<Record<Stage, number>>,
  ): Promise<TickResult> {
    const { config, source, provider } = this.deps;
    const timed = this.timer(stages);

    const health = source.health();
    if (!health.synced || health.stale) {
      const why = health.reason ?? (health.synced ? 'cluster state is stale' : 'cluster state not synced yet');
      return { at: now, skipped: why, actuation: [], leader, stageSeconds: stages, trigger };
    }
    const snapshot = await timed('observe', async () => {
      const groups = new Map<string, GroupObservation>();
      for (const group of config.nodeGroups) {
        groups.set(group.name, { name: group.name, targetSize: await provider.targetSize(group) });
      }
      return source.snapshot(now, groups);
    });

    const overrides = this.deps.overrides?.(now) ?? [];
    const forecasts = await timed('forecast', async () => this.deps.forecasts?.views(now, overrides));

    const { plan, state } = await timed('decide', async () =>
      decide(snapshot, config, this.policyState, now, { forecasts, overrides }),
    );
    this.policyState = state;
    this.deps.forecasts?.observe(now, new Map(plan.decisions.map((d) => [d.group, d.demandNodes])));

    const actuation = leader
      ? await timed('actuate', () =>
          this.deps.actuator.apply(plan, () => source.snapshot(now, snapshot.groups)),
        )
      : [];
    return { at: now, snapshot, plan, forecasts, actuation, leader, stageSeconds: stages, trigger };
  }

  private async export(result: TickResult, stages: Partial<Record<Stage, number>>): Promise<void> {
    const watch = this.deps.stopwatch ?? realStopwatch;
    const started = watch();
    for (const listener of this.deps.listeners ?? []) {
      try {
        await listener.onTick(result);
      } catch (err) {
        this.deps.logger?.error('tick listener failed', err);
      }
    }
    stages.export = watch() - started;
  }

  private timer(stages: Partial<Record<Stage, number>>) {
    const watch = this.deps.stopwatch ?? realStopwatch;
    return async <T>(stage: Stage, work: () => Promise<T>): Promise<T> => {
      const started = watch();
      try {
        return await work();
      } finally {
        stages[stage] = watch() - started;
      }
    };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
