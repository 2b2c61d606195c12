import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch } from './patch.js';
import { ApiError } from './status.js';

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects recursively, deletes on null and replaces arrays whole', () => {
    const target = { a: 1, b: { c: 2, d: 3 }, list: [1, 2, 3] };
    const out = applyMergePatch(target, { b: { c: null, e: 4 }, list: [9], f: 'x' });
    expect(out).toEqual({ a: 1, b: { d: 3, e: 4 }, list: [9], f: 'x' });
    expect(target).toEqual({ a: 1, b: { c: 2, d: 3 }, list: [1, 2, 3] });
  });

  it('replaces the target when the patch is not an object', () => {
    expect(applyMergePatch({ a: 1 }, ['x'])).toEqual(['x']);
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  const doc = { metadata: { labels: { a: 'b' } }, spec: { items: ['x', 'y'] } };

  it('applies add, replace, remove, copy and move in order', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/metadata/labels/c~1d', value: 'e' },
      { op: 'replace', path: '/metadata/labels/a', value: 'z' },
      { op: 'add', path: '/spec/items/-', value: 'w' },
      { op: 'add', path: '/spec/items/0', value: 'v' },
      { op: 'remove', path: '/spec/items/1' },
      { op: 'copy', from: '/metadata/labels/a', path: '/spec/copied' },
      { op: 'move', from: '/spec/copied', path: '/spec/moved' },
    ]);
    expect(out).toEqual({
      metadata: { labels: { a: 'z', 'c/d': 'e' } },
      spec: { items: ['v', 'y', 'w'], moved: 'z' },
    });
    expect(doc.spec.items).toEqual(['x', 'y']);
  });

  it('a failing test op rejects the whole patch with 422', () => {
    const run = () =>
      applyJsonPatch(doc, [
        { op: 'replace', path: '/metadata/labels/a', value: 'changed' },
        { op: 'test', path: '/spec/items/0', value: 'nope' },
      ]);
    expect(run).toThrow(ApiError);
    expect(() => run()).toThrow(/test failed/);
    expect(doc.metadata.labels.a).toBe('b');
  });

  it('a passing test op compares deeply', () => {
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/spec', value: { items: ['x', 'y'] } }])).toEqual(doc);
  });

  it('names the bad path for missing targets and bad indexes', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/spec/missing', value: 1 }])).toThrow(
      /\/spec\/missing/,
    );
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/items/5' }])).toThrow(
      /index out of range/,
    );
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/no/parent', value: 1 }])).toThrow(
      /does not exist/,
    );
    expect(() => applyJsonPatch(doc, { op: 'add' })).toThrow(/array/);
  });
});
