/**
 * "How many new nodes of this shape do these pods need?" First-fit decreasing bin-packing on cpu,
 * memory and pod slots, like cluster-autoscaler's estimator. Fast on large inputs: identical
 * requests (a Spark app's executors all ask the same) are packed as one class, a bin takes as many
 * of a class as fit in one step, and open bins live in a segment tree (BinTree) so finding the
 * first bin that fits is logarithmic rather than a scan over all bins.
 */
import type { NodeGroupConfig, NodeShape } from '../config/types.js';
import type { Resources } from '../state/snapshot.js';
import { BinTree } from './bin-tree.js';
import type { GroupFacts } from './group-facts.js';

export interface PackResult {
  /** New nodes opened for the pods that fit a node of the shape. */
  readonly nodes: number;
  /** Pods larger than an empty node: no number of nodes helps them. */
  readonly unfittable: number;
  /** Pods placed on each opened node, in opening order (FFD fills early nodes with big pods). */
  readonly podsPerNode: readonly number[];
}

interface PodClass {
  readonly cpu: number;
  readonly memory: number;
  count: number;
}

/** Floating-point slack so 10 x 0.1 cpu fits 1 cpu. */
const EPS = 1e-9;

/** First-fit decreasing onto empty nodes of `shape`. */
export function packPods(pods: readonly Resources[], shape: NodeShape): PackResult {
  const { classes, unfittable } = classify(pods, shape);
  const bins = new BinTree();
  const podsPerNode: number[] = [];
  for (const podClass of classes) placeClass(podClass, shape, bins, podsPerNode);
  return { nodes: bins.count, unfittable, podsPerNode };
}

/** Nodes of `shape` the pods need (pods too big for any node are left out: see packPods). */
export function estimateNewNodes(pods: readonly Resources[], shape: NodeShape): number {
  return packPods(pods, shape).nodes;
}

/** Pods that stay pending when only the first `nodes` of a packing can be had. */
export function podsLeftPending(result: PackResult, nodes: number): number {
  let left = result.unfittable;
  for (let i = Math.max(0, nodes); i < result.podsPerNode.length; i++) left += result.podsPerNode[i]!;
  return left;
}

/**
 * Nodes a group needs now: the nodes its Spark pods already occupy (they cannot be packed tighter
 * without moving running executors) plus a packing of its pending pods onto fresh nodes.
 * Linear in the pods, so it can run every tick on a large cluster.
 */
export function demandNodes(occupiedNodes: number, pending: readonly Resources[], shape: NodeShape): number {
  return occupiedNodes + estimateNewNodes(pending, shape);
}

/** A group's demand from its facts: a system group needs the nodes it has. */
export function groupDemand(group: NodeGroupConfig, facts: GroupFacts): number {
  if (group.role === 'system') return facts.nodes.length;
  return demandNodes(facts.occupied, facts.pending, group.shape);
}

function classify(pods: readonly Resources[], shape: NodeShape): { classes: PodClass[]; unfittable: number } {
  const byCpu = new Map<number, Map<number, PodClass>>();
  const classes: PodClass[] = [];
  let unfittable = 0;
  for (const pod of pods) {
    const cpu = Math.max(0, pod.cpu);
    const memory = Math.max(0, pod.memoryBytes);
    if (cpu > shape.cpu * (1 + EPS) || memory > shape.memoryBytes * (1 + EPS) || shape.pods < 1) {
      unfittable++;
      continue;
    }
    let byMemory = byCpu.get(cpu);
    if (!byMemory) byCpu.set(cpu, (byMemory = new Map()));
    const existing = byMemory.get(memory);
    if (existing) existing.count++;
    else {
      const created = { cpu, memory, count: 1 };
      byMemory.set(memory, created);
      classes.push(created);
    }
  }
  // Decreasing by dominant share of a node, then cpu, then memory: deterministic FFD order.
  const share = (c: PodClass): number =>
    Math.max(c.cpu / shape.cpu, c.memory / shape.memoryBytes, 1 / shape.pods);
  classes.sort((a, b) => share(b) - share(a) || b.cpu - a.cpu || b.memory - a.memory);
  return { classes, unfittable };
}

/** How many pods of (cpu, memory) fit in free resources. */
function fitCount(
  freeCpu: number,
  freeMemory: number,
  freePods: number,
  cpu: number,
  memory: number,
): number {
  const byCpu = cpu > 0 ? Math.floor((freeCpu + EPS) / cpu) : Infinity;
  const byMemory = memory > 0 ? Math.floor((freeMemory + EPS * Math.max(1, memory)) / memory) : Infinity;
  return Math.min(byCpu, byMemory, Math.floor(freePods));
}

function placeClass(podClass: PodClass, shape: NodeShape, bins: BinTree, podsPerNode: number[]): void {
  let remaining = podClass.count;
  const { cpu, memory } = podClass;
  const memorySlack = EPS * Math.max(1, memory);
  while (remaining > 0) {
    const bin = bins.firstFit(cpu - EPS, memory - memorySlack);
    if (bin < 0) break;
    const k = Math.min(
      remaining,
      fitCount(bins.freeCpu(bin), bins.freeMemory(bin), bins.freePods(bin), cpu, memory),
    );
    if (k < 1) break; // cannot happen given firstFit, but never loop forever
    bins.set(
      bin,
      Math.max(0, bins.freeCpu(bin) - k * cpu),
      Math.max(0, bins.freeMemory(bin) - k * memory),
      bins.freePods(bin) - k,
    );
    podsPerNode[bin]! += k;
    remaining -= k;
  }
  const perNode = fitCount(shape.cpu, shape.memoryBytes, shape.pods, cpu, memory);
  while (remaining > 0) {
    const k = Math.min(remaining, perNode);
    bins.push(Math.max(0, shape.cpu - k * cpu), Math.max(0, shape.memoryBytes - k * memory), shape.pods - k);
    podsPerNode.push(k);
    remaining -= k;
  }
}
