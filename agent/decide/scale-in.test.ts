import { describe, expect, it } from 'vitest';
import { aConfig } from '../../test/fixtures/config-builder.js';
import { decisionFor, expectNoReason, expectReason } from '../../test/fixtures/expect-plan.js';
import {
  aDaemonPod,
  aNode,
  aPendingExecutor,
  aPod,
  aRunningDriver,
  aRunningExecutor,
  aSnapshot,
  GiB,
} from '../../test/fixtures/snapshot-builder.js';
import { decide } from './decide.js';
import { initialPolicyState, type PolicyState } from './plan.js';
import { NOT_READY_GRACE_MS } from './scale-in.js';

const MIN = 60_000;
const T0 = 100 * MIN;
const config = aConfig({
  'spark-executor': { min: 1, scaleIn: { unneededSeconds: 600, maxNodesPerTick: 3 } },
});

/** `busy` executor nodes with an executor each, then `idle` nodes with only a daemon pod. */
function cluster(busy: number, idle: number) {
  const builder = aSnapshot().withNodes('spark-executor', busy + idle, { createdAt: 0 });
  for (let i = 0; i < busy; i++) builder.withPods(aRunningExecutor(`spark-executor-${i}`));
  for (let i = busy; i < busy + idle; i++) builder.withPods(aDaemonPod(`spark-executor-${i}`));
  return builder;
}

/** Runs decide at each time, carrying state across ticks; returns the last result. */
function ticks(
  snapshot: ReturnType<ReturnType<typeof cluster>['build']>,
  times: number[],
  state: PolicyState = initialPolicyState,
  cfg = config,
) {
  let result = decide(snapshot, cfg, state, times[0]!);
  for (const t of times.slice(1)) result = decide(snapshot, cfg, result.state, t);
  return result;
}

describe('idle-node scale-in', () => {
  it('starts a timer for idle nodes, then removes them once unneeded long enough', () => {
    const snapshot = cluster(2, 1).build();
    const first = decide(snapshot, config, initialPolicyState, T0);
    const waiting = decisionFor(first.plan, 'spark-executor');
    expect(waiting.target).toBe(3);
    expectReason(waiting, 'unneeded-wait', 'the next may go in 10m');
    expect(first.state.unneededSince).toEqual({ 'spark-executor-2': T0 });

    const later = decide(snapshot, config, first.state, T0 + 10 * MIN);
    const removing = decisionFor(later.plan, 'spark-executor');
    expect(removing).toMatchObject({ current: 3, target: 2, removeNodes: ['spark-executor-2'] });
    expectReason(removing, 'idle-node', 'spark-executor-2');
  });

  it('never removes a node running an executor, a pending-bound executor, or a pod it cannot see', () => {
    const snapshot = aSnapshot()
      .withNodes('spark-executor', 3)
      .withPods(
        aRunningExecutor('spark-executor-0'),
        aPod({ nodeName: 'spark-executor-1', phase: 'Pending', sparkRole: 'executor' }),
      )
      .withNode(aNode({ name: 'spark-executor-ghost', podUids: ['not-in-snapshot'] }))
      .build();
    const { plan, state } = ticks(snapshot, [T0, T0 + 30 * MIN]);
    expect(decisionFor(plan, 'spark-executor').removeNodes).toEqual(['spark-executor-2']);
    expect(Object.keys(state.unneededSince)).toEqual(['spark-executor-2']);
  });

  it('treats a node whose Spark pods have all finished as idle', () => {
    const done = aPod({ nodeName: 'spark-executor-1', phase: 'Succeeded', sparkRole: 'executor' });
    const { plan } = ticks(cluster(1, 0).withNodes('spark-executor', 1).withPods(done).build(), [
      T0,
      T0 + 11 * MIN,
    ]);
    expect(decisionFor(plan, 'spark-executor').removeNodes).toEqual(['spark-executor-1']);
  });

  it('removes the least-loaded idle nodes first, at most maxNodesPerTick', () => {
    const snapshot = cluster(1, 0)
      .withNodes('spark-executor', 5)
      .withPods(
        aDaemonPod('spark-executor-1', { cpu: 2 }),
        aDaemonPod('spark-executor-2', { cpu: 0.5 }),
        aDaemonPod('spark-executor-3', { cpu: 0.5, memoryBytes: 4 * GiB }),
        aDaemonPod('spark-executor-4', { cpu: 1 }),
      )
      .build();
    const d = decisionFor(ticks(snapshot, [T0, T0 + 10 * MIN]).plan, 'spark-executor');
    expect(d.removeNodes).toEqual(['spark-executor-5', 'spark-executor-2', 'spark-executor-3']);
    expect(d.target).toBe(3);
    expectReason(d, 'scale-in-cap', '5 nodes removable, at most 3 per tick');
  });

  it('never goes below min', () => {
    const cfg = aConfig({ 'spark-executor': { min: 3 } });
    const d = decisionFor(
      ticks(cluster(1, 4).build(), [T0, T0 + 10 * MIN], initialPolicyState, cfg).plan,
      'spark-executor',
    );
    expect(d).toMatchObject({ current: 5, target: 3 });
    expect(d.removeNodes).toHaveLength(2);
    expectReason(d, 'min', 'not going below the min 3');
  });

  it('does not remove nodes while pods wait for capacity in the group', () => {
    const snapshot = cluster(1, 2)
      .withPods(aPendingExecutor({ cpu: 64 }))
      .build(); // unfittable, but pending
    const d = decisionFor(ticks(snapshot, [T0, T0 + 20 * MIN]).plan, 'spark-executor');
    expect(d.removeNodes).toEqual([]);
    expectReason(d, 'unneeded-wait', 'while pods wait for capacity');
  });

  it('restarts the clock of a node that was busy in between', () => {
    const idle = cluster(1, 1).build();
    const busyAgain = cluster(2, 0).build();
    const first = decide(idle, config, initialPolicyState, T0);
    const second = decide(busyAgain, config, first.state, T0 + 5 * MIN);
    expect(second.state.unneededSince).toEqual({});
    const third = decide(idle, config, second.state, T0 + 11 * MIN);
    expect(decisionFor(third.plan, 'spark-executor').removeNodes).toEqual([]);
    expect(third.state.unneededSince).toEqual({ 'spark-executor-1': T0 + 11 * MIN });
  });

  it('forgets nodes that are gone or cordoned', () => {
    const state: PolicyState = {
      lastScaleOutAt: {},
      unneededSince: { 'gone-node': 1, 'spark-executor-1': 1 },
    };
    const snapshot = cluster(1, 0)
      .withNode(aNode({ name: 'spark-executor-1', unschedulable: true }))
      .build();
    const result = decide(snapshot, config, state, T0);
    expect(result.state.unneededSince).toEqual({});
    expect(decisionFor(result.plan, 'spark-executor').removeNodes).toEqual([]);
  });

  it('keeps young NotReady nodes (booting) but removes long-NotReady idle ones', () => {
    const snapshot = cluster(1, 0)
      .withNode(aNode({ name: 'booting', ready: false, createdAt: T0 + 20 * MIN - NOT_READY_GRACE_MS + MIN }))
      .withNode(aNode({ name: 'broken', ready: false, createdAt: 0 }))
      .build();
    const d = decisionFor(ticks(snapshot, [T0, T0 + 20 * MIN]).plan, 'spark-executor');
    expect(d.removeNodes).toEqual(['broken']);
    expectReason(d, 'unneeded-wait', 'likely booting');
  });
});

describe('groups that do not scale in', () => {
  it('the driver group scales out only by default: idle driver nodes stay', () => {
    const snapshot = cluster(1, 0)
      .withNodes('spark-driver', 3)
      .withPods(aRunningDriver('spark-driver-0'))
      .build();
    const result = ticks(snapshot, [T0, T0 + 60 * MIN]);
    const d = decisionFor(result.plan, 'spark-driver');
    expect(d).toMatchObject({ current: 3, target: 3, removeNodes: [] });
    expectReason(d, 'scale-out-only', '2 nodes idle kept');
    expect(Object.keys(result.state.unneededSince).some((n) => n.startsWith('spark-driver'))).toBe(false);
  });

  it('a driver group with scale-in enabled removes only nodes without drivers', () => {
    const cfg = aConfig({ 'spark-driver': { min: 0, scaleIn: { enabled: true } } });
    const snapshot = cluster(1, 0)
      .withNodes('spark-driver', 2)
      .withPods(aRunningDriver('spark-driver-0'))
      .build();
    const d = decisionFor(ticks(snapshot, [T0, T0 + 60 * MIN], initialPolicyState, cfg).plan, 'spark-driver');
    expect(d.removeNodes).toEqual(['spark-driver-1']);
  });

  it('a driver on an executor node keeps that node too', () => {
    const snapshot = cluster(1, 0)
      .withNodes('spark-executor', 1)
      .withPods(aRunningDriver('spark-executor-1', { group: 'spark-driver' }))
      .build();
    expect(decisionFor(ticks(snapshot, [T0, T0 + 60 * MIN]).plan, 'spark-executor').removeNodes).toEqual([]);
  });

  it('the system group is static', () => {
    const snapshot = cluster(1, 0).withNodes('spark-system', 3).build();
    const d = decisionFor(ticks(snapshot, [T0, T0 + 60 * MIN]).plan, 'spark-system');
    expect(d).toMatchObject({ current: 3, target: 3, removeNodes: [] });
    expectReason(d, 'static');
    expectNoReason(d, 'idle-node');
  });
});
