/**
 * Usage from metrics-server (`metrics.k8s.io/v1beta1`): PodMetrics for queues, NodeMetrics for
 * groups, read through client-node's Metrics class and polled (default every 30 s; metrics-server
 * itself scrapes kubelets every 15 s by default). Quantities ("250m", "123456n", "1024Ki") are
 * parsed with agent/state/quantity.ts. One malformed item is skipped and named; a failed pod
 * list fails the poll; a failed node list (RBAC may allow only pods) falls back to summing pods.
 * Needs RBAC `list` on metrics.k8s.io pods and nodes.
 */
import { Metrics, type KubeConfig } from '@kubernetes/client-node';
import { parseQuantity, QuantityError } from '../quantity.js';
import { FieldReader, UsageFieldError } from './fields.js';
import { PollingUsageSource, type CollectedSamples, type PollingSourceOptions } from './polling-source.js';
import type { NodeUsageSample, PodUsageSample, Usage } from './types.js';

export const METRICS_API_GROUP = 'metrics.k8s.io';

/** The two calls used from client-node's Metrics (a seam for fakes). */
export interface MetricsApi {
  getPodMetrics(): Promise<unknown>;
  getNodeMetrics(): Promise<unknown>;
}

function quantity(r: FieldReader, value: unknown, field: string): number {
  if (typeof value !== 'string' && typeof value !== 'number') return r.fail(field, 'is missing');
  try {
    const n = parseQuantity(value);
    if (n < 0) return r.fail(field, `must not be negative, got ${JSON.stringify(value)}`);
    return n;
  } catch (err) {
    if (err instanceof QuantityError) return r.fail(field, `is ${err.message}`);
    throw err;
  }
}

function usageOf(r: FieldReader, raw: unknown, at: string): Usage {
  const usage = r.object(raw, at);
  return { cpu: quantity(r, usage.cpu, `${at}.cpu`), memoryBytes: quantity(r, usage.memory, `${at}.memory`) };
}

/** Parses items one by one: good ones are returned, bad ones named in `skipped`. */
function eachItem<T>(
  list: unknown,
  document: string,
  parse: (r: FieldReader, item: unknown, at: string) => T,
) {
  const r = new FieldReader(document);
  const items: T[] = [];
  const skipped: string[] = [];
  r.array(r.object(list, '(root)').items, 'items').forEach((raw, i) => {
    try {
      items.push(parse(r, raw, `items[${i}]`));
    } catch (err) {
      if (!(err instanceof UsageFieldError)) throw err;
      skipped.push(err.message);
    }
  });
  return { items, skipped };
}

export function parsePodMetricsList(list: unknown): { items: PodUsageSample[]; skipped: string[] } {
  return eachItem(list, 'PodMetricsList', (r, raw, at) => {
    const item = r.object(raw, at);
    const meta = r.object(item.metadata, `${at}.metadata`);
    const total = { cpu: 0, memoryBytes: 0 };
    r.array(item.containers, `${at}.containers`).forEach((c, j) => {
      const u = usageOf(r, r.object(c, `${at}.containers[${j}]`).usage, `${at}.containers[${j}].usage`);
      total.cpu += u.cpu;
      total.memoryBytes += u.memoryBytes;
    });
    return {
      namespace: r.string(meta.namespace, `${at}.metadata.namespace`),
      name: r.string(meta.name, `${at}.metadata.name`),
      ...total,
    };
  });
}

export function parseNodeMetricsList(list: unknown): { items: NodeUsageSample[]; skipped: string[] } {
  return eachItem(list, 'NodeMetricsList', (r, raw, at) => {
    const item = r.object(raw, at);
    const meta = r.object(item.metadata, `${at}.metadata`);
    return { node: r.string(meta.name, `${at}.metadata.name`), ...usageOf(r, item.usage, `${at}.usage`) };
  });
}

export async function collectFromMetricsServer(api: MetricsApi): Promise<CollectedSamples> {
  const [pods, nodes] = await Promise.allSettled([api.getPodMetrics(), api.getNodeMetrics()]);
  if (pods.status === 'rejected') throw new Error(`listing PodMetrics: ${errorText(pods.reason)}`);
  const podList = parsePodMetricsList(pods.value);
  if (nodes.status === 'rejected')
    return {
      samples: { pods: podList.items },
      skipped: [
        ...podList.skipped,
        `NodeMetrics unavailable, groups summed from pods: ${errorText(nodes.reason)}`,
      ],
    };
  const nodeList = parseNodeMetricsList(nodes.value);
  return {
    samples: { pods: podList.items, nodes: nodeList.items },
    skipped: [...podList.skipped, ...nodeList.skipped],
  };
}

function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && 'message' in err)
    return `HTTP ${String(err.code)}: ${String(err.message).slice(0, 200)}`;
  return err instanceof Error ? err.message : String(err);
}

export function createMetricsServerSource(
  kc: KubeConfig,
  opts: PollingSourceOptions & { readonly api?: MetricsApi },
): PollingUsageSource {
  const api = opts.api ?? new Metrics(kc);
  return new PollingUsageSource('metrics-server', () => collectFromMetricsServer(api), opts);
}
