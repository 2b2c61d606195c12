import { describe, expect, it } from 'vitest';
import { ResourceRegistry, resourceSet } from './resources.js';
import { humanDuration, toTable } from './table.js';

const registry = new ResourceRegistry(resourceSet());

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [5_000, '5s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [30 * 3600_000, '30h'],
    [3 * 86400_000 + 4 * 3600_000, '3d4h'],
    [40 * 86400_000, '40d'],
    [730 * 86400_000, '2y'],
    [800 * 86400_000, '2y70d'],
    [4000 * 86400_000, '10y'],
  ])('%d ms -> %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('toTable', () => {
  const now = Date.parse('2025-01-01T00:10:00Z');

  it('prints pod columns like the real server, with the waiting reason as STATUS', () => {
    const pod = {
      metadata: { name: 'exec-1', namespace: 'spark', creationTimestamp: '2025-01-01T00:00:00Z' },
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n1' },
      status: {
        phase: 'Pending',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 1 },
          { name: 'b', ready: false, restartCount: 2, state: { waiting: { reason: 'ImagePullBackOff' } } },
        ],
      },
    };
    const table = toTable(registry.resolve('pods'), [pod], { now, includeObject: 'Metadata' }) as {
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: { kind: string; metadata: { namespace: string } } }[];
    };
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
    ]);
    expect(table.rows[0].cells).toEqual(['exec-1', '1/2', 'ImagePullBackOff', 3, '10m', '<none>', 'n1']);
    expect(table.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { namespace: 'spark' },
    });
  });

  it('shows a cordoned NotReady node and its roles', () => {
    const node = {
      metadata: {
        name: 'n1',
        labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/spark': '' },
      },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    };
    const table = toTable(registry.resolve('nodes'), [node], { now, includeObject: 'None' }) as {
      rows: { cells: unknown[]; object?: unknown }[];
    };
    expect(table.rows[0].cells.slice(0, 3)).toEqual(['n1', 'NotReady,SchedulingDisabled', 'spark,worker']);
    expect(table.rows[0].object).toBeUndefined();
  });
});
