/**
 * Open bins (nodes being packed) in a segment tree over their opening order, each tree node
 * holding the max free cpu, memory and pod slots below it. "Leftmost bin where this pod fits" then
 * costs O(log bins) in the usual case instead of a scan over every bin: subtrees whose maxima
 * cannot hold the pod are skipped whole.
 */
export class BinTree {
  private size = 0;
  private capacity = 0;
  private cpu = new Float64Array(0);
  private memory = new Float64Array(0);
  private pods = new Float64Array(0);

  get count(): number {
    return this.size;
  }

  /** Appends a bin with the given free resources; returns its index. */
  push(cpu: number, memory: number, pods: number): number {
    if (this.size === this.capacity) this.grow();
    const index = this.size++;
    this.set(index, cpu, memory, pods);
    return index;
  }

  freeCpu(index: number): number {
    return this.cpu[this.capacity + index]!;
  }
  freeMemory(index: number): number {
    return this.memory[this.capacity + index]!;
  }
  freePods(index: number): number {
    return this.pods[this.capacity + index]!;
  }

  /** Sets a bin's free resources and refreshes the maxima above it. */
  set(index: number, cpu: number, memory: number, pods: number): void {
    let node = this.capacity + index;
    this.cpu[node] = cpu;
    this.memory[node] = memory;
    this.pods[node] = pods;
    for (node >>= 1; node >= 1; node >>= 1) {
      const left = node * 2;
      const right = left + 1;
      this.cpu[node] = Math.max(this.cpu[left]!, this.cpu[right]!);
      this.memory[node] = Math.max(this.memory[left]!, this.memory[right]!);
      this.pods[node] = Math.max(this.pods[left]!, this.pods[right]!);
    }
  }

  /** Index of the first bin with at least this much free cpu, memory and one pod slot, or -1. */
  firstFit(cpu: number, memory: number): number {
    if (this.size === 0) return -1;
    return this.search(1, cpu, memory);
  }

  private search(node: number, cpu: number, memory: number): number {
    if (this.cpu[node]! < cpu || this.memory[node]! < memory || this.pods[node]! < 1) return -1;
    if (node >= this.capacity) return node - this.capacity < this.size ? node - this.capacity : -1;
    const left = this.search(node * 2, cpu, memory);
    return left >= 0 ? left : this.search(node * 2 + 1, cpu, memory);
  }

  private grow(): void {
    const old = { capacity: this.capacity, cpu: this.cpu, memory: this.memory, pods: this.pods };
    this.capacity = Math.max(16, this.capacity * 2);
    // Empty leaves hold -1 so no search ever descends into them.
    this.cpu = new Float64Array(this.capacity * 2).fill(-1);
    this.memory = new Float64Array(this.capacity * 2).fill(-1);
    this.pods = new Float64Array(this.capacity * 2).fill(-1);
    for (let i = 0; i < this.size; i++)
      this.set(i, old.cpu[old.capacity + i]!, old.memory[old.capacity + i]!, old.pods[old.capacity + i]!);
  }
}
