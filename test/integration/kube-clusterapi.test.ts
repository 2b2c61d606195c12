/** The Cluster API provider against the test API server, through the real client. */
import { eventually } from './kube-helpers.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { ClusterApiProvider } from '../../agent/providers/clusterapi.js';
import { ProviderConfigError } from '../../agent/providers/errors.js';
import { ManualClock } from '../../agent/clock.js';
import { group } from '../fakes/spark-cluster.js';

const NS = 'capi';
const MD = 'spark-exec-md';
const DELETE = 'cluster.x-k8s.io/delete-machine';
const exec = group('spark-executor', 'executor', {
  provider: { kind: 'clusterapi', namespace: NS, resource: 'MachineDeployment', name: MD },
});
const execSet = group('spark-executor', 'executor', {
  provider: { kind: 'clusterapi', namespace: NS, resource: 'MachineSet', name: 'spark-exec-ms' },
});

let api: KubeApiServer;
let provider: ClusterApiProvider;

function machine(
  name: string,
  nodeName: string,
  owner: Record<string, string> = { 'cluster.x-k8s.io/deployment-name': MD },
) {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Machine',
    metadata: { name, namespace: NS, labels: owner },
    spec: { clusterName: 'c' },
    status: { nodeRef: { kind: 'Node', name: nodeName } },
  };
}

function deployment(replicas: number) {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'MachineDeployment',
    metadata: { name: MD, namespace: NS },
    spec: { clusterName: 'c', replicas },
  };
}

const replicas = () => (api.get('machinedeployments', MD, NS)!.spec as { replicas: number }).replicas;
const annotation = (m: string) =>
  (api.get('machines', m, NS)!.metadata?.annotations as Record<string, string> | undefined)?.[DELETE];

beforeEach(async () => {
  api = await startKubeApiServer();
  provider = new ClusterApiProvider({
    kubeConfig: api.kubeConfig(),
    clock: new ManualClock(Date.parse('2024-05-01T12:00:00Z')),
  });
});

afterEach(async () => {
  await api.close();
});

describe('ClusterApiProvider', () => {
  it('reads and raises replicas through the scale subresource', async () => {
    api.create('machinedeployments', deployment(2));
    expect(await provider.targetSize(exec)).toBe(2);
    api.resetCounters();
    await provider.scaleUpTo(exec, 5);
    expect(replicas()).toBe(5);
    expect(api.requests({ method: 'PUT' }).map((r) => r.path)).toEqual([
      `/apis/cluster.x-k8s.io/v1beta1/namespaces/${NS}/machinedeployments/${MD}/scale`,
    ]);
    expect(api.requestCount({ method: 'GET', path: '**/machinedeployments/*/scale' })).toBe(1);
  });

  it('never lowers replicas in scaleUpTo and is idempotent', async () => {
    api.create('machinedeployments', deployment(4));
    await provider.scaleUpTo(exec, 3);
    await provider.scaleUpTo(exec, 4);
    expect(replicas()).toBe(4);
    expect(api.requestCount({ method: 'PUT' })).toBe(0);
    await provider.scaleUpTo(exec, 6);
    await provider.scaleUpTo(exec, 6);
    expect(replicas()).toBe(6);
    expect(api.requestCount({ method: 'PUT' })).toBe(1);
  });

  it('refuses to overwrite a concurrent change (409 from the stale resourceVersion)', async () => {
    api.create('machinedeployments', deployment(2));
    api.setLatency(100);
    const racing = provider.scaleUpTo(exec, 5);
    // Our GET has been answered and our PUT has arrived (held by the latency): change it now.
    await eventually(() => api.requestCount({ method: 'PUT' }) === 1, 5000, 'the scale PUT');
    api.patch('machinedeployments', MD, { spec: { replicas: 3 } }, NS);
    await expect(racing).rejects.toMatchObject({ code: 409 });
    expect(replicas()).toBe(3);
  });

  it('annotates exactly the chosen machine before lowering replicas', async () => {
    api.create('machinedeployments', deployment(3));
    api.create('machines', machine('m1', 'n1'));
    api.create('machines', machine('m2', 'n2'));
    api.create('machines', machine('m3', 'n3'));
    api.create('machines', machine('other', 'n9', { 'cluster.x-k8s.io/deployment-name': 'someone-else' }));
    api.resetCounters();
    await provider.deleteNodes(exec, ['n2', 'n9']);
    expect(annotation('m2')).toBe('2024-05-01T12:00:00.000Z');
    expect(annotation('m1')).toBeUndefined();
    expect(annotation('m3')).toBeUndefined();
    expect(annotation('other')).toBeUndefined(); // not ours: n9 belongs to another MachineDeployment
    expect(replicas()).toBe(2);
    const writes = api.requests().filter((r) => r.method === 'PATCH' || r.method === 'PUT');
    expect(writes.map((r) => `${r.method} ${r.path.split('/').slice(-2).join('/')}`)).toEqual([
      'PATCH machines/m2',
      `PUT ${MD}/scale`,
    ]);
  });

  it('does not lower replicas twice when deleteNodes is repeated', async () => {
    api.create('machinedeployments', deployment(3));
    for (const i of [1, 2, 3]) api.create('machines', machine(`m${i}`, `n${i}`));
    await provider.deleteNodes(exec, ['n1']);
    await provider.deleteNodes(exec, ['n1']); // machine still there (no controller here): already requested
    expect(replicas()).toBe(2);
    api.delete('machines', 'm1', NS); // the controller removed it
    await provider.deleteNodes(exec, ['n1']);
    expect(replicas()).toBe(2);
  });

  it('finishes a removal whose replica write failed after the annotation landed', async () => {
    api.create('machinedeployments', deployment(3));
    for (const i of [1, 2, 3]) api.create('machines', machine(`m${i}`, `n${i}`));
    api.failNext('PUT', '**/machinedeployments/*/scale', 503);
    await expect(provider.deleteNodes(exec, ['n3'])).rejects.toMatchObject({ code: 503 });
    expect(annotation('m3')).toBeDefined();
    expect(replicas()).toBe(3);
    await provider.deleteNodes(exec, ['n3']); // the retry
    expect(replicas()).toBe(2);
    await provider.deleteNodes(exec, ['n3']); // and once more: nothing further
    expect(replicas()).toBe(2);
  });

  it('skips nodes whose machine is gone or already being deleted', async () => {
    api.create('machinedeployments', deployment(2));
    api.create('machines', {
      ...machine('m1', 'n1'),
      metadata: { ...machine('m1', 'n1').metadata, deletionTimestamp: '2024-05-01T11:00:00Z' },
    });
    api.create('machines', machine('m2', 'n2'));
    await provider.deleteNodes(exec, ['n1', 'gone']);
    expect(replicas()).toBe(2);
    expect(api.requestCount({ method: 'PATCH' })).toBe(0);
  });

  it('scales MachineSets the same way', async () => {
    api.create('machinesets', {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'MachineSet',
      metadata: { name: 'spark-exec-ms', namespace: NS },
      spec: { clusterName: 'c', replicas: 2 },
    });
    api.create('machines', machine('s1', 'n1', { 'cluster.x-k8s.io/set-name': 'spark-exec-ms' }));
    api.create('machines', machine('s2', 'n2', { 'cluster.x-k8s.io/set-name': 'spark-exec-ms' }));
    await provider.scaleUpTo(execSet, 4);
    await provider.deleteNodes(execSet, ['n1']);
    expect(api.get('machinesets', 'spark-exec-ms', NS)!.spec).toMatchObject({ replicas: 3 });
    expect(annotation('s1')).toBeDefined();
    expect(provider.scaledObject(execSet)).toEqual({
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'MachineSet',
      namespace: NS,
      name: 'spark-exec-ms',
    });
  });

  it('names the missing config field', async () => {
    const broken = group('spark-executor', 'executor', { provider: { kind: 'clusterapi' } });
    await expect(provider.targetSize(broken)).rejects.toThrow(ProviderConfigError);
    await expect(provider.targetSize(broken)).rejects.toThrow('nodeGroups[spark-executor].provider.name');
  });
});
