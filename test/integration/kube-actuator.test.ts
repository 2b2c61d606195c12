/**
 * The actuator end to end: watch-fed cluster state, the Cluster API provider and Kubernetes
 * Events, all through the real client against the test API server.
 */
import { eventually } from './kube-helpers.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { ClusterState } from '../../agent/state/cluster-state.js';
import { startKubeObserver, type KubeObserver } from '../../agent/state/kube-observer.js';
import { ClusterApiProvider } from '../../agent/providers/clusterapi.js';
import { KubeEventRecorder } from '../../agent/events/kube-event-recorder.js';
import { Actuator } from '../../agent/actuate/actuator.js';
import { KubeCordoner } from '../../agent/actuate/cordon.js';
import { systemClock } from '../../agent/clock.js';
import { group, node, pod, testConfig } from '../fakes/spark-cluster.js';
import type { GroupDecision, Plan } from '../../agent/decide/plan.js';

const NS = 'capi';
const MD = 'spark-exec-md';
const DELETE = 'cluster.x-k8s.io/delete-machine';
const exec = group('spark-executor', 'executor', {
  min: 1,
  max: 20,
  provider: { kind: 'clusterapi', namespace: NS, resource: 'MachineDeployment', name: MD },
});
const config = testConfig({ nodeGroups: [group('spark-driver', 'driver'), exec] });

let api: KubeApiServer;
let observer: KubeObserver;
let state: ClusterState;
let actuator: Actuator;
const sleeps: number[] = [];

const replicas = () => (api.get('machinedeployments', MD, NS)!.spec as { replicas: number }).replicas;
const annotated = () =>
  api
    .list('machines', { namespace: NS })
    .filter((m) => (m.metadata?.annotations as Record<string, string> | undefined)?.[DELETE] !== undefined)
    .map((m) => m.metadata!.name)
    .sort();
const plan = (d: Partial<GroupDecision>): Plan => ({
  at: Date.now(),
  decisions: [
    {
      group: exec.name,
      role: 'executor',
      current: 3,
      target: 3,
      removeNodes: [],
      demandNodes: 0,
      reasons: [{ code: 'pending-pods', message: '9 executors pending' }],
      ...d,
    },
  ],
});
const fresh = () => state.snapshot(Date.now());

beforeEach(async () => {
  sleeps.length = 0;
  api = await startKubeApiServer();
  api.create('machinedeployments', {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'MachineDeployment',
    metadata: { name: MD, namespace: NS },
    spec: { clusterName: 'c', replicas: 3 },
  });
  for (const i of [1, 2, 3]) {
    api.create('nodes', node(`n${i}`, { group: exec.name }));
    api.create('machines', {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Machine',
      metadata: { name: `m${i}`, namespace: NS, labels: { 'cluster.x-k8s.io/deployment-name': MD } },
      status: { nodeRef: { kind: 'Node', name: `n${i}` } },
    });
  }
  state = new ClusterState({ config, clock: systemClock });
  observer = await startKubeObserver(api.kubeConfig(), state, { spark: 'off' });
  expect(await state.waitForSync(5000)).toBe(true);
  const kubeConfig = api.kubeConfig();
  actuator = new Actuator({
    provider: new ClusterApiProvider({ kubeConfig }),
    config,
    clock: systemClock,
    events: new KubeEventRecorder({ kubeConfig, instance: 'nodecast-0' }),
    sleep: async (ms) => void sleeps.push(ms),
  });
});

afterEach(async () => {
  await observer.stop();
  await api.close();
});

describe('actuator against the API server', () => {
  it('scales out and records a ScaledOut event on the MachineDeployment', async () => {
    const [r] = await actuator.apply(plan({ target: 6 }), fresh);
    expect(r).toMatchObject({ outcome: 'applied', from: 3, to: 6 });
    expect(replicas()).toBe(6);
    const events = api.list('events', { namespace: NS });
    expect(events).toHaveLength(1);
    const md = api.get('machinedeployments', MD, NS)!;
    expect(events[0]).toMatchObject({
      reason: 'ScaledOut',
      type: 'Normal',
      message: '3 -> 6: 9 executors pending',
      reportingComponent: 'nodecast',
      reportingInstance: 'nodecast-0',
      source: { component: 'nodecast' },
      count: 1,
      involvedObject: {
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'MachineDeployment',
        name: MD,
        namespace: NS,
        uid: md.metadata!.uid,
      },
    });
  });

  it('never removes a node with a running executor, even when the plan says so (stale plan)', async () => {
    const stalePlan = plan({ target: 1, removeNodes: ['n1', 'n2'] });
    // After the plan was made, an executor started on n1.
    api.create('pods', pod('exec-late', { role: 'executor', node: 'n1' }));
    await eventually(() => fresh().nodes.get('n1')!.podUids.length === 1, 3000, 'the executor in state');
    const [r] = await actuator.apply(stalePlan, fresh);
    expect(r).toMatchObject({
      outcome: 'applied',
      removedNodes: ['n2'],
      droppedNodes: [{ node: 'n1', reason: 'runs-executor' }],
      from: 3,
      to: 2,
    });
    expect(annotated()).toEqual(['m2']);
    expect(replicas()).toBe(2);
    expect(api.list('events', { namespace: NS })[0]).toMatchObject({
      reason: 'ScaledIn',
      message: '3 -> 2: 9 executors pending; removed n2',
    });
  });

  it('cordons, settles, re-validates and uncordons when an executor lands meanwhile', async () => {
    const withCordon = new Actuator({
      provider: new ClusterApiProvider({ kubeConfig: api.kubeConfig() }),
      config,
      clock: systemClock,
      cordoner: new KubeCordoner(api.kubeConfig()),
      settleMs: 50,
      sleep: async (ms) => {
        // During the settle wait, a pod bound just before the cordon shows up on n2.
        if (ms === 50) {
          expect(api.get('nodes', 'n2')!.spec).toMatchObject({ unschedulable: true });
          api.create('pods', pod('exec-racing', { role: 'executor', node: 'n2' }));
          await eventually(() => fresh().nodes.get('n2')!.podUids.length === 1, 3000, 'racing executor');
        }
      },
    });
    const [r] = await withCordon.apply(plan({ target: 1, removeNodes: ['n1', 'n2'] }), fresh);
    expect(r.removedNodes).toEqual(['n1']);
    expect(r.droppedNodes).toEqual([{ node: 'n2', reason: 'runs-executor' }]);
    expect((api.get('nodes', 'n2')!.spec as { unschedulable?: boolean }).unschedulable).toBeUndefined(); // uncordoned
    expect(api.get('nodes', 'n1')!.spec).toMatchObject({ unschedulable: true });
    expect(annotated()).toEqual(['m1']);
  });

  it('retries provider errors without double scaling', async () => {
    api.failNext('PUT', '**/machinedeployments/*/scale', 503, { times: 2 });
    const [r] = await actuator.apply(plan({ target: 5 }), fresh);
    expect(r).toMatchObject({ outcome: 'applied', to: 5, attempts: 3 });
    expect(sleeps).toHaveLength(2);
    expect(replicas()).toBe(5);
    // The same plan applied again (as after a restart) changes nothing.
    const [again] = await actuator.apply(plan({ target: 5 }), fresh);
    expect(again).toMatchObject({ outcome: 'skipped', skipReason: 'already-satisfied' });
    expect(replicas()).toBe(5);
  });

  it('retries a scale-in whose replica write failed, removing the node once', async () => {
    api.failNext('PUT', '**/machinedeployments/*/scale', 500);
    const [r] = await actuator.apply(plan({ target: 2, removeNodes: ['n3'] }), fresh);
    expect(r).toMatchObject({ outcome: 'applied', attempts: 2, removedNodes: ['n3'] });
    expect(replicas()).toBe(2);
    expect(annotated()).toEqual(['m3']);
  });

  it('records ScaleFailed (Warning) when the provider keeps failing', async () => {
    api.failNext('PUT', '**/machinedeployments/*/scale', 503, { times: 10 });
    const [r] = await actuator.apply(plan({ target: 4 }), fresh);
    expect(r.outcome).toBe('failed');
    expect(replicas()).toBe(3);
    expect(api.list('events', { namespace: NS })[0]).toMatchObject({
      reason: 'ScaleFailed',
      type: 'Warning',
    });
  });
});

describe('KubeEventRecorder', () => {
  it('aggregates repeats into a count, and never throws when events cannot be written', async () => {
    const recorder = new KubeEventRecorder({ kubeConfig: api.kubeConfig(), instance: 'x' });
    const object = {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'MachineDeployment',
      namespace: NS,
      name: MD,
    };
    const event = {
      object,
      group: exec.name,
      reason: 'ScaleFailed' as const,
      from: 3,
      to: 4,
      reasons: ['r'],
      error: 'boom',
    };
    await recorder.record(event);
    await recorder.record(event);
    const listed = await api.kubeConfig().makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: NS });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ count: 2, message: '3 -> 4: failed: boom; r' });
    api.failNext('POST', '**/events', 500);
    await expect(recorder.record({ ...event, reason: 'ScaledOut' })).resolves.toBeUndefined();
  });

  it('writes nothing for providers without an object unless a fallback is configured', async () => {
    const quiet = new KubeEventRecorder({ kubeConfig: api.kubeConfig() });
    await quiet.record({ group: 'g', reason: 'ScaledOut', from: 1, to: 2, reasons: [] });
    expect(api.list('events')).toHaveLength(0);
    const fallback = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'nodecast', name: 'nodecast-dry-run' };
    await new KubeEventRecorder({ kubeConfig: api.kubeConfig(), fallbackObject: fallback }).record({
      group: 'g',
      reason: 'ScaledOut',
      from: 1,
      to: 2,
      reasons: [],
    });
    expect(api.list('events')[0]).toMatchObject({
      involvedObject: { kind: 'ConfigMap', name: 'nodecast-dry-run' },
      message: '1 -> 2: no reason given',
    });
  });
});
