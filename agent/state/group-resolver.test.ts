import { describe, expect, it } from 'vitest';
import { GroupResolver } from './group-resolver.js';
import { group, testConfig } from '../../test/fakes/spark-cluster.js';

const config = testConfig({
  nodeGroups: [
    group('spark-driver', 'driver'),
    group('exec-a', 'executor'),
    group('exec-b', 'executor', { nodeSelector: { pool: 'b' } }),
    group('exec-b-gpu', 'executor', { nodeSelector: { pool: 'b', gpu: 'true' } }),
  ],
  queues: [
    { name: 'root.team-a', executorGroup: 'exec-a', maxCpu: Infinity, maxMemoryBytes: Infinity },
    { name: 'team-b', executorGroup: 'exec-b', maxCpu: Infinity, maxMemoryBytes: Infinity },
  ],
});
const r = new GroupResolver(config);
const req = (o: Record<string, string[]>) => new Map(Object.entries(o));

describe('GroupResolver.nodeGroup', () => {
  it('matches configured selectors, most specific first', () => {
    expect(r.nodeGroup({ pool: 'b' })).toBe('exec-b');
    expect(r.nodeGroup({ pool: 'b', gpu: 'true' })).toBe('exec-b-gpu');
    expect(r.nodeGroup({ 'nodecast.io/node-group': 'exec-a', extra: 'x' })).toBe('exec-a');
  });

  it('falls back to node-pool labels naming a group, karpenter before EKS before GKE', () => {
    expect(r.nodeGroup({ 'eks.amazonaws.com/nodegroup': 'exec-a' })).toBe('exec-a');
    expect(r.nodeGroup({ 'cloud.google.com/gke-nodepool': 'spark-driver' })).toBe('spark-driver');
    expect(r.nodeGroup({ 'karpenter.sh/nodepool': 'exec-b', 'eks.amazonaws.com/nodegroup': 'exec-a' })).toBe(
      'exec-b',
    );
    expect(r.nodeGroup({ 'node.kubernetes.io/instance-type': 'exec-a' })).toBe('exec-a');
  });

  it('prefers a configured selector over pool labels', () => {
    expect(r.nodeGroup({ pool: 'b', 'karpenter.sh/nodepool': 'exec-a' })).toBe('exec-b');
  });

  it('returns null for unknown nodes', () => {
    expect(r.nodeGroup({ 'karpenter.sh/nodepool': 'other' })).toBeNull();
    expect(r.nodeGroup({})).toBeNull();
  });
});

describe('GroupResolver.podGroup', () => {
  it('uses the pod selector before role and queue', () => {
    expect(r.podGroup({ sparkRole: 'executor', queue: 'team-a', requirements: [req({ pool: ['b'] })] })).toBe(
      'exec-b',
    );
  });

  it('tries each affinity alternative in order', () => {
    const requirements = [req({ zone: ['x'] }), req({ pool: ['b'], gpu: ['true'] })];
    expect(r.podGroup({ sparkRole: null, queue: null, requirements })).toBe('exec-b-gpu');
  });

  it('accepts node-pool pins only when unambiguous', () => {
    expect(
      r.podGroup({
        sparkRole: null,
        queue: null,
        requirements: [req({ 'karpenter.sh/nodepool': ['exec-a'] })],
      }),
    ).toBe('exec-a');
    expect(
      r.podGroup({
        sparkRole: null,
        queue: null,
        requirements: [req({ 'karpenter.sh/nodepool': ['exec-a', 'exec-b'] })],
      }),
    ).toBeNull();
  });

  it('maps executors through their queue, ignoring the root. prefix', () => {
    expect(r.podGroup({ sparkRole: 'executor', queue: 'team-a', requirements: [req({})] })).toBe('exec-a');
    expect(r.podGroup({ sparkRole: 'executor', queue: 'root.team-b', requirements: [req({})] })).toBe(
      'exec-b',
    );
  });

  it('leaves executors of unmapped queues unresolved when several executor groups exist', () => {
    expect(r.podGroup({ sparkRole: 'executor', queue: 'nobody', requirements: [req({})] })).toBeNull();
  });

  it('uses the single executor group when there is only one', () => {
    const single = new GroupResolver(testConfig({ queues: [] }));
    expect(single.podGroup({ sparkRole: 'executor', queue: null, requirements: [req({})] })).toBe(
      'spark-executor',
    );
  });

  it('sends drivers to the driver group and leaves other pods alone', () => {
    expect(r.podGroup({ sparkRole: 'driver', queue: 'team-a', requirements: [req({})] })).toBe(
      'spark-driver',
    );
    expect(r.podGroup({ sparkRole: null, queue: null, requirements: [req({})] })).toBeNull();
  });
});
