/**
 * The node group label of the collector's metrics. In order: a fixed `--group`; with a config, the
 * agent's own resolution (agent/state/group-resolver.ts: configured node selectors, then pool
 * labels naming a configured group); without one, the value of `--group-label` (default
 * nodecast.io/node-group), then of the first node-pool label present. Null when nothing matches.
 */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Config } from '../config/types.js';
import { GroupResolver } from '../state/group-resolver.js';
import { NODE_POOL_LABELS } from '../state/labels.js';

export const DEFAULT_GROUP_LABEL = 'nodecast.io/node-group';

export interface GroupRule {
  readonly fixed?: string;
  readonly config?: Pick<Config, 'nodeGroups' | 'queues'>;
  readonly groupLabel?: string;
}

export function groupOfNode(labels: Readonly<Record<string, string>>, rule: GroupRule): string | null {
  if (rule.fixed) return rule.fixed;
  if (rule.config) return new GroupResolver(rule.config).nodeGroup(labels);
  for (const key of [rule.groupLabel ?? DEFAULT_GROUP_LABEL, ...NODE_POOL_LABELS]) {
    const value = labels[key];
    if (value) return value;
  }
  return null;
}

/** Reads the node's labels through the API server (`get nodes`). */
export function kubeNodeLabels(kc: KubeConfig): (node: string) => Promise<Record<string, string>> {
  const core = kc.makeApiClient(CoreV1Api);
  return async (name) => (await core.readNode({ name })).metadata?.labels ?? {};
}
