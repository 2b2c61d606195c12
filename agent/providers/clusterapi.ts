/**
 * Cluster API provider: a node group is a MachineDeployment or MachineSet
 * (cluster.x-k8s.io/v1beta1), sized through its `scale` subresource.
 *
 * - targetSize: the scale subresource's spec.replicas (what the controller works towards,
 *   including machines still provisioning).
 * - scaleUpTo: reads the scale, and only when replicas < size replaces it with replicas = size,
 *   carrying the read resourceVersion (a concurrent change fails with 409 and is retried by the
 *   actuator, never overwritten).
 * - deleteNodes: finds each node's Machine (status.nodeRef.name, among the machines labelled as
 *   belonging to this MachineDeployment / MachineSet), annotates it with
 *   `cluster.x-k8s.io/delete-machine` (value: the time), then lowers replicas, so the MachineSet
 *   controller deletes exactly those machines. Nodes without a live machine in the set are
 *   skipped. Idempotent under retries: a machine annotated by an earlier attempt counts again only
 *   when replicas show its removal was never applied (live machines - replicas = removals already
 *   requested but not yet carried out). Errs towards removing fewer, never more.
 */
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { NodeGroupConfig } from '../config/types.js';
import type { ObjectReference, Provider } from './provider.js';
import { systemClock, type Clock } from '../clock.js';
import { ProviderConfigError } from './errors.js';
import { CAPI_DELETE_MACHINE_ANNOTATION } from '../state/labels.js';
import { silentLogger, type Logger } from '../logger.js';

export const CAPI_GROUP = 'cluster.x-k8s.io';

interface ScaleTarget {
  readonly kind: 'MachineDeployment' | 'MachineSet';
  readonly namespace: string;
  readonly name: string;
  readonly plural: string;
  /** Label every Machine of this target carries, with the target's name as value. */
  readonly ownerLabel: string;
}

interface Machine {
  metadata?: {
    name?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  status?: { nodeRef?: { name?: string } };
}

export interface ClusterApiProviderOptions {
  readonly kubeConfig: KubeConfig;
  /** API version of cluster.x-k8s.io. Default v1beta1. */
  readonly version?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export function scaleTarget(group: NodeGroupConfig): ScaleTarget {
  const p = group.provider;
  if (!p.name)
    throw new ProviderConfigError(
      `nodeGroups[${group.name}].provider.name: required by the clusterapi provider`,
    );
  const kind = p.resource ?? 'MachineDeployment';
  return kind === 'MachineSet'
    ? {
        kind,
        namespace: p.namespace ?? 'default',
        name: p.name,
        plural: 'machinesets',
        ownerLabel: `${CAPI_GROUP}/set-name`,
      }
    : {
        kind,
        namespace: p.namespace ?? 'default',
        name: p.name,
        plural: 'machinedeployments',
        ownerLabel: `${CAPI_GROUP}/deployment-name`,
      };
}

export class ClusterApiProvider implements Provider {
  readonly kind = 'clusterapi';
  private readonly api: CustomObjectsApi;
  private readonly version: string;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(opts: ClusterApiProviderOptions) {
    this.api = opts.kubeConfig.makeApiClient(CustomObjectsApi);
    this.version = opts.version ?? 'v1beta1';
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
  }

  /** spec.replicas of the scale subresource. */
  async targetSize(group: NodeGroupConfig): Promise<number> {
    return (await this.readScale(scaleTarget(group))).replicas;
  }

  /** Raises replicas to `size`; no-op when already >= size. */
  async scaleUpTo(group: NodeGroupConfig, size: number): Promise<void> {
    const target = scaleTarget(group);
    const scale = await this.readScale(target);
    if (scale.replicas >= size) return;
    await this.writeScale(target, scale.resourceVersion, size);
    this.logger.info(
      `scaled ${target.kind} ${target.namespace}/${target.name} ${scale.replicas} -> ${size}`,
      { group: group.name },
    );
  }

  /** Marks the nodes' machines for deletion, then lowers replicas by the newly marked count. */
  async deleteNodes(group: NodeGroupConfig, nodeNames: readonly string[]): Promise<void> {
    if (nodeNames.length === 0) return;
    const target = scaleTarget(group);
    const alive = (await this.listMachines(target)).filter((m) => !m.metadata?.deletionTimestamp);
    const wanted = new Set(nodeNames);
    const chosen = alive.filter((m) => wanted.has(m.status?.nodeRef?.name ?? ''));
    const missing = nodeNames.filter((n) => !chosen.some((m) => m.status?.nodeRef?.name === n));
    if (missing.length > 0) {
      this.logger.info(
        `no live machine in ${target.kind} ${target.name} for nodes ${missing.join(', ')}: skipped`,
        { group: group.name },
      );
    }
    const fresh = chosen.filter(
      (m) => m.metadata?.annotations?.[CAPI_DELETE_MACHINE_ANNOTATION] === undefined,
    );
    const marked = chosen.length - fresh.length;
    for (const machine of fresh) await this.markForDeletion(target, machine.metadata!.name!);
    const scale = await this.readScale(target);
    const pendingRemovals = Math.max(0, alive.length - scale.replicas);
    const decrease = fresh.length + Math.max(0, marked - pendingRemovals);
    if (decrease === 0) return;
    const replicas = Math.max(0, scale.replicas - decrease);
    await this.writeScale(target, scale.resourceVersion, replicas);
    this.logger.info(
      `scaled ${target.kind} ${target.namespace}/${target.name} ${scale.replicas} -> ${replicas}`,
      {
        group: group.name,
        machines: chosen.map((m) => m.metadata?.name),
      },
    );
  }

  scaledObject(group: NodeGroupConfig): ObjectReference {
    const t = scaleTarget(group);
    return {
      apiVersion: `${CAPI_GROUP}/${this.version}`,
      kind: t.kind,
      namespace: t.namespace,
      name: t.name,
    };
  }

  private async readScale(t: ScaleTarget): Promise<{ replicas: number; resourceVersion?: string }> {
    const scale = (await this.api.getNamespacedCustomObjectScale({
      group: CAPI_GROUP,
      version: this.version,
      namespace: t.namespace,
      plural: t.plural,
      name: t.name,
    })) as { spec?: { replicas?: number }; metadata?: { resourceVersion?: string } };
    return { replicas: scale.spec?.replicas ?? 0, resourceVersion: scale.metadata?.resourceVersion };
  }

  private async writeScale(
    t: ScaleTarget,
    resourceVersion: string | undefined,
    replicas: number,
  ): Promise<void> {
    await this.api.replaceNamespacedCustomObjectScale({
      group: CAPI_GROUP,
      version: this.version,
      namespace: t.namespace,
      plural: t.plural,
      name: t.name,
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: t.name, namespace: t.namespace, resourceVersion },
        spec: { replicas },
      },
    });
  }

  private async listMachines(t: ScaleTarget): Promise<Machine[]> {
    const list = (await this.api.listNamespacedCustomObject({
      group: CAPI_GROUP,
      version: this.version,
      namespace: t.namespace,
      plural: 'machines',
      labelSelector: `${t.ownerLabel}=${t.name}`,
    })) as { items?: Machine[] };
    // Filter here too: ownership decides which machines we may touch.
    return (list.items ?? []).filter((m) => m.metadata?.labels?.[t.ownerLabel] === t.name);
  }

  private async markForDeletion(t: ScaleTarget, machine: string): Promise<void> {
    await this.api.patchNamespacedCustomObject(
      {
        group: CAPI_GROUP,
        version: this.version,
        namespace: t.namespace,
        plural: 'machines',
        name: machine,
        body: {
          metadata: {
            annotations: { [CAPI_DELETE_MACHINE_ANNOTATION]: new Date(this.clock.now()).toISOString() },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}
