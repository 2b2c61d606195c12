/**
 * Builds the Provider the loop actuates through. Each group names its backend in config; a
 * RoutingProvider sends each call to the backend of the group it is about, so one agent can run
 * a clusterapi executor group beside a dry-run driver group.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../clock.js';
import type { Config, NodeGroupConfig, ProviderKind } from '../config/types.js';
import type { ObjectReference, Provider } from '../providers/provider.js';
import { ClusterApiProvider } from '../providers/clusterapi.js';
import { HeadroomProvider } from '../providers/headroom.js';
import { DryRunProvider } from '../providers/dry-run.js';
import type { Logger } from '../logger.js';

export class RoutingProvider implements Provider {
  readonly kind = 'routing';

  constructor(private readonly byKind: ReadonlyMap<ProviderKind, Provider>) {}

  private for(group: NodeGroupConfig): Provider {
    const p = this.byKind.get(group.provider.kind);
    if (!p)
      throw new Error(
        `nodeGroups[${group.name}].provider.kind: no "${group.provider.kind}" provider configured`,
      );
    return p;
  }

  targetSize(group: NodeGroupConfig): Promise<number> {
    return this.for(group).targetSize(group);
  }

  scaleUpTo(group: NodeGroupConfig, size: number): Promise<void> {
    return this.for(group).scaleUpTo(group, size);
  }

  deleteNodes(group: NodeGroupConfig, nodeNames: readonly string[]): Promise<void> {
    return this.for(group).deleteNodes(group, nodeNames);
  }

  scaledObject(group: NodeGroupConfig): ObjectReference | undefined {
    return this.byKind.get(group.provider.kind)?.scaledObject?.(group);
  }
}

export interface ProviderDeps {
  readonly config: Config;
  readonly kubeConfig: KubeConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Nodes a group has now (for dry-run, which has no backend to ask). */
  readonly observedNodes: (group: NodeGroupConfig) => number;
  /** The simulator's provider, when running against it. */
  readonly sim?: Provider;
}

export function buildProvider(deps: ProviderDeps): RoutingProvider {
  const kinds = new Set(deps.config.nodeGroups.map((g) => g.provider.kind));
  const byKind = new Map<ProviderKind, Provider>();
  const { kubeConfig, clock, logger } = deps;
  for (const kind of kinds) {
    if (kind === 'clusterapi') byKind.set(kind, new ClusterApiProvider({ kubeConfig, clock, logger }));
    else if (kind === 'headroom') byKind.set(kind, new HeadroomProvider({ kubeConfig, clock, logger }));
    else if (kind === 'dry-run')
      byKind.set(kind, new DryRunProvider({ observedNodes: deps.observedNodes, clock, logger }));
    else if (kind === 'sim') {
      if (!deps.sim)
        throw new Error('provider kind "sim" needs the embedded simulator (run without a cluster)');
      byKind.set(kind, deps.sim);
    }
  }
  return new RoutingProvider(byKind);
}
