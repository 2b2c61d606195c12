/**
 * Usage from nodecast collectors (`nodecast collect`, one per node): finds the collector pods,
 * fetches each one's /usage (bounded concurrency, per-request timeout) and feeds the aggregator
 * with their node and pod samples. A collector that fails or answers garbage is skipped and named;
 * the poll fails only when every collector does.
 *
 * Discovery lists pods (label app.kubernetes.io/name=nodecast-collector) through client-node, not
 * the cluster snapshot: the snapshot has no pod IPs or ports. The port is the container port named
 * "http" (default 9102).
 */
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { DEFAULT_COLLECTOR_PORT } from '../collector/collect-flags.js';
import { getJson } from './http-json.js';
import { PollingUsageSource, type CollectedSamples, type PollingSourceOptions } from './polling-source.js';
import type { NodeUsageSample, PodUsageSample } from './types.js';
import { parseUsageReport, type NodeUsageReport } from './usage-report.js';

export const COLLECTOR_LABEL_SELECTOR = 'app.kubernetes.io/name=nodecast-collector';

export interface CollectorEndpoint {
  /** namespace/name of the collector pod, for logs. */
  readonly pod: string;
  readonly url: string;
}

export type CollectorDiscovery = () => Promise<readonly CollectorEndpoint[]>;
export type FetchJson = (url: string, timeoutMs: number) => Promise<unknown>;

export interface CollectorSourceOptions extends PollingSourceOptions {
  readonly discover: CollectorDiscovery;
  /** Collectors fetched at once (default 8). */
  readonly concurrency?: number;
  /** Per collector (default 5 s). */
  readonly timeoutMs?: number;
  readonly fetchJson?: FetchJson;
}

function endpointOf(pod: V1Pod): CollectorEndpoint | null {
  const ip = pod.status?.podIP;
  if (pod.status?.phase !== 'Running' || !ip) return null;
  const ports = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  const port = ports.find((p) => p.name === 'http')?.containerPort ?? DEFAULT_COLLECTOR_PORT;
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, url: `http://${host}:${port}/usage` };
}

/** Running collector pods, all namespaces unless `namespace` is given. Needs `list pods`. */
export function kubeCollectorDiscovery(
  kc: KubeConfig,
  opts: { readonly namespace?: string; readonly labelSelector?: string } = {},
): CollectorDiscovery {
  const core = kc.makeApiClient(CoreV1Api);
  const labelSelector = opts.labelSelector ?? COLLECTOR_LABEL_SELECTOR;
  return async () => {
    const list = opts.namespace
      ? await core.listNamespacedPod({ namespace: opts.namespace, labelSelector })
      : await core.listPodForAllNamespaces({ labelSelector });
    return list.items.map(endpointOf).filter((e): e is CollectorEndpoint => e !== null);
  };
}

/** Runs `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

const defaultFetchJson: FetchJson = (url, timeoutMs) => getJson(url, { timeoutMs, maxBytes: 8 * 2 ** 20 });

export async function collectFromCollectors(opts: CollectorSourceOptions): Promise<CollectedSamples> {
  const endpoints = await opts.discover();
  const fetchJson = opts.fetchJson ?? defaultFetchJson;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const outcomes = await mapLimit(endpoints, opts.concurrency ?? 8, async (e) => {
    try {
      return parseUsageReport(await fetchJson(e.url, timeoutMs), `collector ${e.pod} /usage`);
    } catch (err) {
      return `collector ${e.pod}: ${err instanceof Error ? err.message : String(err)}`;
    }
  });
  const reports = outcomes.filter((o): o is NodeUsageReport => typeof o !== 'string');
  const skipped = outcomes.filter((o): o is string => typeof o === 'string');
  if (endpoints.length > 0 && reports.length === 0)
    throw new Error(`all ${endpoints.length} collectors failed; first: ${skipped[0]}`);
  const pods: PodUsageSample[] = reports.flatMap((r) => r.pods);
  const nodes: NodeUsageSample[] = reports.map((r) => ({ node: r.node, ...r.usage }));
  return { samples: { pods, nodes }, skipped };
}

export function createCollectorSource(opts: CollectorSourceOptions): PollingUsageSource {
  return new PollingUsageSource('collector', () => collectFromCollectors(opts), opts);
}
