import { describe, expect, it } from 'vitest';
import { parseFieldSelector, parseLabelSelector, type KubeObject } from './selectors.js';

const pod = (labels: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject => ({
  metadata: { name: 'p', namespace: 'ns', labels },
  ...extra,
});

describe('parseLabelSelector', () => {
  it.each([
    ['a=b', { a: 'b' }, true],
    ['a==b', { a: 'c' }, false],
    ['a!=b', {}, true],
    ['a!=b', { a: 'b' }, false],
    ['a', { a: '' }, true],
    ['a', {}, false],
    ['!a', {}, true],
    ['!a', { a: 'x' }, false],
    ['a in (x, y)', { a: 'y' }, true],
    ['a in (x,y)', {}, false],
    ['a notin (x,y)', {}, true],
    ['a notin (x,y)', { a: 'x' }, false],
    ['a=b,c!=d,e', { a: 'b', c: 'x', e: '1' }, true],
    ['a=b,c!=d,e', { a: 'b', c: 'd', e: '1' }, false],
    ['a=b,c!=d,e', { a: 'b' }, false],
    ['spark-role in (driver,executor),queue=q1', { 'spark-role': 'executor', queue: 'q1' }, true],
  ])('%s on %j -> %s', (selector, labels, expected) => {
    expect(parseLabelSelector(selector)(pod(labels))).toBe(expected);
  });

  it('rejects malformed terms with a 400 naming the term', () => {
    expect(() => parseLabelSelector('a in x')).toThrow(/a in x/);
  });
});

describe('parseFieldSelector', () => {
  const obj = pod({}, { spec: { nodeName: 'n1' }, status: { phase: 'Running' } });
  const unbound = pod({}, { spec: {}, status: { phase: 'Pending' } });

  it('matches dotted paths, with a missing field reading as empty', () => {
    expect(parseFieldSelector('spec.nodeName=n1')(obj)).toBe(true);
    expect(parseFieldSelector('spec.nodeName=')(unbound)).toBe(true);
    expect(parseFieldSelector('spec.nodeName=')(obj)).toBe(false);
    expect(parseFieldSelector('status.phase!=Running,metadata.name=p')(unbound)).toBe(true);
    expect(parseFieldSelector('status.phase!=Running')(obj)).toBe(false);
    expect(parseFieldSelector('metadata.namespace==ns')(obj)).toBe(true);
  });

  it('rejects a term without an operator', () => {
    expect(() => parseFieldSelector('spec.nodeName')).toThrow(/spec.nodeName/);
  });
});
