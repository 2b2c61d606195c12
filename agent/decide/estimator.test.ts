import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeShape } from '../config/types.js';
import type { Resources } from '../state/snapshot.js';
import { demandNodes, estimateNewNodes, packPods, podsLeftPending } from './estimator.js';

const GiB = 2 ** 30;
const SHAPE: NodeShape = { cpu: 16, memoryBytes: 128 * GiB, pods: 110 };
const pod = (cpu: number, memoryGiB: number): Resources => ({ cpu, memoryBytes: memoryGiB * GiB });
const many = (count: number, cpu: number, memoryGiB: number): Resources[] =>
  Array.from({ length: count }, () => pod(cpu, memoryGiB));

/** Textbook FFD, one pod at a time over a list of bins: the reference the fast version must match. */
function referenceFfd(
  pods: readonly Resources[],
  shape: NodeShape,
): { podsPerNode: number[]; unfittable: number } {
  const share = (p: Resources): number =>
    Math.max(p.cpu / shape.cpu, p.memoryBytes / shape.memoryBytes, 1 / shape.pods);
  const fits = pods.filter((p) => p.cpu <= shape.cpu && p.memoryBytes <= shape.memoryBytes);
  const sorted = [...fits].sort(
    (a, b) => share(b) - share(a) || b.cpu - a.cpu || b.memoryBytes - a.memoryBytes,
  );
  const bins: { cpu: number; memory: number; pods: number; count: number }[] = [];
  for (const p of sorted) {
    let bin = bins.find(
      (b) =>
        b.cpu + 1e-9 >= p.cpu && b.memory + 1e-9 * Math.max(1, p.memoryBytes) >= p.memoryBytes && b.pods >= 1,
    );
    if (!bin) bins.push((bin = { cpu: shape.cpu, memory: shape.memoryBytes, pods: shape.pods, count: 0 }));
    bin.cpu -= p.cpu;
    bin.memory -= p.memoryBytes;
    bin.pods -= 1;
    bin.count++;
  }
  return { podsPerNode: bins.map((b) => b.count), unfittable: pods.length - fits.length };
}

describe('packPods (first-fit decreasing)', () => {
  it('packs by the tightest resource', () => {
    expect(estimateNewNodes(many(8, 4, 16), SHAPE)).toBe(2); // cpu-bound: 4 per node
    expect(estimateNewNodes(many(8, 1, 64), SHAPE)).toBe(4); // memory-bound: 2 per node
    expect(estimateNewNodes(many(300, 0.01, 0.1), SHAPE)).toBe(3); // pod-slot-bound: 110 per node
  });

  it('fills gaps left by big pods with small ones', () => {
    // Two 12-cpu pods leave 4 cpu each: the eight 1-cpu pods fit in those gaps.
    expect(estimateNewNodes([pod(12, 8), pod(12, 8), ...many(8, 1, 1)], SHAPE)).toBe(2);
  });

  it('counts pods larger than an empty node apart instead of looping', () => {
    const result = packPods([pod(32, 8), pod(4, 256), pod(4, 16)], SHAPE);
    expect(result).toEqual({ nodes: 1, unfittable: 2, podsPerNode: [1] });
  });

  it('treats 10 x 0.1 cpu as exactly 1 cpu', () => {
    expect(estimateNewNodes(many(10, 0.1, 0), { cpu: 1, memoryBytes: GiB, pods: 110 })).toBe(1);
  });

  it('handles zero requests (pod slots still bound)', () => {
    expect(estimateNewNodes(many(220, 0, 0), SHAPE)).toBe(2);
    expect(estimateNewNodes([], SHAPE)).toBe(0);
  });

  it('matches textbook FFD exactly on random pods', () => {
    const podArb = fc.record({
      cpu: fc.integer({ min: 0, max: 20_000 }).map((m) => m / 1000),
      memoryBytes: fc.integer({ min: 0, max: 160 }).map((g) => g * GiB),
    });
    const shapeArb = fc.record({
      cpu: fc.integer({ min: 1, max: 32 }),
      memoryBytes: fc.integer({ min: 1, max: 256 }).map((g) => g * GiB),
      pods: fc.integer({ min: 1, max: 120 }),
    });
    // Few distinct shapes, as with Spark executors, plus arbitrary ones.
    const podsArb = fc.oneof(
      fc.array(podArb, { maxLength: 200 }),
      fc
        .tuple(fc.array(podArb, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(3), { maxLength: 300 }))
        .map(([kinds, picks]) => picks.map((i) => kinds[i % kinds.length]!)),
    );
    fc.assert(
      fc.property(podsArb, shapeArb, (pods, shape) => {
        const fast = packPods(pods, shape);
        const reference = referenceFfd(pods, shape);
        expect(fast.podsPerNode).toEqual(reference.podsPerNode);
        expect(fast.unfittable).toBe(reference.unfittable);
        expect(fast.nodes).toBe(reference.podsPerNode.length);
      }),
      { numRuns: 300 },
    );
  });

  it('never uses fewer nodes than the resource lower bound', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cpu: fc.double({ min: 0, max: 16, noNaN: true }),
            memoryBytes: fc.double({ min: 0, max: 128 * GiB, noNaN: true }),
          }),
        ),
        (pods) => {
          const nodes = estimateNewNodes(pods, SHAPE);
          const cpu = pods.reduce((sum, p) => sum + p.cpu, 0);
          const memory = pods.reduce((sum, p) => sum + p.memoryBytes, 0);
          const lowerBound = Math.max(
            Math.ceil(cpu / SHAPE.cpu - 1e-6),
            Math.ceil(memory / SHAPE.memoryBytes - 1e-6),
            Math.ceil(pods.length / SHAPE.pods),
          );
          expect(nodes).toBeGreaterThanOrEqual(lowerBound);
          expect(nodes).toBeLessThanOrEqual(pods.length);
        },
      ),
    );
  });
});

describe('podsLeftPending', () => {
  it('counts pods on nodes beyond the ones that can be had, plus unfittable pods', () => {
    const result = packPods([...many(8, 4, 16), pod(64, 1)], SHAPE); // 2 nodes of 4 pods, 1 unfittable
    expect(podsLeftPending(result, 2)).toBe(1);
    expect(podsLeftPending(result, 1)).toBe(5);
    expect(podsLeftPending(result, 0)).toBe(9);
  });
});

describe('demandNodes', () => {
  it('is the occupied nodes plus a packing of pending pods', () => {
    expect(demandNodes(7, many(5, 4, 16), SHAPE)).toBe(9);
    expect(demandNodes(3, [], SHAPE)).toBe(3);
  });
});
