import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, NodeView, PodView } from '../../agent/state/snapshot.js';
import { estimateNewNodes } from '../../sim/policies/binpack-estimate.js';
import { caPolicy } from '../../sim/policies/ca.js';
import { GiB } from '../../sim/trace-types.js';
import { testConfig } from './helpers.js';

const config = testConfig();
const executorShape = { cpu: 16, memoryBytes: 128 * GiB, pods: 110 };
const driverShape = { cpu: 8, memoryBytes: 32 * GiB, pods: 110 };

function node(name: string, group: string): NodeView {
  const shape = group === 'spark-executor' ? executorShape : driverShape;
  return {
    name,
    group,
    ready: true,
    unschedulable: false,
    allocatable: shape,
    labels: {},
    createdAt: 0,
    podUids: [],
  };
}

function pod(
  uid: string,
  group: string,
  nodeName: string | null,
  cpu: number,
  role: 'driver' | 'executor' = 'executor',
): PodView {
  return {
    uid,
    namespace: 'spark',
    name: uid,
    sparkRole: role,
    app: 'app',
    queue: 'etl',
    requests: { cpu, memoryBytes: cpu * 7 * GiB },
    phase: nodeName ? 'Running' : 'Pending',
    nodeName,
    unschedulableSince: nodeName ? null : 0,
    quotaHeld: false,
    nodeSelector: {},
    group,
  };
}

function snapshot(nodes: NodeView[], pods: PodView[], targets: Record<string, number>): ClusterSnapshot {
  return {
    takenAt: 0,
    nodes: new Map(nodes.map((n) => [n.name, n])),
    pods: new Map(pods.map((p) => [p.uid, p])),
    groups: new Map(Object.entries(targets).map(([name, targetSize]) => [name, { name, targetSize }])),
  };
}

const MIN = 60_000;

describe('cluster-autoscaler baseline', () => {
  it('estimates new nodes by bin-packing pending pods onto nodes already coming first', () => {
    const pending = Array.from({ length: 10 }, () => ({ cpu: 4, memoryBytes: 28 * GiB }));
    expect(estimateNewNodes(pending, executorShape, 0)).toBe(3);
    expect(estimateNewNodes(pending, executorShape, 2)).toBe(1);
    expect(estimateNewNodes(pending, executorShape, 3)).toBe(0);
  });

  it('scales a group up for its unschedulable pods, up to max', () => {
    const ca = caPolicy(config);
    const pods = Array.from({ length: 9 }, (_, i) => pod(`p${i}`, 'spark-executor', null, 4));
    const plan = ca.scan(
      snapshot([node('e1', 'spark-executor')], pods, { 'spark-executor': 1, 'spark-driver': 2 }),
      0,
    ).plan;
    expect(plan.decisions.find((d) => d.group === 'spark-executor')).toMatchObject({ current: 1, target: 4 });
  });

  it('drains an under-used node after 10 minutes unneeded, evicting executors that fit elsewhere', () => {
    const ca = caPolicy(config);
    const nodes = ['e1', 'e2', 'e3', 'e4'].map((n) => node(n, 'spark-executor'));
    nodes.push(...['d1', 'd2', 'd3'].map((n) => node(n, 'spark-driver')));
    const pods = [
      pod('small', 'spark-executor', 'e1', 4), // 25%: unneeded, fits on e2
      pod('half', 'spark-executor', 'e2', 8), // 50%: needed
      pod('half2', 'spark-executor', 'e4', 8),
      pod('driver', 'spark-driver', 'd1', 1, 'driver'), // 12.5%, but drivers never move
    ];
    const s = snapshot(nodes, pods, { 'spark-system': 3, 'spark-executor': 4, 'spark-driver': 3 });
    const first = ca.scan(s, 0);
    expect(first.plan.decisions.every((d) => d.removeNodes.length === 0)).toBe(true);
    const later = ca.scan(s, 11 * MIN);
    const executors = later.plan.decisions.find((d) => d.group === 'spark-executor');
    const drivers = later.plan.decisions.find((d) => d.group === 'spark-driver');
    // Down to min (2): e3 is empty (bulk delete); e1 is drained, its executor evicted.
    expect([...(executors?.removeNodes ?? [])].sort()).toEqual(['e1', 'e3']);
    expect(executors?.target).toBe(2);
    expect(later.evictPods).toEqual(['small']);
    // One of the empty driver nodes goes (min 2); d1 keeps its driver.
    expect(drivers?.removeNodes).toHaveLength(1);
    expect(drivers?.removeNodes).not.toContain('d1');
  });

  it('waits 10 minutes after any scale-up before scaling down', () => {
    const ca = caPolicy(config);
    const idle = snapshot(
      [node('e1', 'spark-executor'), node('e2', 'spark-executor'), node('e3', 'spark-executor')],
      [],
      {
        'spark-executor': 3,
      },
    );
    const busy = snapshot([node('e1', 'spark-executor')], [pod('p', 'spark-executor', null, 4)], {
      'spark-executor': 1,
    });
    ca.scan(idle, 0);
    ca.scan(busy, 9 * MIN); // scale-up at 9 min
    const at15 = ca.scan(idle, 15 * MIN).plan.decisions.find((d) => d.group === 'spark-executor');
    const at20 = ca.scan(idle, 20 * MIN).plan.decisions.find((d) => d.group === 'spark-executor');
    expect(at15?.removeNodes).toEqual([]);
    expect(at20?.removeNodes.length).toBe(1); // down to min 2
  });
});
