import { describe, expect, it } from 'vitest';
import {
  aDaemonPod,
  aNode,
  aRunningDriver,
  aRunningExecutor,
  aPendingExecutor,
  aPod,
  aSnapshot,
  GiB,
} from '../../test/fixtures/snapshot-builder.js';
import { aggregateUsage } from './aggregate.js';

const pod = (name: string, cpu: number, memGiB: number, namespace = 'spark') => ({
  namespace,
  name,
  cpu,
  memoryBytes: memGiB * GiB,
});

describe('aggregateUsage', () => {
  const snapshot = aSnapshot()
    .withNodes('spark-executor', 2)
    .withNodes('spark-driver', 1)
    .withNode(aNode({ name: 'stray', group: null }))
    .withPods(
      aRunningExecutor('spark-executor-0', { name: 'etl-exec-1', queue: 'etl' }),
      aRunningExecutor('spark-executor-0', { name: 'adhoc-exec-1', queue: 'adhoc' }),
      aRunningExecutor('spark-executor-1', { name: 'etl-exec-2', queue: 'etl' }),
      aRunningDriver('spark-driver-0', { name: 'etl-driver', queue: 'etl' }),
      aDaemonPod('spark-executor-1', { name: 'fluent-bit', namespace: 'logging' }),
      aDaemonPod('stray', { name: 'other', namespace: 'kube-system' }),
    )
    .build();

  it('sums pod usage per queue and per group of the node the pod runs on (pods-only mode)', () => {
    const totals = aggregateUsage(
      {
        pods: [
          pod('etl-exec-1', 3, 10),
          pod('adhoc-exec-1', 0.5, 2),
          pod('etl-exec-2', 1.25, 6),
          pod('etl-driver', 0.25, 1),
          pod('fluent-bit', 0.1, 0.5, 'logging'),
          pod('other', 2, 4, 'kube-system'),
        ],
      },
      snapshot,
    );
    expect(totals.groups.get('spark-executor')).toEqual({
      cpu: 3 + 0.5 + 1.25 + 0.1,
      memoryBytes: 18.5 * GiB,
    });
    expect(totals.groups.get('spark-driver')).toEqual({ cpu: 0.25, memoryBytes: 1 * GiB });
    expect(totals.queues.get('etl')).toEqual({ cpu: 3 + 1.25 + 0.25, memoryBytes: 17 * GiB });
    expect(totals.queues.get('adhoc')).toEqual({ cpu: 0.5, memoryBytes: 2 * GiB });
    // The pod on a node outside every group counts for no group and no queue.
    expect([...totals.groups.keys()].sort()).toEqual(['spark-driver', 'spark-executor']);
    expect(totals.unknownPods).toBe(0);
    expect(totals.unsampledNodes).toBe(0);
  });

  it('ignores and counts samples of pods and nodes the snapshot does not know', () => {
    const totals = aggregateUsage(
      {
        pods: [pod('etl-exec-1', 1, 1), pod('gone-exec', 7, 7), pod('etl-exec-1', 9, 9, 'other-ns')],
        nodes: [
          { node: 'spark-executor-0', cpu: 2, memoryBytes: 3 * GiB },
          { node: 'deleted-node', cpu: 5, memoryBytes: 1 },
        ],
      },
      snapshot,
    );
    expect(totals.unknownPods).toBe(2);
    expect(totals.unknownNodes).toBe(1);
    expect(totals.queues.get('etl')).toEqual({ cpu: 1, memoryBytes: 1 * GiB });
    expect(totals.groups.get('spark-executor')).toEqual({ cpu: 2, memoryBytes: 3 * GiB });
  });

  it('takes a node sample over its pods for the group (no double counting), pods still feed queues', () => {
    const totals = aggregateUsage(
      {
        pods: [pod('etl-exec-1', 3, 10), pod('etl-exec-2', 1, 4)],
        nodes: [{ node: 'spark-executor-0', cpu: 3.6, memoryBytes: 11 * GiB }],
      },
      snapshot,
    );
    // executor-0 from its node sample; executor-1 has no node sample, so its pod's sample.
    expect(totals.groups.get('spark-executor')).toEqual({ cpu: 4.6, memoryBytes: 15 * GiB });
    expect(totals.queues.get('etl')).toEqual({ cpu: 4, memoryBytes: 14 * GiB });
    // spark-driver-0 has neither: it is unsampled and its group is unknown, not zero.
    expect(totals.unsampledNodes).toBe(1);
    expect(totals.groups.has('spark-driver')).toBe(false);
  });

  it('reports zero only where nothing can be running, and leaves unknown groups and queues out', () => {
    const snap = aSnapshot()
      .withNodes('spark-executor', 1)
      .withPods(
        aRunningExecutor('spark-executor-0', { name: 'e1', queue: 'etl' }),
        aPendingExecutor({ queue: 'adhoc' }),
      )
      .build();
    const totals = aggregateUsage({ pods: [], nodes: [] }, snap, {
      groups: ['spark-executor', 'spark-driver'],
      queues: ['etl', 'adhoc', 'ml'],
    });
    expect(totals.groups.get('spark-driver')).toEqual({ cpu: 0, memoryBytes: 0 }); // no nodes at all
    expect(totals.groups.has('spark-executor')).toBe(false); // a node, but no sample of it
    expect(totals.queues.get('adhoc')).toEqual({ cpu: 0, memoryBytes: 0 }); // only a pending pod
    expect(totals.queues.get('ml')).toEqual({ cpu: 0, memoryBytes: 0 });
    expect(totals.queues.has('etl')).toBe(false); // running pod without a sample
  });

  it('attributes a sampled pod the snapshot has not bound yet to its own group', () => {
    const snap = aSnapshot()
      .withPods(
        aPod({
          name: 'just-started',
          nodeName: null,
          phase: 'Pending',
          group: 'spark-executor',
          queue: 'etl',
        }),
      )
      .build();
    const totals = aggregateUsage({ pods: [pod('just-started', 0.2, 1)] }, snap);
    expect(totals.groups.get('spark-executor')).toEqual({ cpu: 0.2, memoryBytes: 1 * GiB });
    expect(totals.queues.get('etl')).toEqual({ cpu: 0.2, memoryBytes: 1 * GiB });
  });

  it('in pods-only mode an empty node of a group counts as using nothing', () => {
    const snap = aSnapshot().withNodes('spark-executor', 2).build();
    const totals = aggregateUsage({ pods: [] }, snap);
    expect(totals.groups.get('spark-executor')).toEqual({ cpu: 0, memoryBytes: 0 });
    expect(totals.unsampledNodes).toBe(0);
  });
});
