import { describe, expect, it } from 'vitest';
import { aConfig } from '../../test/fixtures/config-builder.js';
import { groupOfNode } from './node-group.js';

describe('groupOfNode', () => {
  const config = aConfig({ 'spark-executor': { nodeSelector: { 'example.com/pool': 'spark-exec' } } });

  it('uses the configured selectors when a config is given', () => {
    const labels = { 'nodecast.io/node-group': 'spark-executor', 'example.com/pool': 'spark-exec' };
    expect(groupOfNode(labels, { config })).toBe('spark-executor');
    // A pool label naming a configured group counts; one naming no group does not.
    expect(groupOfNode({ 'karpenter.sh/nodepool': 'spark-driver' }, { config })).toBe('spark-driver');
    expect(groupOfNode({ 'karpenter.sh/nodepool': 'gpu' }, { config })).toBeNull();
  });

  it('without a config reads the group label, then the node-pool labels', () => {
    expect(
      groupOfNode({ 'team/pool': 'etl', 'karpenter.sh/nodepool': 'x' }, { groupLabel: 'team/pool' }),
    ).toBe('etl');
    expect(groupOfNode({ 'eks.amazonaws.com/nodegroup': 'spark-ng' }, {})).toBe('spark-ng');
    expect(groupOfNode({ 'kubernetes.io/os': 'linux' }, {})).toBeNull();
  });

  it('a fixed group wins', () => {
    expect(groupOfNode({ 'nodecast.io/node-group': 'a' }, { fixed: 'b', config })).toBe('b');
  });
});
