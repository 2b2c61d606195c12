import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from './server.js';
import { expectApiError, jsonPatch, mergePatch } from './client-helpers.js';
import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  V1MicroTime,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';

const pod = (name: string, labels: Record<string, string> = {}, nodeName?: string): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
});

let api: KubeApiServer;
let core: CoreV1Api;

beforeAll(async () => {
  api = await startKubeApiServer();
  core = api.kubeConfig().makeApiClient(CoreV1Api);
});
afterAll(() => api.close());

describe('create, get, delete', () => {
  it('creates with uid, creationTimestamp and a rising resourceVersion; 409 on a duplicate', async () => {
    const before = api.resourceVersion();
    const created = await core.createNamespacedPod({ namespace: 'crud', body: pod('a') });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(before);
    expect(created.status?.phase).toBe('Pending');
    const status = await expectApiError(
      core.createNamespacedPod({ namespace: 'crud', body: pod('a') }),
      409,
      'AlreadyExists',
    );
    expect(status.message).toBe('pods "a" already exists');
  });

  it('generateName picks a fresh name', async () => {
    const body: V1Pod = { ...pod(''), metadata: { generateName: 'exec-' } };
    const one = await core.createNamespacedPod({ namespace: 'crud', body });
    const two = await core.createNamespacedPod({ namespace: 'crud', body });
    expect(one.metadata?.name).toMatch(/^exec-[a-z0-9]{5}$/);
    expect(two.metadata?.name).not.toBe(one.metadata?.name);
  });

  it('get and delete answer 404 Status for a missing object; delete returns the object', async () => {
    await core.createNamespacedPod({ namespace: 'crud', body: pod('doomed') });
    const deleted = await core.deleteNamespacedPod({ namespace: 'crud', name: 'doomed' });
    expect(deleted.metadata?.name).toBe('doomed');
    const status = await expectApiError(
      core.readNamespacedPod({ namespace: 'crud', name: 'doomed' }),
      404,
      'NotFound',
    );
    expect(status.message).toBe('pods "doomed" not found');
    await expectApiError(core.deleteNamespacedPod({ namespace: 'crud', name: 'doomed' }), 404, 'NotFound');
  });

  it('cluster-scoped nodes are reachable without a namespace', async () => {
    await core.createNode({ body: { metadata: { name: 'n-crud', labels: { pool: 'exec' } } } });
    const node = await core.readNode({ name: 'n-crud' });
    expect(node.metadata?.namespace).toBeUndefined();
    expect(api.get('nodes', 'n-crud')?.metadata?.name).toBe('n-crud');
  });
});

describe('list with selectors', () => {
  beforeAll(() => {
    api.create('pods', {
      ...pod('sel-1', { 'spark-role': 'executor', app: 'x' }, 'node-1'),
      metadata: { name: 'sel-1', namespace: 'sel', labels: { 'spark-role': 'executor', app: 'x' } },
    });
    api.create('pods', {
      ...pod('sel-2'),
      metadata: { name: 'sel-2', namespace: 'sel', labels: { 'spark-role': 'driver' } },
    });
    api.create('pods', {
      ...pod('sel-3'),
      metadata: { name: 'sel-3', namespace: 'sel2', labels: { 'spark-role': 'executor' } },
    });
  });

  it('carries the current resourceVersion and filters by label and field', async () => {
    const all = await core.listPodForAllNamespaces({ labelSelector: 'spark-role' });
    expect(Number(all.metadata?.resourceVersion)).toBe(api.resourceVersion());
    expect(all.items.map((p) => p.metadata?.name).sort()).toEqual(['sel-1', 'sel-2', 'sel-3']);
    const execs = await core.listNamespacedPod({
      namespace: 'sel',
      labelSelector: 'spark-role=executor,app',
    });
    expect(execs.items.map((p) => p.metadata?.name)).toEqual(['sel-1']);
    const unbound = await core.listPodForAllNamespaces({
      fieldSelector: 'spec.nodeName=',
      labelSelector: 'spark-role',
    });
    expect(unbound.items.map((p) => p.metadata?.name).sort()).toEqual(['sel-2', 'sel-3']);
    const notDriver = await core.listNamespacedPod({ namespace: 'sel', labelSelector: 'spark-role!=driver' });
    expect(notDriver.items.map((p) => p.metadata?.name)).toEqual(['sel-1']);
  });

  it('paginates with limit and continue', async () => {
    const first = await core.listPodForAllNamespaces({ labelSelector: 'spark-role', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata?._continue).toBeTruthy();
    const rest = await core.listPodForAllNamespaces({
      labelSelector: 'spark-role',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    expect(rest.items).toHaveLength(1);
    expect(rest.metadata?._continue).toBeFalsy();
  });
});

describe('update is compare-and-swap', () => {
  it('409 Conflict on a stale resourceVersion, success on the fresh one', async () => {
    const cm = await core.createNamespacedConfigMap({
      namespace: 'cas',
      body: { metadata: { name: 'cm' }, data: { v: '1' } },
    });
    const stale = structuredClone(cm);
    const fresh = await core.replaceNamespacedConfigMap({
      namespace: 'cas',
      name: 'cm',
      body: { ...cm, data: { v: '2' } },
    });
    expect(Number(fresh.metadata?.resourceVersion)).toBeGreaterThan(Number(cm.metadata?.resourceVersion));
    const status = await expectApiError(
      core.replaceNamespacedConfigMap({
        namespace: 'cas',
        name: 'cm',
        body: { ...stale, data: { v: 'lost' } },
      }),
      409,
      'Conflict',
    );
    expect(status.message).toMatch(/the object has been modified/);
    expect(api.get('configmaps', 'cm', 'cas')?.data).toEqual({ v: '2' });
  });

  it('the main resource keeps status; the status subresource keeps spec', async () => {
    const created = await core.createNamespacedPod({ namespace: 'cas', body: pod('st') });
    const viaMain = await core.replaceNamespacedPod({
      namespace: 'cas',
      name: 'st',
      body: { ...created, status: { phase: 'Running' }, spec: { ...created.spec!, nodeName: 'n1' } },
    });
    expect(viaMain.status?.phase).toBe('Pending');
    expect(viaMain.spec?.nodeName).toBe('n1');
    const viaStatus = await core.replaceNamespacedPodStatus({
      namespace: 'cas',
      name: 'st',
      body: { ...viaMain, status: { phase: 'Running' }, spec: { ...viaMain.spec!, nodeName: 'other' } },
    });
    expect(viaStatus.status?.phase).toBe('Running');
    expect(viaStatus.spec?.nodeName).toBe('n1');
  });
});

describe('patch', () => {
  it('merge patch changes labels and removes with null', async () => {
    await core.createNamespacedPod({ namespace: 'patch', body: pod('m', { a: '1', b: '2' }) });
    const out = await core.patchNamespacedPod(
      { namespace: 'patch', name: 'm', body: { metadata: { labels: { a: 'x', b: null } } } },
      mergePatch,
    );
    expect(out.metadata?.labels).toEqual({ a: 'x' });
  });

  it('a merge patch carrying a stale resourceVersion is rejected with 409', async () => {
    const created = await core.createNamespacedPod({ namespace: 'patch', body: pod('rv') });
    api.patch('pods', 'rv', { metadata: { labels: { bumped: 'yes' } } }, 'patch');
    await expectApiError(
      core.patchNamespacedPod(
        {
          namespace: 'patch',
          name: 'rv',
          body: { metadata: { resourceVersion: created.metadata?.resourceVersion, labels: { x: 'y' } } },
        },
        mergePatch,
      ),
      409,
      'Conflict',
    );
  });

  it('JSON patch applies atomically and a failed test op changes nothing', async () => {
    await core.createNamespacedPod({ namespace: 'patch', body: pod('j', { a: '1' }) });
    const ok = await core.patchNamespacedPod(
      {
        namespace: 'patch',
        name: 'j',
        body: [
          { op: 'test', path: '/metadata/labels/a', value: '1' },
          { op: 'replace', path: '/metadata/labels/a', value: '2' },
        ],
      },
      jsonPatch,
    );
    expect(ok.metadata?.labels).toEqual({ a: '2' });
    await expectApiError(
      core.patchNamespacedPod(
        {
          namespace: 'patch',
          name: 'j',
          body: [
            { op: 'replace', path: '/metadata/labels/a', value: '3' },
            { op: 'test', path: '/metadata/labels/a', value: '1' },
          ],
        },
        jsonPatch,
      ),
      422,
      'Invalid',
    );
    expect(api.get('pods', 'j', 'patch')?.metadata?.labels).toEqual({ a: '2' });
  });

  it('status patch through the status subresource', async () => {
    await core.createNamespacedPod({ namespace: 'patch', body: pod('s') });
    const out = await core.patchNamespacedPodStatus(
      { namespace: 'patch', name: 's', body: { status: { phase: 'Running' } } },
      mergePatch,
    );
    expect(out.status?.phase).toBe('Running');
  });
});

describe('scale subresource', () => {
  const deployment: V1Deployment = {
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    },
  };

  it('deployments: read, replace (CAS) and patch the Scale', async () => {
    const apps = api.kubeConfig().makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'scale', body: deployment });
    const scale = await apps.readNamespacedDeploymentScale({ namespace: 'scale', name: 'web' });
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 2 }, status: { selector: 'app=web' } });
    const replaced = await apps.replaceNamespacedDeploymentScale({
      namespace: 'scale',
      name: 'web',
      body: { ...scale, spec: { replicas: 5 } },
    });
    expect(replaced.spec?.replicas).toBe(5);
    await expectApiError(
      apps.replaceNamespacedDeploymentScale({
        namespace: 'scale',
        name: 'web',
        body: { ...scale, spec: { replicas: 9 } },
      }),
      409,
      'Conflict',
    );
    await apps.patchNamespacedDeploymentScale(
      { namespace: 'scale', name: 'web', body: { spec: { replicas: 3 } } },
      mergePatch,
    );
    expect((await apps.readNamespacedDeployment({ namespace: 'scale', name: 'web' })).spec?.replicas).toBe(3);
  });

  it('machinedeployments: Scale through CustomObjectsApi maps to spec.replicas and status.selector', async () => {
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const target = {
      group: 'cluster.x-k8s.io',
      version: 'v1beta1',
      namespace: 'capi',
      plural: 'machinedeployments',
    };
    await custom.createNamespacedCustomObject({
      ...target,
      body: {
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'MachineDeployment',
        metadata: { name: 'exec' },
        spec: { clusterName: 'c1', replicas: 1 },
      },
    });
    api.patch('machinedeployments', 'exec', { status: { replicas: 1, selector: 'pool=exec' } }, 'capi');
    const scale = await custom.getNamespacedCustomObjectScale({ ...target, name: 'exec' });
    expect(scale).toMatchObject({
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { replicas: 1, selector: 'pool=exec' },
    });
    await custom.patchNamespacedCustomObjectScale(
      { ...target, name: 'exec', body: { spec: { replicas: 4 } } },
      mergePatch,
    );
    expect(api.get('machinedeployments', 'exec', 'capi')?.spec).toMatchObject({
      replicas: 4,
      clusterName: 'c1',
    });
    await expectApiError(
      custom.patchNamespacedCustomObjectScale(
        { ...target, name: 'exec', body: { spec: { replicas: -1 } } },
        mergePatch,
      ),
      422,
      'Invalid',
    );
  });
});

describe('leases and fault injection', () => {
  it('leases take MicroTime (six fractional digits) and reject a plain Date, like the real server', async () => {
    const coord = api.kubeConfig().makeApiClient(CoordinationV1Api);
    const at = '2025-01-02T03:04:05.678Z';
    const spec = { holderIdentity: 'a', leaseDurationSeconds: 2 };
    const status = await expectApiError(
      coord.createNamespacedLease({
        namespace: 'kube-system',
        body: { metadata: { name: 'l' }, spec: { ...spec, renewTime: new Date(at) } },
      }),
      400,
      'BadRequest',
    );
    expect(status.message).toMatch(/spec.renewTime/);
    await coord.createNamespacedLease({
      namespace: 'kube-system',
      body: { metadata: { name: 'l' }, spec: { ...spec, renewTime: new V1MicroTime(at) } },
    });
    const lease = await coord.readNamespacedLease({ namespace: 'kube-system', name: 'l' });
    // client-node does not turn MicroTime back into a Date: it stays the wire string.
    expect(String(lease.spec?.renewTime)).toBe('2025-01-02T03:04:05.678000Z');
  });

  it('failNext fails the next matching request only, and counters see every request', async () => {
    api.resetCounters();
    api.failNext('GET', '/api/v1/namespaces/*/pods', 503, { message: 'etcd is sad' });
    const status = await expectApiError(
      core.listNamespacedPod({ namespace: 'crud' }),
      503,
      'ServiceUnavailable',
    );
    expect(status.message).toBe('etcd is sad');
    await core.listNamespacedPod({ namespace: 'crud' });
    expect(api.requestCount({ method: 'GET', path: '/api/v1/namespaces/crud/pods' })).toBe(2);
    expect(api.requests({ path: '/api/v1/namespaces/*/pods' }).map((r) => r.status)).toEqual([503, 200]);
  });
});

describe('optional API groups', () => {
  it('without the Spark CRDs and Cluster API their groups are absent and their paths 404', async () => {
    const bare = await startKubeApiServer({ sparkCrds: false, clusterApi: false });
    try {
      const groups = (await (await fetch(`${bare.url}/apis`)).json()) as { groups: { name: string }[] };
      const names = groups.groups.map((g) => g.name);
      expect(names).toContain('apps');
      expect(names).not.toContain('sparkoperator.k8s.io');
      expect(names).not.toContain('cluster.x-k8s.io');
      const custom = bare.kubeConfig().makeApiClient(CustomObjectsApi);
      await expectApiError(
        custom.listNamespacedCustomObject({
          group: 'sparkoperator.k8s.io',
          version: 'v1beta2',
          namespace: 'default',
          plural: 'sparkapplications',
        }),
        404,
        'NotFound',
      );
      bare.installApiGroup('sparkoperator.k8s.io');
      const after = (await (await fetch(`${bare.url}/apis`)).json()) as { groups: { name: string }[] };
      expect(after.groups.map((g) => g.name)).toContain('sparkoperator.k8s.io');
      const apps = (await custom.listNamespacedCustomObject({
        group: 'sparkoperator.k8s.io',
        version: 'v1beta2',
        namespace: 'default',
        plural: 'sparkapplications',
      })) as { items: unknown[] };
      expect(apps.items).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});
