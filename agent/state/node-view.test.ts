import { describe, expect, it } from 'vitest';
import { toNodeView } from './node-view.js';
import { GroupResolver } from './group-resolver.js';
import { node, testConfig } from '../../test/fakes/spark-cluster.js';

const resolver = new GroupResolver(testConfig());

describe('toNodeView', () => {
  it('reads readiness, allocatable, labels and group', () => {
    const { view, problems } = toNodeView(
      node('n1', { group: 'spark-executor', cpu: '15890m', memory: '60Gi' }),
      resolver,
    );
    expect(problems).toEqual([]);
    expect(view).toMatchObject({
      name: 'n1',
      group: 'spark-executor',
      ready: true,
      unschedulable: false,
      allocatable: { cpu: 15.89, memoryBytes: 60 * 2 ** 30, pods: 110 },
      createdAt: Date.parse('2024-05-01T08:00:00Z'),
      podUids: [],
    });
  });

  it('is not ready without a True Ready condition', () => {
    expect(toNodeView(node('n', { ready: false }), resolver).view!.ready).toBe(false);
    const raw = node('n');
    delete (raw as { status?: unknown }).status;
    expect(toNodeView(raw, resolver).view!.ready).toBe(false);
  });

  it('is unschedulable when cordoned, deleting, or tainted for removal', () => {
    expect(toNodeView(node('n', { unschedulable: true }), resolver).view!.unschedulable).toBe(true);
    const deleting = node('n');
    (deleting.metadata as Record<string, unknown>).deletionTimestamp = '2024-05-01T12:00:00Z';
    expect(toNodeView(deleting, resolver).view!.unschedulable).toBe(true);
    const tainted = node('n');
    (tainted.spec as Record<string, unknown>).taints = [
      { key: 'ToBeDeletedByClusterAutoscaler', effect: 'NoSchedule' },
    ];
    expect(toNodeView(tainted, resolver).view!.unschedulable).toBe(true);
    const soft = node('n');
    (soft.spec as Record<string, unknown>).taints = [{ key: 'spark', effect: 'NoSchedule' }];
    expect(toNodeView(soft, resolver).view!.unschedulable).toBe(false);
  });

  it('resolves the group from node-pool labels', () => {
    expect(
      toNodeView(node('n', { labels: { 'karpenter.sh/nodepool': 'spark-driver' } }), resolver).view!.group,
    ).toBe('spark-driver');
    expect(
      toNodeView(node('n', { labels: { 'karpenter.sh/nodepool': 'gpu' } }), resolver).view!.group,
    ).toBeNull();
  });

  it('reports malformed allocatable quantities as problems', () => {
    const r = toNodeView(node('n', { cpu: 'sixteen' }), resolver);
    expect(r.view!.allocatable.cpu).toBe(0);
    expect(r.problems).toEqual([expect.stringMatching(/^status\.allocatable\.cpu: /)]);
  });

  it('returns no view for nameless objects', () => {
    expect(toNodeView({ metadata: {} }, resolver).view).toBeNull();
    expect(toNodeView(undefined, resolver).view).toBeNull();
  });
});
