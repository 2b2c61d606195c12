/**
 * Puts the simulator behind a Kubernetes API: mirrors simulated nodes and Spark pods into the
 * local API server as Node, Pod and Cluster API Machine objects, and plays the Cluster API
 * controller: a MachineDeployment's spec.replicas raised by the agent provisions simulated nodes,
 * a Machine annotated for deletion removes its node. The agent then runs its production path
 * (informers, clusterapi provider, leader election, Events) against this cluster.
 */
import type { Config, NodeGroupConfig } from '../agent/config/types.js';
import type { ClusterSnapshot, NodeView, PodView } from '../agent/state/snapshot.js';
import { formatBytes } from '../agent/quantity.js';
import { nodeObject, podObject, DELETE_MACHINE_ANNOTATION } from './kube-objects.js';

/** The store side of the local API server (sim/kube-api/server.ts's synchronous helpers). */
export interface KubeStore {
  create(resource: string, obj: object): unknown;
  update(resource: string, obj: object): unknown;
  patch(resource: string, name: string, mergePatch: object, namespace?: string): unknown;
  delete(resource: string, name: string, namespace?: string): unknown;
  get(resource: string, name: string, namespace?: string): unknown;
  list(resource: string, opts?: { namespace?: string }): unknown[];
}

/** The simulator side: what the Cluster API controller drives. */
export interface SimControl {
  snapshot(): ClusterSnapshot;
  targetSize(group: string): number;
  scaleUpTo(group: string, size: number): void;
  deleteNodes(group: string, nodeNames: readonly string[]): void;
}

export const SIM_CAPI_NAMESPACE = 'nodecast-sim';

interface MachineDeployment {
  spec?: { replicas?: number };
}
interface Machine {
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  status?: { nodeRef?: { name?: string } };
}

export class KubeBridge {
  private readonly nodes = new Map<string, boolean>();
  private readonly pods = new Map<string, { key: string; namespace: string; name: string }>();
  private readonly groups: readonly NodeGroupConfig[];

  constructor(
    private readonly store: KubeStore,
    private readonly sim: SimControl,
    config: Config,
    private readonly clock: { now(): number },
  ) {
    this.groups = config.nodeGroups;
  }

  /** Creates the MachineDeployments (one per group) at the simulator's current sizes. */
  install(): void {
    for (const g of this.groups) {
      this.store.create('machinedeployments', {
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'MachineDeployment',
        metadata: {
          name: g.name,
          namespace: SIM_CAPI_NAMESPACE,
          labels: { 'nodecast.io/node-group': g.name },
        },
        spec: {
          clusterName: 'nodecast-sim',
          replicas: this.sim.targetSize(g.name),
          selector: { matchLabels: { 'cluster.x-k8s.io/deployment-name': g.name } },
          template: { spec: { clusterName: 'nodecast-sim', bootstrap: {}, infrastructureRef: {} } },
        },
        status: { replicas: this.sim.targetSize(g.name) },
      });
    }
    this.sync();
  }

  /** One reconcile: carry the agent's scale requests to the simulator, then mirror its state. */
  sync(): void {
    this.reconcileMachineDeployments();
    const snapshot = this.sim.snapshot();
    this.mirrorNodes(snapshot);
    this.mirrorPods(snapshot);
  }

  private reconcileMachineDeployments(): void {
    for (const g of this.groups) {
      const doomed = (this.store.list('machines', { namespace: SIM_CAPI_NAMESPACE }) as Machine[]).filter(
        (m) =>
          m.metadata.labels?.['cluster.x-k8s.io/deployment-name'] === g.name &&
          m.metadata.annotations?.[DELETE_MACHINE_ANNOTATION] !== undefined,
      );
      const nodeNames = doomed.map((m) => m.status?.nodeRef?.name).filter((n): n is string => Boolean(n));
      if (nodeNames.length > 0) this.sim.deleteNodes(g.name, nodeNames);
      for (const m of doomed) this.store.delete('machines', m.metadata.name, SIM_CAPI_NAMESPACE);

      const md = this.store.get('machinedeployments', g.name, SIM_CAPI_NAMESPACE) as
        MachineDeployment | undefined;
      const replicas = md?.spec?.replicas;
      if (replicas !== undefined && replicas > this.sim.targetSize(g.name))
        this.sim.scaleUpTo(g.name, replicas);
      const actual = this.sim.targetSize(g.name);
      // Like the Cluster API controller, the MachineDeployment reports what exists; a lowered
      // replica count without marked machines is reconciled back to the simulator's size.
      if (replicas !== actual)
        this.store.patch('machinedeployments', g.name, { spec: { replicas: actual } }, SIM_CAPI_NAMESPACE);
      const ready = [...this.nodes.keys()].filter((n) => this.groupOfNode(n) === g.name).length;
      this.store.patch(
        'machinedeployments',
        g.name,
        { status: { replicas: actual, readyReplicas: ready, updatedReplicas: actual } },
        SIM_CAPI_NAMESPACE,
      );
    }
  }

  private readonly nodeGroups = new Map<string, string>();
  private groupOfNode(name: string): string | undefined {
    return this.nodeGroups.get(name);
  }

  private mirrorNodes(snapshot: ClusterSnapshot): void {
    for (const node of snapshot.nodes.values()) {
      if (this.nodes.has(node.name)) continue;
      this.createNode(node);
    }
    for (const name of [...this.nodes.keys()]) {
      if (snapshot.nodes.has(name)) continue;
      this.store.delete('nodes', name);
      if (this.store.get('machines', `${name}-machine`, SIM_CAPI_NAMESPACE))
        this.store.delete('machines', `${name}-machine`, SIM_CAPI_NAMESPACE);
      this.nodes.delete(name);
      this.nodeGroups.delete(name);
    }
  }

  private createNode(node: NodeView): void {
    const group = this.groups.find((g) => g.name === node.group);
    if (!group) return;
    const now = this.clock.now();
    this.store.create('nodes', nodeObject(node, group, now, formatBytes(node.allocatable.memoryBytes)));
    this.store.create('machines', {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Machine',
      metadata: {
        name: `${node.name}-machine`,
        namespace: SIM_CAPI_NAMESPACE,
        labels: {
          'cluster.x-k8s.io/deployment-name': group.name,
          'cluster.x-k8s.io/cluster-name': 'nodecast-sim',
        },
      },
      spec: { clusterName: 'nodecast-sim', providerID: `sim://${node.name}` },
      status: { phase: 'Running', nodeRef: { kind: 'Node', name: node.name } },
    });
    this.nodes.set(node.name, true);
    this.nodeGroups.set(node.name, group.name);
  }

  private mirrorPods(snapshot: ClusterSnapshot): void {
    for (const pod of snapshot.pods.values()) {
      const key = podKey(pod);
      const known = this.pods.get(pod.uid);
      if (known?.key === key) continue;
      const group = this.groups.find((g) => g.name === pod.group);
      const obj = podObject(pod, group);
      if (known) this.store.update('pods', obj);
      else this.store.create('pods', obj);
      this.pods.set(pod.uid, { key, namespace: pod.namespace, name: pod.name });
    }
    for (const [uid, known] of this.pods) {
      if (snapshot.pods.has(uid)) continue;
      this.store.delete('pods', known.name, known.namespace);
      this.pods.delete(uid);
    }
  }
}

/** What, when it changes, must be written to the API server. */
function podKey(pod: PodView): string {
  return `${pod.phase}|${pod.nodeName ?? ''}|${pod.unschedulableSince ?? ''}|${pod.quotaHeld ? 1 : 0}`;
}
