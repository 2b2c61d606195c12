import { describe, expect, it } from 'vitest';
import { Actuator, type ActuatorDeps } from './actuator.js';
import { ManualClock } from '../clock.js';
import { ClusterState } from '../state/cluster-state.js';
import { MemoryEventRecorder } from '../events/event-recorder.js';
import { FakeApiError, FakeProvider } from '../../test/fakes/fake-provider.js';
import { group, node, pod, testConfig } from '../../test/fakes/spark-cluster.js';
import type { GroupDecision, Plan } from '../decide/plan.js';
import type { NodeCordoner } from './cordon.js';

const config = testConfig({
  nodeGroups: [
    group('spark-system', 'system'),
    group('spark-driver', 'driver', {
      scaleIn: { enabled: true, unneededSeconds: 600, maxNodesPerTick: 10 },
    }),
    group('spark-executor', 'executor', { min: 1, max: 10 }),
    group('frozen', 'executor', { scaleIn: { enabled: false, unneededSeconds: 600, maxNodesPerTick: 1 } }),
  ],
});

function decision(over: Partial<GroupDecision> & Pick<GroupDecision, 'group'>): GroupDecision {
  return {
    role: 'executor',
    current: 0,
    target: 0,
    removeNodes: [],
    demandNodes: 0,
    reasons: [{ code: 'pending-pods', message: '3 executors pending' }],
    ...over,
  };
}
const plan = (...decisions: GroupDecision[]): Plan => ({ at: 0, decisions });

function world(targets: Record<string, number> = { 'spark-executor': 3 }) {
  const clock = new ManualClock(1_000_000);
  const state = new ClusterState({ config, clock });
  const provider = new FakeProvider(targets, (g) => ({
    apiVersion: 'v1',
    kind: 'Test',
    namespace: 'ns',
    name: g.name,
  }));
  const events = new MemoryEventRecorder();
  const sleeps: number[] = [];
  const deps: ActuatorDeps = {
    provider,
    config,
    clock,
    events,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  };
  const actuator = (over: Partial<ActuatorDeps> = {}) => new Actuator({ ...deps, ...over });
  const fresh = () => state.snapshot(clock.now());
  return { clock, state, provider, events, sleeps, actuator, fresh };
}

describe('Actuator scale-out', () => {
  it('scales to the plan target and records a ScaledOut event', async () => {
    const w = world();
    const [r] = await w
      .actuator()
      .apply(plan(decision({ group: 'spark-executor', current: 3, target: 6 })), w.fresh);
    expect(r).toMatchObject({ action: 'scale-out', outcome: 'applied', from: 3, to: 6, attempts: 1 });
    expect(w.provider.target('spark-executor')).toBe(6);
    expect(w.events.events).toEqual([
      expect.objectContaining({
        reason: 'ScaledOut',
        message: '3 -> 6: 3 executors pending',
        object: expect.objectContaining({ name: 'spark-executor' }),
      }),
    ]);
  });

  it('skips a scale-out the provider already satisfies (stale plan)', async () => {
    const w = world({ 'spark-executor': 7 });
    const [r] = await w
      .actuator()
      .apply(plan(decision({ group: 'spark-executor', current: 3, target: 6 })), w.fresh);
    expect(r).toMatchObject({ outcome: 'skipped', skipReason: 'already-satisfied', from: 7, to: 7 });
    expect(w.provider.callsTo('scaleUpTo')).toHaveLength(0);
    expect(w.events.events).toHaveLength(0);
  });

  it('clamps to max', async () => {
    const w = world();
    const [r] = await w
      .actuator()
      .apply(plan(decision({ group: 'spark-executor', current: 3, target: 50 })), w.fresh);
    expect(r).toMatchObject({ outcome: 'applied', to: 10, requested: 50 });
    expect(w.provider.target('spark-executor')).toBe(10);
  });

  it('retries transient errors with growing jittered backoff', async () => {
    const w = world();
    w.provider.failNext('scaleUpTo', { times: 2 });
    const [r] = await w
      .actuator()
      .apply(plan(decision({ group: 'spark-executor', current: 3, target: 5 })), w.fresh);
    expect(r).toMatchObject({ outcome: 'applied', attempts: 3, to: 5 });
    expect(w.sleeps).toEqual([375, 750]); // base 500, equal jitter at random 0.5
  });

  it('does not double a scale-out whose first call landed but reported an error', async () => {
    const w = world();
    w.provider.failNext('scaleUpTo', { afterEffect: true });
    const results = await w
      .actuator()
      .apply(plan(decision({ group: 'spark-executor', current: 3, target: 5 })), w.fresh);
    expect(results[0]).toMatchObject({ outcome: 'applied', from: 3, to: 5, attempts: 1 });
    expect(w.provider.target('spark-executor')).toBe(5);
    expect(w.provider.callsTo('scaleUpTo')).toHaveLength(1); // the re-read saw 5 and stopped
    // Running the same plan again (e.g. after a restart) adds nothing either.
    const [again] = await w
      .actuator()
      .apply(plan(decision({ group: 'spark-executor', current: 3, target: 5 })), w.fresh);
    expect(again).toMatchObject({ outcome: 'skipped', skipReason: 'already-satisfied' });
    expect(w.provider.target('spark-executor')).toBe(5);
  });

  it('gives up after the attempt budget and records ScaleFailed', async () => {
    const w = world();
    w.provider.failNext('scaleUpTo', { times: 10 });
    const [r] = await w
      .actuator()
      .apply(plan(decision({ group: 'spark-executor', current: 3, target: 5 })), w.fresh);
    expect(r).toMatchObject({
      outcome: 'failed',
      attempts: 4,
      from: 3,
      to: 3,
      error: 'injected: service unavailable',
    });
    expect(w.events.events[0]).toMatchObject({
      reason: 'ScaleFailed',
      message: '3 -> 5: failed: injected: service unavailable; 3 executors pending',
    });
  });

  it('does not retry permanent errors', async () => {
    const w = world();
    w.provider.failNext('scaleUpTo', { error: new FakeApiError(403, 'forbidden'), times: 5 });
    const [r] = await w
      .actuator()
      .apply(plan(decision({ group: 'spark-executor', current: 3, target: 5 })), w.fresh);
    expect(r).toMatchObject({ outcome: 'failed', attempts: 1, error: 'forbidden' });
  });

  it('never scales system groups or unknown groups, and reports steady decisions', async () => {
    const w = world({ 'spark-system': 3 });
    const results = await w
      .actuator()
      .apply(
        plan(
          decision({ group: 'spark-system', role: 'system', current: 3, target: 5 }),
          decision({ group: 'nope', current: 1, target: 2 }),
          decision({ group: 'spark-executor', current: 3, target: 3 }),
        ),
        w.fresh,
      );
    expect(results.map((r) => r.skipReason)).toEqual(['static-group', 'unknown-group', 'steady']);
    expect(w.provider.calls).toHaveLength(0);
  });
});

describe('Actuator scale-in', () => {
  function withNodes() {
    const w = world({ 'spark-executor': 4, 'spark-driver': 2, frozen: 2 });
    for (const n of ['e1', 'e2', 'e3', 'e4']) w.state.upsertNode(node(n, { group: 'spark-executor' }));
    w.state.upsertNode(node('d1', { group: 'spark-driver' }));
    w.state.upsertNode(node('d2', { group: 'spark-driver' }));
    w.state.upsertNode(node('f1', { group: 'frozen' }));
    return w;
  }

  it('removes idle nodes and records ScaledIn', async () => {
    const w = withNodes();
    const [r] = await w
      .actuator()
      .apply(
        plan(decision({ group: 'spark-executor', current: 4, target: 2, removeNodes: ['e1', 'e2'] })),
        w.fresh,
      );
    expect(r).toMatchObject({
      action: 'scale-in',
      outcome: 'applied',
      from: 4,
      to: 2,
      removedNodes: ['e1', 'e2'],
    });
    expect(w.provider.deleted).toEqual(['e1', 'e2']);
    expect(w.events.events[0]!.message).toBe('4 -> 2: 3 executors pending; removed e1, e2');
  });

  it('never removes a node that now runs an executor, even if the plan says so', async () => {
    const w = withNodes();
    w.state.upsertPod(pod('exec-9', { role: 'executor', node: 'e1' }));
    const [r] = await w
      .actuator()
      .apply(
        plan(decision({ group: 'spark-executor', current: 4, target: 2, removeNodes: ['e1', 'e2'] })),
        w.fresh,
      );
    expect(r.removedNodes).toEqual(['e2']);
    expect(r.droppedNodes).toEqual([{ node: 'e1', reason: 'runs-executor' }]);
    expect(w.provider.deleted).toEqual(['e2']);
  });

  it('drops gone nodes, other groups, and drivers in the driver group', async () => {
    const w = withNodes();
    w.state.upsertPod(pod('drv', { role: 'driver', node: 'd1' }));
    const results = await w
      .actuator()
      .apply(
        plan(
          decision({ group: 'spark-executor', current: 4, target: 1, removeNodes: ['ghost', 'd2', 'e3'] }),
          decision({ group: 'spark-driver', role: 'driver', current: 2, target: 1, removeNodes: ['d1'] }),
        ),
        w.fresh,
      );
    expect(results[0]!.droppedNodes).toEqual([
      { node: 'ghost', reason: 'gone' },
      { node: 'd2', reason: 'not-in-group' },
    ]);
    expect(results[0]!.removedNodes).toEqual(['e3']);
    expect(results[1]).toMatchObject({
      outcome: 'skipped',
      skipReason: 'no-removable-nodes',
      droppedNodes: [{ node: 'd1', reason: 'runs-driver' }],
    });
  });

  it('never goes below min', async () => {
    const w = withNodes();
    const [r] = await w
      .actuator()
      .apply(
        plan(
          decision({ group: 'spark-executor', current: 4, target: 0, removeNodes: ['e1', 'e2', 'e3', 'e4'] }),
        ),
        w.fresh,
      );
    expect(r.removedNodes).toEqual(['e1', 'e2', 'e3']);
    expect(r.droppedNodes).toEqual([{ node: 'e4', reason: 'min-size' }]);
    expect(w.provider.target('spark-executor')).toBe(1);
  });

  it('respects scale-in disabled', async () => {
    const w = withNodes();
    const [r] = await w
      .actuator()
      .apply(plan(decision({ group: 'frozen', current: 2, target: 1, removeNodes: ['f1'] })), w.fresh);
    expect(r).toMatchObject({ outcome: 'skipped', skipReason: 'scale-in-disabled' });
    expect(w.provider.callsTo('deleteNodes')).toHaveLength(0);
  });

  it('retries deleteNodes without removing twice', async () => {
    const w = withNodes();
    w.provider.failNext('deleteNodes', { afterEffect: true });
    const [r] = await w
      .actuator()
      .apply(
        plan(decision({ group: 'spark-executor', current: 4, target: 3, removeNodes: ['e1'] })),
        w.fresh,
      );
    expect(r).toMatchObject({ outcome: 'applied', attempts: 2 });
    expect(w.provider.target('spark-executor')).toBe(3);
  });

  it('with a cordoner: cordons, re-validates after settling, uncordons nodes that picked up executors', async () => {
    const w = withNodes();
    const log: string[] = [];
    const cordoner: NodeCordoner = {
      cordon: async (n) => {
        log.push(`cordon ${n}`);
        return true;
      },
      uncordon: async (n) => void log.push(`uncordon ${n}`),
    };
    // An executor binds to e2 while we settle (it was scheduled just before the cordon).
    const sleep = async () => void w.state.upsertPod(pod('late', { role: 'executor', node: 'e2' }));
    const [r] = await w
      .actuator({ cordoner, sleep })
      .apply(
        plan(decision({ group: 'spark-executor', current: 4, target: 2, removeNodes: ['e1', 'e2'] })),
        w.fresh,
      );
    expect(log).toEqual(['cordon e1', 'cordon e2', 'uncordon e2']);
    expect(r.removedNodes).toEqual(['e1']);
    expect(r.droppedNodes).toEqual([{ node: 'e2', reason: 'runs-executor' }]);
  });
});

describe('Actuator action tracing seam', () => {
  it('wraps each provider write, retries included, with the action it carries out', async () => {
    const w = world({ 'spark-executor': 3 });
    w.provider.failNext('scaleUpTo');
    const actions: {
      group: string;
      direction: string;
      from: number;
      to: number;
      reasons: readonly string[];
    }[] = [];
    let callsInside = 0;
    const actuator = w.actuator({
      traceAction: async (action, fn) => {
        actions.push(action);
        const before = w.provider.callsTo('scaleUpTo').length;
        const out = await fn();
        callsInside += w.provider.callsTo('scaleUpTo').length - before;
        return out;
      },
    });
    const [r] = await actuator.apply(
      plan(decision({ group: 'spark-executor', current: 3, target: 5 })),
      w.fresh,
    );
    expect(r!.outcome).toBe('applied');
    expect(actions).toEqual([
      { group: 'spark-executor', direction: 'out', from: 3, to: 5, reasons: ['pending-pods'] },
    ]);
    expect(callsInside).toBe(2); // the failed attempt and its retry both ran inside the span
  });
});
