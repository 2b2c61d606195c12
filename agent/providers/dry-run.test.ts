import { describe, expect, it } from 'vitest';
import { DryRunProvider } from './dry-run.js';
import { ManualClock } from '../clock.js';
import { group } from '../../test/fakes/spark-cluster.js';

describe('DryRunProvider', () => {
  const g = group('spark-executor', 'executor');

  it('echoes the observed node count and records instead of acting', async () => {
    let observed = 4;
    const clock = new ManualClock(1000);
    const p = new DryRunProvider({ observedNodes: () => observed, clock });
    expect(await p.targetSize(g)).toBe(4);
    await p.scaleUpTo(g, 7);
    await p.scaleUpTo(g, 3); // below observed: nothing to do
    await p.deleteNodes(g, ['n1', 'n2']);
    expect(await p.targetSize(g)).toBe(4); // never acted
    expect(p.log()).toEqual([
      { at: 1000, group: 'spark-executor', action: 'scale-up', from: 4, to: 7, nodes: [] },
      { at: 1000, group: 'spark-executor', action: 'delete-nodes', from: 4, to: 2, nodes: ['n1', 'n2'] },
    ]);
    observed = 6;
    expect(await p.targetSize(g)).toBe(6);
  });

  it('keeps a bounded log', async () => {
    const p = new DryRunProvider({ observedNodes: () => 0, maxRecords: 2 });
    for (const size of [1, 2, 3]) await p.scaleUpTo(g, size);
    expect(p.log().map((r) => r.to)).toEqual([2, 3]);
  });
});
