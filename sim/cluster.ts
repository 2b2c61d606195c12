/**
 * Node groups and nodes: provisioning with a delay, Ready, deletion, pod binding with resource
 * tallies, and node-hour accounting. Knows nothing about Spark or scheduling order.
 */
import type { NodeGroupConfig } from '../agent/config/types.js';
import { emptyTally, type ScaleOutRequest, type SimGroup, type SimNode, type SimPod } from './model.js';

export interface ClusterListener {
  /** A node's pods, readiness or existence changed (snapshot views must be rebuilt). */
  nodeChanged(node: SimNode): void;
  /** A group's target size changed. */
  groupChanged(group: SimGroup): void;
  /** Capacity appeared in the group (node Ready or a pod left): pending pods may now fit. */
  capacityFreed(group: SimGroup): void;
  /** Every node of a scale-out request is Ready. */
  scaleOutDone(request: ScaleOutRequest, now: number): void;
}

const EPSILON = 1e-9;

export function fits(node: SimNode, cpu: number, memoryBytes: number): boolean {
  const shape = node.group.config.shape;
  return (
    node.tally.reqCpu + cpu <= shape.cpu + EPSILON &&
    node.tally.reqMemoryBytes + memoryBytes <= shape.memoryBytes + EPSILON &&
    node.tally.pods < shape.pods
  );
}

/** Most-allocated score (sum of cpu and memory shares in use), as YuniKorn's binpacking sorts. */
export function allocatedScore(node: SimNode): number {
  const shape = node.group.config.shape;
  return node.tally.reqCpu / shape.cpu + node.tally.reqMemoryBytes / shape.memoryBytes;
}

export class Cluster {
  readonly groups = new Map<string, SimGroup>();
  totalNodes = 0;
  peakTotalNodes = 0;
  private nodeSeq = 0;

  constructor(
    configs: readonly NodeGroupConfig[],
    private readonly provisioningSeconds: () => number,
    private readonly listener: ClusterListener,
    start: number,
  ) {
    for (const config of configs) {
      this.groups.set(config.name, {
        config,
        nodes: new Map(),
        readyNodes: [],
        pending: [],
        tally: emptyTally(),
        busyNodes: 0,
        peakBusyNodes: 0,
        peakNodes: 0,
        nodeMs: 0,
        accountedAt: start,
      });
    }
  }

  group(name: string): SimGroup | undefined {
    return this.groups.get(name);
  }

  /** Nodes that exist at the start, already Ready (no request, no delay). */
  addReadyNodes(group: SimGroup, count: number, now: number): void {
    for (let i = 0; i < count; i++) {
      const node = this.createNode(group, now, now, null);
      this.markReady(node, now);
    }
  }

  /** Raises the group's target to `size` (never lowers it); returns the nodes now provisioning. */
  scaleUpTo(group: SimGroup, size: number, now: number): SimNode[] {
    const add = Math.floor(size) - group.nodes.size;
    if (add <= 0) return [];
    const request: ScaleOutRequest = { group, requestedAt: now, remaining: add };
    const created: SimNode[] = [];
    for (let i = 0; i < add; i++) {
      created.push(this.createNode(group, now, now + this.provisioningSeconds() * 1000, request));
    }
    return created;
  }

  markReady(node: SimNode, now: number): void {
    if (node.deleted || node.ready) return;
    node.ready = true;
    const list = node.group.readyNodes;
    let i = list.length;
    while (i > 0 && (list[i - 1] as SimNode).seq > node.seq) i--;
    list.splice(i, 0, node);
    this.settleRequest(node, now);
    this.listener.nodeChanged(node);
    this.listener.capacityFreed(node.group);
  }

  /** Removes a node; returns the pods that were bound to it (already unbound). */
  deleteNode(node: SimNode, now: number): SimPod[] {
    if (node.deleted) return [];
    const pods = [...node.pods];
    for (const pod of pods) this.unbind(pod);
    this.account(node.group, now);
    node.deleted = true;
    node.group.nodes.delete(node.name);
    this.totalNodes--;
    if (node.ready) node.group.readyNodes = node.group.readyNodes.filter((n) => n !== node);
    this.settleRequest(node, now);
    this.listener.nodeChanged(node);
    this.listener.groupChanged(node.group);
    return pods;
  }

  bind(pod: SimPod, node: SimNode): void {
    pod.node = node;
    const useCpu = pod.cpu * pod.app.cpuShare;
    const useMemoryBytes = pod.memoryBytes * pod.app.memoryShare;
    if (node.pods.size === 0) this.setBusy(node.group, +1);
    node.pods.add(pod);
    for (const tally of [node.tally, node.group.tally, pod.queue.tally]) {
      tally.reqCpu += pod.cpu;
      tally.reqMemoryBytes += pod.memoryBytes;
      tally.useCpu += useCpu;
      tally.useMemoryBytes += useMemoryBytes;
      tally.pods++;
    }
    this.listener.nodeChanged(node);
  }

  unbind(pod: SimPod): void {
    const node = pod.node;
    if (!node) return;
    pod.node = null;
    node.pods.delete(pod);
    if (node.pods.size === 0) this.setBusy(node.group, -1);
    const useCpu = pod.cpu * pod.app.cpuShare;
    const useMemoryBytes = pod.memoryBytes * pod.app.memoryShare;
    for (const tally of [node.tally, node.group.tally, pod.queue.tally]) {
      tally.reqCpu -= pod.cpu;
      tally.reqMemoryBytes -= pod.memoryBytes;
      tally.useCpu -= useCpu;
      tally.useMemoryBytes -= useMemoryBytes;
      tally.pods--;
    }
    this.listener.nodeChanged(node);
    if (!node.deleted) this.listener.capacityFreed(node.group);
  }

  /** Brings every group's node-hour integral up to `now`. */
  accountAll(now: number): void {
    for (const group of this.groups.values()) this.account(group, now);
  }

  private account(group: SimGroup, now: number): void {
    group.nodeMs += group.nodes.size * (now - group.accountedAt);
    group.accountedAt = now;
  }

  private createNode(
    group: SimGroup,
    now: number,
    readyAt: number,
    request: ScaleOutRequest | null,
  ): SimNode {
    this.account(group, now);
    const seq = this.nodeSeq++;
    const node: SimNode = {
      name: `${group.config.name}-${seq}`,
      seq,
      group,
      createdAt: now,
      readyAt,
      ready: false,
      deleted: false,
      pods: new Set(),
      tally: emptyTally(),
      request,
    };
    group.nodes.set(node.name, node);
    group.peakNodes = Math.max(group.peakNodes, group.nodes.size);
    this.totalNodes++;
    this.peakTotalNodes = Math.max(this.peakTotalNodes, this.totalNodes);
    this.listener.groupChanged(group);
    return node;
  }

  private setBusy(group: SimGroup, delta: number): void {
    group.busyNodes += delta;
    group.peakBusyNodes = Math.max(group.peakBusyNodes, group.busyNodes);
  }

  private settleRequest(node: SimNode, now: number): void {
    const request = node.request;
    if (!request) return;
    node.request = null;
    request.remaining--;
    if (request.remaining === 0) this.listener.scaleOutDone(request, now);
  }
}
