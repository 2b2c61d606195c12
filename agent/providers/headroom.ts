/**
 * Headroom provider, for clusters whose nodes cluster-autoscaler or Karpenter manage. nodecast
 * cannot set their node counts; it reserves capacity instead: per group, a Deployment of
 * low-priority placeholder pods (pause image) each sized to one node's allocatable minus a margin
 * and pinned to the group by its nodeSelector. Pending placeholders make the autoscaler add
 * nodes; real Spark pods preempt them (negative priority), and the evicted placeholders go
 * pending again, asking for the next node.
 *
 * - targetSize = ready nodes of the group that host no placeholder (plus nodes created within
 *   `provisioningGraceSeconds` that are not Ready yet) + placeholder replicas.
 * - scaleUpTo(size): raises replicas by size - targetSize (creating the Deployment when missing).
 * - deleteNodes(names): real nodes are not ours to remove: the underlying autoscaler scales in
 *   nodes that sit empty (no-op for them). Nodes hosting a placeholder lose it: those pods get a
 *   low `controller.kubernetes.io/pod-deletion-cost` and replicas drop by their count (the
 *   ReplicaSet removes the cheapest pods first). Idempotent like the clusterapi provider: live
 *   placeholders above replicas are removals already requested.
 *
 * Needs a PriorityClass (default `nodecast-headroom`, value below 0, preemptionPolicy Never);
 * deploy/ ships it. Placeholder pods carry `nodecast.io/headroom-group`, so the cluster state
 * never counts them as demand.
 */
import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Deployment,
  type V1Toleration,
} from '@kubernetes/client-node';
import type { NodeGroupConfig } from '../config/types.js';
import type { ObjectReference, Provider } from './provider.js';
import { systemClock, type Clock } from '../clock.js';
import { ProviderConfigError, isNotFound } from './errors.js';
import { HEADROOM_GROUP_LABEL } from '../state/labels.js';
import { epochMs } from '../state/object-fields.js';
import { silentLogger, type Logger } from '../logger.js';

export const DEFAULT_HEADROOM_NAMESPACE = 'nodecast';
export const DEFAULT_PRIORITY_CLASS = 'nodecast-headroom';
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

export interface HeadroomProviderOptions {
  readonly kubeConfig: KubeConfig;
  /** Namespace of the placeholder Deployments unless the group's provider.namespace says otherwise. */
  readonly namespace?: string;
  readonly image?: string;
  /** Fraction of a node's allocatable left free for daemonsets and system pods. Default 0.1. */
  readonly margin?: number;
  /** Tolerations the group's nodes require (e.g. a dedicated-spark taint). */
  readonly tolerations?: readonly V1Toleration[];
  /** A not-yet-Ready node younger than this counts as provisioning. Default 600 s. */
  readonly provisioningGraceSeconds?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

interface Placeholder {
  name: string;
  nodeName: string | null;
}

export class HeadroomProvider implements Provider {
  readonly kind = 'headroom';
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly opts: HeadroomProviderOptions) {
    this.apps = opts.kubeConfig.makeApiClient(AppsV1Api);
    this.core = opts.kubeConfig.makeApiClient(CoreV1Api);
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
  }

  scaledObject(group: NodeGroupConfig): ObjectReference {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: this.namespaceOf(group),
      name: this.nameOf(group),
    };
  }

  async targetSize(group: NodeGroupConfig): Promise<number> {
    const [replicas, placeholders] = await Promise.all([this.replicas(group), this.placeholders(group)]);
    return (await this.baseNodes(group, placeholders)) + (replicas ?? 0);
  }

  async scaleUpTo(group: NodeGroupConfig, size: number): Promise<void> {
    const [replicas, placeholders] = await Promise.all([this.replicas(group), this.placeholders(group)]);
    const current = (await this.baseNodes(group, placeholders)) + (replicas ?? 0);
    if (current >= size) return;
    const next = (replicas ?? 0) + (size - current);
    if (replicas === undefined) await this.create(group, next);
    else await this.setReplicas(group, next);
    this.logger.info(`headroom ${group.name}: placeholders ${replicas ?? 0} -> ${next}`, {
      group: group.name,
    });
  }

  async deleteNodes(group: NodeGroupConfig, nodeNames: readonly string[]): Promise<void> {
    const replicas = await this.replicas(group);
    if (replicas === undefined || nodeNames.length === 0) return;
    const placeholders = await this.placeholders(group);
    const wanted = new Set(nodeNames);
    const onNamed = placeholders.filter((p) => p.nodeName !== null && wanted.has(p.nodeName));
    for (const p of onNamed) await this.lowerDeletionCost(group, p.name);
    const pendingRemovals = Math.max(0, placeholders.length - replicas);
    const decrease = Math.max(0, onNamed.length - pendingRemovals);
    if (decrease === 0) return;
    await this.setReplicas(group, Math.max(0, replicas - decrease));
    this.logger.info(`headroom ${group.name}: placeholders ${replicas} -> ${replicas - decrease}`, {
      group: group.name,
    });
  }

  private namespaceOf(group: NodeGroupConfig): string {
    return group.provider.namespace ?? this.opts.namespace ?? DEFAULT_HEADROOM_NAMESPACE;
  }

  private nameOf(group: NodeGroupConfig): string {
    return group.provider.name ?? `nodecast-headroom-${group.name}`;
  }

  /** spec.replicas of the Deployment; undefined when it does not exist yet. */
  private async replicas(group: NodeGroupConfig): Promise<number | undefined> {
    try {
      const d = await this.apps.readNamespacedDeployment({
        namespace: this.namespaceOf(group),
        name: this.nameOf(group),
      });
      return d.spec?.replicas ?? 1;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Live (not terminating) placeholder pods of the group. */
  private async placeholders(group: NodeGroupConfig): Promise<Placeholder[]> {
    const list = await this.core.listNamespacedPod({
      namespace: this.namespaceOf(group),
      labelSelector: `${HEADROOM_GROUP_LABEL}=${group.name}`,
    });
    return list.items
      .filter(
        (p) => !p.metadata?.deletionTimestamp && p.metadata?.labels?.[HEADROOM_GROUP_LABEL] === group.name,
      )
      .map((p) => ({ name: p.metadata!.name!, nodeName: p.spec?.nodeName ?? null }));
  }

  /** Nodes of the group that hold real capacity: Ready or still provisioning, and no placeholder on them. */
  private async baseNodes(group: NodeGroupConfig, placeholders: readonly Placeholder[]): Promise<number> {
    const selector = Object.entries(group.nodeSelector).map(([k, v]) => `${k}=${v}`);
    if (selector.length === 0) {
      throw new ProviderConfigError(
        `nodeGroups[${group.name}].nodeSelector: required by the headroom provider`,
      );
    }
    const nodes = await this.core.listNode({ labelSelector: selector.join(',') });
    const hosting = new Set(placeholders.map((p) => p.nodeName));
    const grace = (this.opts.provisioningGraceSeconds ?? 600) * 1000;
    const now = this.clock.now();
    return nodes.items.filter((n) => {
      if (n.metadata?.deletionTimestamp || n.spec?.unschedulable || hosting.has(n.metadata?.name ?? ''))
        return false;
      const ready = n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      return ready || now - (epochMs(n.metadata?.creationTimestamp) ?? 0) < grace;
    }).length;
  }

  private async setReplicas(group: NodeGroupConfig, replicas: number): Promise<void> {
    const namespace = this.namespaceOf(group);
    const name = this.nameOf(group);
    const scale = await this.apps.readNamespacedDeploymentScale({ namespace, name });
    await this.apps.replaceNamespacedDeploymentScale({
      namespace,
      name,
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name, namespace, resourceVersion: scale.metadata?.resourceVersion },
        spec: { replicas },
      },
    });
  }

  private async lowerDeletionCost(group: NodeGroupConfig, pod: string): Promise<void> {
    await this.core.patchNamespacedPod(
      {
        namespace: this.namespaceOf(group),
        name: pod,
        body: { metadata: { annotations: { [POD_DELETION_COST]: '-1000' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  private async create(group: NodeGroupConfig, replicas: number): Promise<void> {
    await this.apps.createNamespacedDeployment({
      namespace: this.namespaceOf(group),
      body: this.manifest(group, replicas),
    });
  }

  /** The placeholder Deployment for a group (exported shape for deploy/ and tests). */
  manifest(group: NodeGroupConfig, replicas: number): V1Deployment {
    const margin = this.opts.margin ?? 0.1;
    const labels = { [HEADROOM_GROUP_LABEL]: group.name, 'app.kubernetes.io/managed-by': 'nodecast' };
    const cpuMillis = Math.max(1, Math.floor(group.shape.cpu * 1000 * (1 - margin)));
    const memory = Math.max(1, Math.floor(group.shape.memoryBytes * (1 - margin)));
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.nameOf(group), namespace: this.namespaceOf(group), labels },
      spec: {
        replicas,
        selector: { matchLabels: { [HEADROOM_GROUP_LABEL]: group.name } },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: group.provider.priorityClassName ?? DEFAULT_PRIORITY_CLASS,
            nodeSelector: { ...group.nodeSelector },
            tolerations: this.opts.tolerations ? [...this.opts.tolerations] : undefined,
            terminationGracePeriodSeconds: 0,
            automountServiceAccountToken: false,
            containers: [
              {
                name: 'pause',
                image: this.opts.image ?? 'registry.k8s.io/pause:3.10',
                resources: { requests: { cpu: `${cpuMillis}m`, memory: String(memory) } },
              },
            ],
          },
        },
      },
    };
  }
}
