/**
 * Picks the usage source for the agent.
 *
 * mode 'auto' (default): metrics-server when discovery serves metrics.k8s.io, since most clusters
 * run it already and it covers every node at no extra cost; otherwise the nodecast collectors when
 * their pods exist; otherwise none (usage metrics stay absent; requested and allocatable still
 * export). 'metrics-server' / 'collector' force one; 'off' disables usage.
 *
 * The choice is made once, at start: a collector DaemonSet or metrics-server installed later is
 * picked up at the next agent restart. Returned sources are not started: call start()/stop().
 */
import { ApisApi, type KubeConfig } from '@kubernetes/client-node';
import { silentLogger } from '../logger.js';
import {
  createCollectorSource,
  kubeCollectorDiscovery,
  type CollectorDiscovery,
} from './collector-source.js';
import { createMetricsServerSource, METRICS_API_GROUP, type MetricsApi } from './metrics-server.js';
import type { PollingSourceOptions, PollingUsageSource } from './polling-source.js';

export type UsageSourceMode = 'auto' | 'metrics-server' | 'collector' | 'off';

export interface UsageSourceChoiceOptions extends PollingSourceOptions {
  readonly kc: KubeConfig;
  readonly mode?: UsageSourceMode;
  /** Where the collectors run (default: every namespace). */
  readonly collectorNamespace?: string;
  /** Seams for tests; default to client-node calls. */
  readonly hasMetricsApi?: () => Promise<boolean>;
  readonly discoverCollectors?: CollectorDiscovery;
  readonly metricsApi?: MetricsApi;
}

export interface UsageSourceChoice {
  readonly source: PollingUsageSource | null;
  /** One line for the start-up log: what was chosen and why. */
  readonly reason: string;
}

/** Whether the API server serves metrics.k8s.io (metrics-server's APIService is registered). */
export async function hasMetricsApi(kc: KubeConfig): Promise<boolean> {
  const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
  return groups.groups.some((g) => g.name === METRICS_API_GROUP);
}

export async function createUsageSource(opts: UsageSourceChoiceOptions): Promise<UsageSourceChoice> {
  const mode = opts.mode ?? 'auto';
  const logger = opts.logger ?? silentLogger;
  if (mode === 'off') return { source: null, reason: 'usage disabled (mode off)' };
  const discover =
    opts.discoverCollectors ?? kubeCollectorDiscovery(opts.kc, { namespace: opts.collectorNamespace });
  const metricsServer = () => createMetricsServerSource(opts.kc, { ...opts, api: opts.metricsApi });
  const collectors = () => createCollectorSource({ ...opts, discover });
  if (mode === 'metrics-server') return { source: metricsServer(), reason: 'metrics-server (forced)' };
  if (mode === 'collector') return { source: collectors(), reason: 'nodecast collectors (forced)' };

  try {
    if (await (opts.hasMetricsApi ?? (() => hasMetricsApi(opts.kc)))())
      return { source: metricsServer(), reason: `metrics-server: discovery serves ${METRICS_API_GROUP}` };
  } catch (err) {
    logger.warn('API discovery failed while looking for metrics.k8s.io', { error: String(err) });
  }
  try {
    const found = await discover();
    if (found.length > 0)
      return {
        source: collectors(),
        reason: `nodecast collectors: ${found.length} collector pod(s) running`,
      };
  } catch (err) {
    logger.warn('listing collector pods failed', { error: String(err) });
  }
  return {
    source: null,
    reason: `no usage source: ${METRICS_API_GROUP} is not served and no nodecast-collector pods run`,
  };
}
