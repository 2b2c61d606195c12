/**
 * Wires Kubernetes watches into a ClusterState: pods and nodes always (required for sync), and
 * SparkApplications / ScheduledSparkApplications when the sparkoperator.k8s.io API group is
 * served (found through discovery; optional: they never hold back sync or make state stale).
 *
 * `podHandlers` / `nodeHandlers` are exactly what the informers call (trim, then the state's
 * handler); the ingest benchmark drives the same functions.
 */
import {
  ApisApi,
  CoreV1Api,
  CustomObjectsApi,
  VersionApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { ClusterState } from './cluster-state.js';
import { ResilientWatcher, type WatchSpec, type WatcherOptions } from './watcher.js';
import { trimNode, trimPod } from './trim.js';
import { SPARK_OPERATOR_GROUP } from './spark-apps.js';
import { asObject, asString } from './object-fields.js';
import { silentLogger, type Logger } from '../logger.js';

export interface KubeObserverOptions extends WatcherOptions {
  readonly logger?: Logger;
  /** Watch Spark operator resources: 'auto' (when discovery finds them, default) or 'off'. */
  readonly spark?: 'auto' | 'off';
  /** List page size (limit/continue). Default 500. */
  readonly pageSize?: number;
}

export interface KubeObserver {
  /** Resources being watched, e.g. ["pods", "nodes", "sparkapplications"]. */
  readonly resources: readonly string[];
  stop(): Promise<void>;
}

export interface ResourceHandlers {
  readonly trim: (raw: unknown) => KubernetesObject | null;
  readonly upsert: (obj: KubernetesObject) => void;
  readonly remove: (obj: KubernetesObject) => void;
}

export const podHandlers = (state: ClusterState): ResourceHandlers => ({
  trim: trimPod,
  upsert: (o) => state.upsertPod(o),
  remove: (o) => state.deletePod(o),
});

export const nodeHandlers = (state: ClusterState): ResourceHandlers => ({
  trim: trimNode,
  upsert: (o) => state.upsertNode(o),
  remove: (o) => state.deleteNode(o),
});

type Page = {
  items: readonly unknown[];
  metadata?: { resourceVersion?: string; _continue?: string; continue?: string };
};

/** Lists every page; the resourceVersion of the last page is the list's. */
async function listAll(fetchPage: (cont: string | undefined) => Promise<Page>) {
  const items: unknown[] = [];
  let cont: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const page = await fetchPage(cont);
    items.push(...page.items);
    resourceVersion = page.metadata?.resourceVersion;
    cont = page.metadata?._continue || page.metadata?.continue || undefined;
  } while (cont);
  return { items, resourceVersion };
}

/** The served version of the Spark operator group, or null when it is not installed. */
async function sparkOperatorVersion(kc: KubeConfig, logger: Logger): Promise<string | null> {
  try {
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const group = groups.groups.find((g) => g.name === SPARK_OPERATOR_GROUP);
    return group?.preferredVersion?.version ?? group?.versions[0]?.version ?? null;
  } catch (err) {
    logger.warn('API discovery failed; not watching Spark operator resources', { error: String(err) });
    return null;
  }
}

function customSpec(
  kc: KubeConfig,
  version: string,
  plural: string,
  pageSize: number,
  upsert: (o: unknown) => void,
  remove: (o: unknown) => void,
): WatchSpec {
  const api = kc.makeApiClient(CustomObjectsApi);
  return {
    name: plural,
    path: `/apis/${SPARK_OPERATOR_GROUP}/${version}/${plural}`,
    list: () =>
      listAll(async (cont) => {
        const page = asObject(
          await api.listClusterCustomObject({
            group: SPARK_OPERATOR_GROUP,
            version,
            plural,
            limit: pageSize,
            _continue: cont,
          }),
        );
        const meta = asObject(page?.metadata);
        return {
          items: Array.isArray(page?.items) ? page.items : [],
          metadata: { resourceVersion: asString(meta?.resourceVersion), continue: asString(meta?.continue) },
        };
      }),
    trim: (raw) => (asString(asObject(asObject(raw)?.metadata)?.name) ? (raw as KubernetesObject) : null),
    upsert,
    remove,
  };
}

/** Starts the watches. Returns once each has made its first attempt; use state.waitForSync. */
export async function startKubeObserver(
  kc: KubeConfig,
  state: ClusterState,
  opts: KubeObserverOptions = {},
): Promise<KubeObserver> {
  const logger = opts.logger ?? silentLogger;
  const pageSize = opts.pageSize ?? 500;
  const core = kc.makeApiClient(CoreV1Api);
  const specs: { spec: WatchSpec; required: boolean }[] = [
    {
      required: true,
      spec: {
        name: 'pods',
        path: '/api/v1/pods',
        list: () => listAll((cont) => core.listPodForAllNamespaces({ limit: pageSize, _continue: cont })),
        ...podHandlers(state),
      },
    },
    {
      required: true,
      spec: {
        name: 'nodes',
        path: '/api/v1/nodes',
        list: () => listAll((cont) => core.listNode({ limit: pageSize, _continue: cont })),
        ...nodeHandlers(state),
      },
    },
  ];
  const version = opts.spark === 'off' ? null : await sparkOperatorVersion(kc, logger);
  if (version) {
    const s = state;
    specs.push(
      {
        required: false,
        spec: customSpec(
          kc,
          version,
          'sparkapplications',
          pageSize,
          (o) => s.upsertSparkApp(o),
          (o) => s.deleteSparkApp(o),
        ),
      },
      {
        required: false,
        spec: customSpec(
          kc,
          version,
          'scheduledsparkapplications',
          pageSize,
          (o) => s.upsertScheduledSparkApp(o),
          (o) => s.deleteScheduledSparkApp(o),
        ),
      },
    );
  }
  // One cheap request tells every watcher the API server is back after an outage.
  const versionApi = kc.makeApiClient(VersionApi);
  const probe = () => versionApi.getCode();
  const watchers = specs.map(
    ({ spec, required }) =>
      new ResilientWatcher(kc, spec, state.source(spec.name, { required }), { probe, ...opts, logger }),
  );
  await Promise.all(watchers.map((w) => w.start()));
  return {
    resources: specs.map((s) => s.spec.name),
    stop: async () => {
      await Promise.all(watchers.map((w) => w.stop()));
    },
  };
}
