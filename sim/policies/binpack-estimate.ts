/**
 * How many new nodes pending pods need, like cluster-autoscaler's binpacking estimator: pods,
 * largest first, go first-fit onto the nodes already coming (empty templates), then onto new ones.
 */
import type { NodeShape } from '../../agent/config/types.js';
import type { Resources } from '../../agent/state/snapshot.js';

const EPSILON = 1e-9;

interface Bin {
  cpu: number;
  memoryBytes: number;
  pods: number;
}

export function estimateNewNodes(pods: readonly Resources[], shape: NodeShape, upcoming: number): number {
  const size = (p: Resources): number => Math.max(p.cpu / shape.cpu, p.memoryBytes / shape.memoryBytes);
  const sorted = [...pods].sort((a, b) => size(b) - size(a));
  const bins: Bin[] = [];
  for (let i = 0; i < upcoming; i++)
    bins.push({ cpu: shape.cpu, memoryBytes: shape.memoryBytes, pods: shape.pods });
  for (const pod of sorted) {
    if (pod.cpu > shape.cpu + EPSILON || pod.memoryBytes > shape.memoryBytes + EPSILON) continue; // never fits
    let bin = bins.find(
      (b) => b.cpu + EPSILON >= pod.cpu && b.memoryBytes + EPSILON >= pod.memoryBytes && b.pods > 0,
    );
    if (!bin) {
      bin = { cpu: shape.cpu, memoryBytes: shape.memoryBytes, pods: shape.pods };
      bins.push(bin);
    }
    bin.cpu -= pod.cpu;
    bin.memoryBytes -= pod.memoryBytes;
    bin.pods--;
  }
  return Math.max(0, bins.length - upcoming);
}
