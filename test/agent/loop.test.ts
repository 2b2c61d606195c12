import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../agent/clock.js';
import { defaultConfig } from '../../agent/config/load.js';
import { LoopScheduler } from '../../agent/loop-scheduler.js';
import {
  ControlLoop,
  type LoopDeps,
  type PlanActuator,
  type SnapshotSource,
  type TickResult,
} from '../../agent/loop.js';
import type { ActiveOverride, GroupForecastView, Plan } from '../../agent/decide/plan.js';
import type { ForecastInputs, ForecastSource } from '../../agent/loop.js';
import { Actuator } from '../../agent/actuate/actuator.js';
import type { ActuationResult } from '../../agent/actuate/result.js';
import type { ClusterSnapshot, GroupObservation } from '../../agent/state/snapshot.js';
import { FakeProvider } from '../fakes/fake-provider.js';
import { ManualTimers } from '../fakes/manual-timers.js';
import { aPendingExecutor, aSnapshot } from '../fixtures/snapshot-builder.js';

/** A source whose health and pods the test sets; group targets come from the loop (the provider). */
class FakeSource implements SnapshotSource {
  healthy = { synced: true, stale: false } as { synced: boolean; stale: boolean; reason?: string };
  pending = 0;
  executorNodes = 2;
  snapshots = 0;
  health() {
    return this.healthy;
  }
  snapshot(now: number, groups: ReadonlyMap<string, GroupObservation>): ClusterSnapshot {
    this.snapshots++;
    const builder = aSnapshot()
      .withNodes('spark-system', 3)
      .withNodes('spark-driver', 2)
      .withNodes('spark-executor', this.executorNodes);
    for (let i = 0; i < this.pending; i++)
      builder.withPods(aPendingExecutor({ cpu: 8, unschedulableSince: now - 1000 }));
    for (const [name, g] of groups) builder.withTargetSize(name, g.targetSize);
    return builder.build(now);
  }
}

/** The real actuator over the fake provider, remembering the plans it was given. */
class RecordingActuator implements PlanActuator {
  plans: Plan[] = [];
  private readonly actuator: Actuator;
  constructor(provider: FakeProvider) {
    this.actuator = new Actuator({
      provider,
      config: defaultConfig(),
      clock: new ManualClock(0),
      sleep: async () => {},
    });
  }
  apply(plan: Plan, fresh: () => ClusterSnapshot): Promise<ActuationResult[]> {
    this.plans.push(plan);
    return this.actuator.apply(plan, fresh);
  }
}

function setup(overrides: Partial<LoopDeps> = {}) {
  const provider = new FakeProvider({ 'spark-system': 3, 'spark-driver': 2, 'spark-executor': 2 });
  const source = new FakeSource();
  const actuator = new RecordingActuator(provider);
  const results: TickResult[] = [];
  const loop = new ControlLoop({
    config: defaultConfig(),
    source,
    provider,
    actuator,
    listeners: [{ onTick: (r) => void results.push(r) }],
    ...overrides,
  });
  return { provider, source, actuator, loop, results };
}

describe('ControlLoop.runOnce', () => {
  it('scales out for pending executors and passes the provider targets into the snapshot', async () => {
    const { loop, source, provider } = setup();
    source.pending = 20; // 20 x 8 cpu on 16-cpu nodes: 10 nodes more
    const result = await loop.runOnce(1_000_000);
    const executor = result.plan!.decisions.find((d) => d.group === 'spark-executor')!;
    expect(executor.current).toBe(2);
    expect(executor.target).toBeGreaterThan(2);
    expect(provider.target('spark-executor')).toBe(executor.target);
    expect(result.actuation.find((a) => a.group === 'spark-executor')).toMatchObject({
      outcome: 'applied',
      from: 2,
      to: executor.target,
    });
  });

  it('never decides on unsynced or stale state, and says why', async () => {
    const { loop, source, actuator } = setup();
    source.healthy = { synced: false, stale: false };
    expect((await loop.runOnce(0)).skipped).toMatch(/not synced/);
    source.healthy = { synced: true, stale: true, reason: 'pods watch silent for 120s' };
    expect((await loop.runOnce(10_000)).skipped).toBe('pods watch silent for 120s');
    expect(actuator.plans).toHaveLength(0);
  });

  it('a standby decides (state stays warm) but never actuates', async () => {
    const { loop, source, actuator, provider } = setup({ isLeader: () => false });
    source.pending = 20;
    const result = await loop.runOnce(0);
    expect(result.plan).toBeDefined();
    expect(result.leader).toBe(false);
    expect(actuator.plans).toHaveLength(0);
    expect(provider.callsTo('scaleUpTo')).toHaveLength(0);
  });

  it('a standby plan does not start a cooldown for the leader it may become', async () => {
    let leading = false;
    const { loop, source, provider } = setup({ isLeader: () => leading });
    source.pending = 20;
    await loop.runOnce(0);
    leading = true;
    const result = await loop.runOnce(1_000);
    const executor = result.plan!.decisions.find((d) => d.group === 'spark-executor')!;
    expect(executor.reasons.map((r) => r.code)).not.toContain('cooldown');
    expect(provider.target('spark-executor')).toBeGreaterThan(2);
  });

  it('a provider error fails the tick without throwing, and the next tick runs', async () => {
    const { loop, provider, results } = setup();
    provider.failNext('targetSize');
    const failed = await loop.runOnce(0);
    expect(failed.skipped).toMatch(/^error: injected/);
    expect(results).toHaveLength(1);
    const next = await loop.runOnce(10_000);
    expect(next.skipped).toBeUndefined();
    expect(loop.tickCount).toBe(2);
  });

  it('a listener that throws does not stop the others', async () => {
    const seen: number[] = [];
    const { loop } = setup({
      listeners: [
        {
          onTick: () => {
            throw new Error('boom');
          },
        },
        { onTick: (r) => void seen.push(r.at) },
      ],
    });
    await loop.runOnce(5);
    expect(seen).toEqual([5]);
  });
});

/** Records what the loop hands the forecaster, in order. */
class RecordingForecasts implements ForecastSource {
  calls: ({ kind: 'ingest'; now: number; inputs: ForecastInputs } | { kind: 'views'; now: number })[] = [];
  ingest(now: number, inputs: ForecastInputs): void {
    this.calls.push({ kind: 'ingest', now, inputs });
  }
  views(now: number, _overrides: readonly ActiveOverride[]): ReadonlyMap<string, GroupForecastView> {
    this.calls.push({ kind: 'views', now });
    return new Map();
  }
}

describe('ControlLoop observe -> forecast', () => {
  it("feeds the forecaster this tick's demand before it asks for this tick's views", async () => {
    const forecasts = new RecordingForecasts();
    const { loop, source } = setup({ forecasts });
    source.pending = 20; // 20 x 8 cpu on 16-cpu nodes: 10 nodes on top of what runs
    const result = await loop.runOnce(1_000_000);
    expect(forecasts.calls.map((c) => c.kind)).toEqual(['ingest', 'views']);
    const ingest = forecasts.calls[0] as { now: number; inputs: ForecastInputs };
    expect(ingest.now).toBe(1_000_000);
    const decided = result.plan!.decisions.find((d) => d.group === 'spark-executor')!.demandNodes;
    expect(ingest.inputs.demandNodes.get('spark-executor')).toBe(decided);
    expect(decided).toBeGreaterThanOrEqual(10);
  });

  it('measures scale-out latency in observe and hands it to the forecaster', async () => {
    const forecasts = new RecordingForecasts();
    const { loop, source, provider } = setup({ forecasts });
    source.pending = 20;
    await loop.runOnce(1_000_000);
    const target = await provider.targetSize({ name: 'spark-executor' } as never);
    expect(target).toBeGreaterThan(2);
    // The nodes come up 2 minutes later and the pods land on them.
    source.pending = 0;
    source.executorNodes = target;
    const result = await loop.runOnce(1_120_000);
    const ingest = forecasts.calls.filter((c) => c.kind === 'ingest').at(-1) as { inputs: ForecastInputs };
    expect(ingest.inputs.scaleOuts.map((s) => [s.group, s.latencySeconds])).toEqual([
      ['spark-executor', 120],
    ]);
    expect(result.observed?.scaleOuts).toHaveLength(1);
  });
});

describe('LoopScheduler', () => {
  it('ticks on the period and within the debounce after an urgent event, never overlapping', async () => {
    const clock = new ManualClock(0);
    const timers = new ManualTimers(clock);
    const { loop, results } = setup();
    const scheduler = new LoopScheduler(loop, clock, { tickMs: 10_000, debounceMs: 500, timers });
    scheduler.start();
    timers.advance(0);
    await settle();
    expect(results.map((r) => r.trigger)).toEqual(['timer']);

    timers.advance(2_000);
    scheduler.trigger();
    scheduler.trigger(); // a burst makes one decision
    timers.advance(499);
    await settle();
    expect(results).toHaveLength(1);
    timers.advance(1);
    await settle();
    expect(results.map((r) => [r.trigger, r.at])).toEqual([
      ['timer', 0],
      ['event', 2_500],
    ]);

    // The period restarts after the event-driven tick.
    timers.advance(9_999);
    await settle();
    expect(results).toHaveLength(2);
    timers.advance(1);
    await settle();
    expect(results.at(-1)!.at).toBe(12_500);
    await scheduler.stop();
    timers.advance(60_000);
    await settle();
    expect(results).toHaveLength(3);
  });
});

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
