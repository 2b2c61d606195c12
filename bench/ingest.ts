/**
 * Watch-event ingestion into the cluster state, and memory held per 10,000 pods.
 *
 *   node --expose-gc --import tsx bench/ingest.ts [pods]
 *
 * Events go through exactly what the informer runs per event: our trim projection, client-node's
 * own cache update (`addOrUpdateObject` / `deleteObject`, what ListWatch calls), then the state's
 * handler. Baseline, measured in the same run: JSON.parse of the same watch lines (what
 * client-node's Watch does to every event before we see it). Targets: > 20,000 events/s;
 * < 50 MB of heap per 10,000 pods (informer cache + state), after GC.
 */
import { addOrUpdateObject, deleteObject, type KubernetesObject } from '@kubernetes/client-node';
import { ClusterState } from '../agent/state/cluster-state.js';
import { podHandlers, nodeHandlers } from '../agent/state/kube-observer.js';
import { systemClock } from '../agent/clock.js';
import { node, testConfig } from '../test/fakes/spark-cluster.js';

const PODS = Number(process.argv[2] ?? 10_000);
const NODES = Math.ceil(PODS / 20);
const gc = (globalThis as { gc?: () => void }).gc;

/** A realistic Spark executor pod as the API server sends it (env, volumes, managedFields ...). */
function executorPod(i: number, phase: 'Pending' | 'Running', rv: number): Record<string, unknown> {
  const app = `spark-${(i % 200).toString(16).padStart(8, '0')}`;
  const nodeName = phase === 'Running' ? `node-${i % NODES}` : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-exec-${i}`,
      namespace: `team-${i % 10}`,
      uid: `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`,
      resourceVersion: String(rv),
      creationTimestamp: '2024-05-01T10:00:00Z',
      labels: {
        'spark-role': 'executor',
        'spark-app-selector': app,
        'spark-exec-id': String(i),
        queue: `root.team-${i % 10}`,
        'spark-version': '3.5.1',
      },
      annotations: {
        'yunikorn.apache.org/app-id': app,
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: `${app}-driver`, uid: 'd', controller: true }],
      managedFields: [
        {
          manager: 'spark',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2024-05-01T10:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': {}, 'f:spec': {} },
        },
      ],
    },
    spec: {
      nodeName,
      schedulerName: 'yunikorn',
      nodeSelector: { 'nodecast.io/node-group': 'spark-executor' },
      containers: [
        {
          name: 'spark-kubernetes-executor',
          image: 'apache/spark:3.5.1',
          args: ['executor'],
          env: Array.from({ length: 14 }, (_, k) => ({ name: `SPARK_ENV_${k}`, value: `value-${k}-${app}` })),
          resources: { requests: { cpu: '4', memory: '18022Mi' }, limits: { memory: '18022Mi' } },
          volumeMounts: [{ name: 'spark-local-dir-1', mountPath: '/var/data/spark-1' }],
        },
      ],
      volumes: [{ name: 'spark-local-dir-1', emptyDir: {} }],
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    },
    status: {
      phase,
      qosClass: 'Burstable',
      conditions:
        phase === 'Running'
          ? [
              { type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-05-01T10:00:01Z' },
              { type: 'Ready', status: 'True' },
            ]
          : [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                lastTransitionTime: '2024-05-01T10:00:01Z',
              },
            ],
    },
  };
}

function setup() {
  const state = new ClusterState({ config: testConfig(), clock: systemClock });
  const handlers = podHandlers(state);
  const cache = new Map<string, Map<string, KubernetesObject>>();
  const nodes = nodeHandlers(state);
  for (let n = 0; n < NODES; n++) nodes.upsert(nodes.trim(node(`node-${n}`, { group: 'spark-executor' }))!);
  /** What ListWatch + our watcher do for one watch event. */
  const apply = (type: string, raw: unknown) => {
    const obj = handlers.trim(raw);
    if (!obj) return;
    if (type === 'DELETED') deleteObject(cache, obj, [handlers.remove]);
    else addOrUpdateObject(cache, obj, [handlers.upsert], [handlers.upsert]);
  };
  return { state, cache, apply };
}

function lines(): string[] {
  const out: string[] = [];
  let rv = 1;
  for (let i = 0; i < PODS; i++)
    out.push(JSON.stringify({ type: 'ADDED', object: executorPod(i, 'Pending', rv++) }));
  for (let i = 0; i < PODS; i++)
    out.push(JSON.stringify({ type: 'MODIFIED', object: executorPod(i, 'Running', rv++) }));
  for (let i = 0; i < PODS; i++)
    out.push(JSON.stringify({ type: 'DELETED', object: executorPod(i, 'Running', rv++) }));
  return out;
}

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

function ingestRate(watchLines: string[]) {
  const events = watchLines.map((l) => JSON.parse(l) as { type: string; object: unknown });
  // Warm up the JIT on a separate state, then measure on a fresh one.
  const warm = setup();
  for (const e of events.slice(0, Math.min(events.length, 6000))) warm.apply(e.type, e.object);
  const t0 = performance.now();
  for (const l of watchLines) JSON.parse(l);
  const parseMs = performance.now() - t0;
  const { apply, state } = setup();
  const t1 = performance.now();
  for (const e of events) apply(e.type, e.object);
  const applyMs = performance.now() - t1;
  if (state.health().pods !== 0) throw new Error('ingest bench: pods left after deletes');
  return { parse: rate(events.length, parseMs), apply: rate(events.length, applyMs) };
}

function heapMb(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Heap held per 10,000 pods, measured before anything else runs (a clean heap). */
function memoryPer10k() {
  const fromWatch = (i: number) => JSON.parse(JSON.stringify(executorPod(i, 'Running', i + 1))) as unknown;
  const base = heapMb();
  const held = setup();
  for (let i = 0; i < PODS; i++) held.apply('ADDED', fromWatch(i));
  const snap = held.state.snapshot(Date.now());
  const ours = heapMb() - base;
  if (snap.pods.size !== PODS) throw new Error('memory bench: not every pod held');
  const rawBase = heapMb();
  const raw: unknown[] = [];
  for (let i = 0; i < PODS; i++) raw.push(fromWatch(i)); // what an untrimmed informer cache holds
  const rawMb = heapMb() - rawBase;
  const scale = 10_000 / PODS;
  return { ours: ours * scale, raw: rawMb * scale, keep: [held, snap, raw] };
}

function snapshotCost(watchLines: string[]) {
  const { apply, state } = setup();
  for (const l of watchLines.slice(0, PODS)) {
    const e = JSON.parse(l) as { type: string; object: unknown };
    apply(e.type, e.object);
  }
  state.snapshot(0);
  const t0 = performance.now();
  for (let i = 0; i < 50; i++) {
    state.upsertPod(executorPod(i, 'Running', 1e9 + i)); // one change, so each snapshot copies
    state.snapshot(i);
  }
  return (performance.now() - t0) / 50;
}

const memory = gc ? memoryPer10k() : undefined;
const watchLines = lines();
const r = ingestRate(watchLines);
console.log(
  `ingest: ${PODS} pods, ${NODES} nodes, ${watchLines.length} watch events (ADDED, MODIFIED, DELETED)`,
);
console.log(`  baseline JSON.parse of the watch lines: ${r.parse.toLocaleString('en')} events/s`);
console.log(`  trim + informer cache + cluster state:  ${r.apply.toLocaleString('en')} events/s`);
console.log(
  `  ratio (ours / parse): ${(r.apply / r.parse).toFixed(2)}   target > 20,000 events/s: ${r.apply > 20_000 ? 'met' : 'MISSED'}`,
);
console.log(`  snapshot after one change, ${PODS} pods: ${snapshotCost(watchLines).toFixed(2)} ms`);
if (memory) {
  const m = memory;
  console.log(
    `memory per 10,000 pods (heap after GC): ${m.ours.toFixed(1)} MB held (trimmed informer cache + views)`,
  );
  console.log(`  baseline: raw pod objects as an untrimmed informer holds them: ${m.raw.toFixed(1)} MB`);
  console.log(
    `  ratio (ours / raw): ${(m.ours / m.raw).toFixed(2)}   target < 50 MB: ${m.ours < 50 ? 'met' : 'MISSED'}`,
  );
  void m.keep;
} else {
  console.log('memory: skipped (run with node --expose-gc --import tsx bench/ingest.ts)');
}
