/**
 * Cordoning nodes chosen for removal, so nothing new lands on them while the actuator waits and
 * re-validates (cluster-autoscaler taints ToBeDeletedByClusterAutoscaler for the same reason).
 * Only nodes that were schedulable are cordoned, and only those are uncordoned again: a node an
 * operator cordoned stays cordoned.
 */
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';

export interface NodeCordoner {
  /** Cordons the node; true when this call changed it (it was schedulable). */
  cordon(node: string): Promise<boolean>;
  uncordon(node: string): Promise<void>;
}

export class KubeCordoner implements NodeCordoner {
  private readonly core: CoreV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async cordon(node: string): Promise<boolean> {
    const current = await this.core.readNode({ name: node });
    if (current.spec?.unschedulable) return false;
    await this.setUnschedulable(node, true);
    return true;
  }

  async uncordon(node: string): Promise<void> {
    await this.setUnschedulable(node, null);
  }

  private async setUnschedulable(node: string, value: true | null): Promise<void> {
    await this.core.patchNode(
      { name: node, body: { spec: { unschedulable: value } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}
