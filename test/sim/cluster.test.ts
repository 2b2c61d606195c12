import { describe, expect, it } from 'vitest';
import { fixedFleetPolicy } from '../../sim/policies/static.js';
import { job, simulation, T0, testConfig } from './helpers.js';

const config = testConfig();
const executorGroup = config.nodeGroups.find((g) => g.role === 'executor')!;
const idle = fixedFleetPolicy('idle', (g) => g.min);

describe('sim provider and cluster', () => {
  it('scales up idempotently; nodes join the snapshot only once Ready', async () => {
    const sim = simulation([job('a', 3600)], idle, config, { provisioning: { kind: 'fixed', seconds: 100 } });
    await sim.runUntil(T0);
    await sim.provider.scaleUpTo(executorGroup, 6);
    await sim.provider.scaleUpTo(executorGroup, 6);
    await sim.provider.scaleUpTo(executorGroup, 3); // lower: a no-op
    expect(await sim.provider.targetSize(executorGroup)).toBe(6);
    const executorNodes = () =>
      [...sim.snapshot().nodes.values()].filter((n) => n.group === executorGroup.name);
    expect(executorNodes()).toHaveLength(2);
    expect(sim.snapshot().groups.get(executorGroup.name)?.targetSize).toBe(6);
    await sim.runUntil(T0 + 100_000);
    expect(executorNodes()).toHaveLength(6);
    const report = await sim.run();
    expect(report.scaleOutLatencySeconds).toMatchObject({ p50: 100, count: 1 });
  });

  it('caps a scale-up at the group max', async () => {
    const sim = simulation([job('a', 0)], idle, config);
    await sim.provider.scaleUpTo(executorGroup, 10_000);
    expect(await sim.provider.targetSize(executorGroup)).toBe(executorGroup.max);
  });

  it('counts a node deleted under running executors, which Spark replaces', async () => {
    const sim = simulation([job('a', 0, { executors: 2, durationSeconds: 600 })], idle, config);
    await sim.runUntil(T0 + 10_000);
    const snapshot = sim.snapshot();
    const busy = [...snapshot.pods.values()].find((p) => p.sparkRole === 'executor')?.nodeName;
    expect(busy).toBeTruthy();
    await sim.provider.deleteNodes(executorGroup, [busy!, 'no-such-node']);
    const report = await sim.run();
    expect(report.executorNodesRemovedWhileBusy).toBe(1);
    expect(report.podsKilledByNodeDeletion).toBe(2);
    expect(report.jobsCompleted).toBe(1);
  });
});

describe('snapshot builder', () => {
  it('resolves each pod to the node group it needs, and keeps earlier snapshots unchanged', async () => {
    const sim = simulation([job('a', 0, { executors: 2, queue: 'ml' })], idle, config);
    await sim.runUntil(T0 + 5_000);
    const before = sim.snapshot();
    const frozen = JSON.stringify([...before.pods.values()]);
    const views = [...before.pods.values()];
    expect(views.map((p) => [p.sparkRole, p.group, p.queue, p.phase])).toEqual([
      ['driver', 'spark-driver', 'ml', 'Running'],
      ['executor', 'spark-executor', 'ml', 'Running'],
      ['executor', 'spark-executor', 'ml', 'Running'],
    ]);
    expect(views[1]?.nodeSelector).toEqual(executorGroup.nodeSelector);
    const node = before.nodes.get(views[1]!.nodeName!);
    expect(node?.podUids).toContain(views[1]!.uid);
    await sim.run();
    expect(sim.snapshot().pods.size).toBe(0);
    expect(JSON.stringify([...before.pods.values()])).toBe(frozen);
  });

  it('exposes requested and used resources per node, group and queue', async () => {
    const sim = simulation([job('a', 0, { executors: 2, queue: 'ml' })], idle, config);
    await sim.runUntil(T0 + 5_000);
    const usage = sim.usage();
    const group = usage.groups.get('spark-executor');
    expect(group?.requestedCpu).toBe(8);
    expect(group?.usedCpu).toBeGreaterThanOrEqual(0.4 * 8);
    expect(group?.usedCpu).toBeLessThanOrEqual(0.9 * 8);
    expect(usage.queues.get('ml')?.requestedCpu).toBe(9); // driver + executors
    const perNode = [...usage.nodes.values()].reduce((s, u) => s + u.requestedCpu, 0);
    expect(perNode).toBe(9);
  });
});
