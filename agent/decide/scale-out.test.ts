import { describe, expect, it } from 'vitest';
import { aConfig } from '../../test/fixtures/config-builder.js';
import { decisionFor, expectNoReason, expectReason } from '../../test/fixtures/expect-plan.js';
import {
  aPendingDriver,
  aPendingExecutor,
  aRunningExecutor,
  aSnapshot,
  GiB,
} from '../../test/fixtures/snapshot-builder.js';
import { decide } from './decide.js';
import { initialPolicyState, type PolicyState } from './plan.js';

const NOW = 10_000_000;
const config = aConfig({ 'spark-executor': { max: 20 } });
const pending = (count: number, cpu = 4, memoryGiB = 16): ReturnType<typeof aPendingExecutor>[] =>
  Array.from({ length: count }, () => aPendingExecutor({ cpu, memoryBytes: memoryGiB * GiB }));
/** Executor nodes that are all busy, so idle-node rules stay out of the way. */
const busyExecutors = (count: number) => {
  const builder = aSnapshot().withNodes('spark-executor', count);
  for (let i = 0; i < count; i++)
    builder.withPods(aRunningExecutor(`spark-executor-${i}`, { cpu: 16, memoryBytes: 64 * GiB }));
  return builder;
};
const executor = (snapshot = busyExecutors(2).build(), state: PolicyState = initialPolicyState, now = NOW) =>
  decide(snapshot, config, state, now);

describe('reactive scale-out', () => {
  it('adds the nodes first-fit-decreasing says the unschedulable pods need', () => {
    const { plan, state } = executor(
      busyExecutors(2)
        .withPods(...pending(10))
        .build(),
    );
    const d = decisionFor(plan, 'spark-executor');
    expect(d).toMatchObject({ current: 2, target: 5, removeNodes: [] }); // 10 x 4 cpu -> 3 nodes of 16 cpu
    expectReason(d, 'pending-pods', '10 unschedulable pods need 3 nodes');
    expect(state.lastScaleOutAt['spark-executor']).toBe(NOW);
  });

  it('counts pods that turned unschedulable this very moment', () => {
    const snapshot = busyExecutors(2)
      .withPods(aPendingExecutor({ unschedulableSince: NOW }))
      .build();
    expect(decisionFor(executor(snapshot).plan, 'spark-executor').target).toBe(3);
  });

  it('ignores pending pods the scheduler has not judged unschedulable yet', () => {
    const snapshot = busyExecutors(2)
      .withPods(aPendingExecutor({ unschedulableSince: null }))
      .build();
    expect(decisionFor(executor(snapshot).plan, 'spark-executor').target).toBe(2);
  });

  it('subtracts nodes already provisioning', () => {
    const snapshot = busyExecutors(2)
      .withTargetSize('spark-executor', 4)
      .withPods(...pending(12))
      .build(); // needs 3
    const d = decisionFor(executor(snapshot).plan, 'spark-executor');
    expect(d).toMatchObject({ current: 4, target: 5 });
    expectReason(d, 'provisioning', '2 nodes already provisioning cover 2');
  });

  it('does nothing when provisioning nodes cover the need', () => {
    const snapshot = busyExecutors(2)
      .withTargetSize('spark-executor', 5)
      .withPods(...pending(12))
      .build();
    const d = decisionFor(executor(snapshot).plan, 'spark-executor');
    expect(d.target).toBe(5);
    expectReason(d, 'steady');
  });

  it('leaves quota-held pods out and says so', () => {
    const held = Array.from({ length: 30 }, () => aPendingExecutor({ quotaHeld: true }));
    const d = decisionFor(
      executor(
        busyExecutors(2)
          .withPods(...pending(4), ...held)
          .build(),
      ).plan,
      'spark-executor',
    );
    expect(d.target).toBe(3);
    expectReason(d, 'quota-held', '30 pods held by queue quota');
  });

  it('caps at max and says how many pods stay pending', () => {
    const d = decisionFor(
      executor(
        busyExecutors(18)
          .withPods(...pending(20))
          .build(),
      ).plan,
      'spark-executor',
    ); // needs 5, room for 2
    expect(d.target).toBe(20);
    expectReason(d, 'max', 'capped at max 20: 12 pods stay pending');
  });

  it('reports pods too big for any node instead of scaling for them', () => {
    const d = decisionFor(
      executor(
        busyExecutors(2)
          .withPods(aPendingExecutor({ cpu: 64 }))
          .build(),
      ).plan,
      'spark-executor',
    );
    expect(d.target).toBe(2);
    expectReason(d, 'pending-pods', '1 pod exceeds an empty node');
  });

  it('holds further scale-out during the cooldown, then acts', () => {
    const snapshot = busyExecutors(2)
      .withPods(...pending(4))
      .build();
    const justScaled: PolicyState = {
      ...initialPolicyState,
      lastScaleOutAt: { 'spark-executor': NOW - 10_000 },
    };
    const held = executor(snapshot, justScaled);
    const d = decisionFor(held.plan, 'spark-executor');
    expect(d.target).toBe(2);
    expectReason(d, 'cooldown', 'cooldown ends in 20s');
    expect(held.state.lastScaleOutAt['spark-executor']).toBe(NOW - 10_000); // unchanged: no scale-out
    const later = executor(snapshot, justScaled, NOW + 20_000);
    expect(decisionFor(later.plan, 'spark-executor').target).toBe(3);
  });

  it('scales the driver group out for pending drivers', () => {
    const snapshot = busyExecutors(2)
      .withNodes('spark-driver', 2)
      .withPods(...Array.from({ length: 9 }, () => aPendingDriver({ cpu: 1 })))
      .build();
    const d = decisionFor(executor(snapshot).plan, 'spark-driver');
    expect(d.target).toBe(4); // 9 x 1 cpu on 8-cpu nodes
    expectReason(d, 'pending-pods');
  });

  it('never scales a system group for pending pods', () => {
    const stuck = aPendingExecutor({ group: 'spark-system', sparkRole: null });
    const snapshot = busyExecutors(2).withNodes('spark-system', 3).withPods(stuck).build();
    const d = decisionFor(executor(snapshot).plan, 'spark-system');
    expect(d.target).toBe(3);
    expectReason(d, 'static', '1 unschedulable pod');
    expectNoReason(d, 'pending-pods');
  });
});
