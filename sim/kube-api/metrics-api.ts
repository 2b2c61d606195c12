/**
 * metrics.k8s.io/v1beta1 (metrics-server's aggregated API) for the test API server: PodMetrics
 * and NodeMetrics stored like any other type, so lists, gets, selectors and discovery work through
 * the server's usual paths. Not installed by default (a cluster without metrics-server):
 *
 *   const api = await startKubeApiServer();
 *   installMetricsApi(api);                                   // discovery now lists metrics.k8s.io
 *   setPodMetrics(api, { namespace: 'spark', name: 'exec-1', containers: { executor: ['250m', '1Gi'] } });
 *   setNodeMetrics(api, 'node-a', ['3500m', '12Gi']);
 *
 * Differences from the real API: it accepts writes (the real one is read-only, computed from
 * kubelet scrapes) and objects carry uid/resourceVersion. Values are written verbatim, so tests
 * can use any quantity form metrics-server emits ("123456789n", "1048576Ki").
 */
import type { KubeApiServer } from './server.js';
import type { ResourceDef } from './resources.js';

export const METRICS_GROUP = 'metrics.k8s.io';

export const METRICS_RESOURCES: readonly ResourceDef[] = [
  {
    group: METRICS_GROUP,
    version: 'v1beta1',
    kind: 'PodMetrics',
    plural: 'pods',
    singular: 'podmetrics',
    namespaced: true,
    shortNames: [],
    subresources: [],
  },
  {
    group: METRICS_GROUP,
    version: 'v1beta1',
    kind: 'NodeMetrics',
    plural: 'nodes',
    singular: 'nodemetrics',
    namespaced: false,
    shortNames: [],
    subresources: [],
  },
];

/** [cpu, memory] quantities as metrics-server writes them. */
export type UsagePair = readonly [cpu: string, memory: string];

export function installMetricsApi(api: KubeApiServer): void {
  api.installResources(METRICS_RESOURCES);
}

const WINDOW = '15.012s';

function upsert(
  api: KubeApiServer,
  resource: string,
  obj: { metadata: { name: string; namespace?: string } },
) {
  const existing = api.get(resource, obj.metadata.name, obj.metadata.namespace);
  return existing ? api.update(resource, obj) : api.create(resource, obj);
}

export function setPodMetrics(
  api: KubeApiServer,
  pod: {
    namespace: string;
    name: string;
    containers: Readonly<Record<string, UsagePair>>;
    timestamp?: string;
  },
): void {
  upsert(api, 'pods.metrics.k8s.io', {
    metadata: { name: pod.name, namespace: pod.namespace },
    timestamp: pod.timestamp ?? new Date().toISOString(),
    window: WINDOW,
    containers: Object.entries(pod.containers).map(([name, [cpu, memory]]) => ({
      name,
      usage: { cpu, memory },
    })),
  } as { metadata: { name: string; namespace: string } });
}

export function setNodeMetrics(
  api: KubeApiServer,
  node: string,
  [cpu, memory]: UsagePair,
  timestamp?: string,
): void {
  upsert(api, 'nodes.metrics.k8s.io', {
    metadata: { name: node },
    timestamp: timestamp ?? new Date().toISOString(),
    window: WINDOW,
    usage: { cpu, memory },
  } as { metadata: { name: string } });
}
