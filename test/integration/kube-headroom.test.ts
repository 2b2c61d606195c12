/** The headroom provider against the test API server (no controllers run there: the test plays them). */
import './kube-helpers.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { HeadroomProvider } from '../../agent/providers/headroom.js';
import { ManualClock } from '../../agent/clock.js';
import { GiB, group, node } from '../fakes/spark-cluster.js';

const exec = group('spark-executor', 'executor', {
  provider: { kind: 'headroom', priorityClassName: 'nodecast-headroom' },
});
const DEPLOY = 'nodecast-headroom-spark-executor';

let api: KubeApiServer;
let clock: ManualClock;
let provider: HeadroomProvider;

const deployment = () => api.get('deployments', DEPLOY, 'nodecast');
const placeholder = (name: string, nodeName?: string) =>
  api.create('pods', {
    metadata: { name, namespace: 'nodecast', labels: { 'nodecast.io/headroom-group': exec.name } },
    spec: { nodeName, containers: [{ name: 'pause', image: 'pause' }] },
  });

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2024-05-01T12:00:00Z'));
  api = await startKubeApiServer({ clock }); // the server stamps creationTimestamp from this clock
  provider = new HeadroomProvider({
    kubeConfig: api.kubeConfig(),
    clock,
    tolerations: [{ key: 'spark', operator: 'Exists' }],
  });
  api.create('nodes', node('n1', { group: exec.name }));
  api.create('nodes', node('n2', { group: exec.name }));
  api.create('nodes', node('other', { group: 'spark-driver' }));
});

afterEach(async () => {
  await api.close();
});

describe('HeadroomProvider', () => {
  it('counts ready group nodes plus placeholders, creating the Deployment on first scale-out', async () => {
    expect(await provider.targetSize(exec)).toBe(2);
    expect(deployment()).toBeUndefined();
    await provider.scaleUpTo(exec, 4);
    const d = deployment()!;
    expect(d.spec).toMatchObject({
      replicas: 2,
      selector: { matchLabels: { 'nodecast.io/headroom-group': exec.name } },
      template: {
        metadata: { labels: { 'nodecast.io/headroom-group': exec.name } },
        spec: {
          priorityClassName: 'nodecast-headroom',
          nodeSelector: exec.nodeSelector,
          tolerations: [{ key: 'spark', operator: 'Exists' }],
          containers: [
            {
              name: 'pause',
              resources: { requests: { cpu: '14400m', memory: String(Math.floor(64 * GiB * 0.9)) } },
            },
          ],
        },
      },
    });
    expect(await provider.targetSize(exec)).toBe(4);
    await provider.scaleUpTo(exec, 4); // idempotent
    expect(deployment()!.spec).toMatchObject({ replicas: 2 });
  });

  it('keeps the target steady as the autoscaler brings nodes for the placeholders', async () => {
    await provider.scaleUpTo(exec, 4);
    // The autoscaler adds n3 (not Ready yet): it is provisioning, and a placeholder waits for it.
    api.create('nodes', node('n3', { group: exec.name, ready: false }));
    placeholder('ph-a', 'n3');
    placeholder('ph-b');
    expect(await provider.targetSize(exec)).toBe(4);
    await provider.scaleUpTo(exec, 5);
    expect(deployment()!.spec).toMatchObject({ replicas: 3 });
  });

  it('counts a long-NotReady node as broken, not provisioning', async () => {
    api.create('nodes', node('stuck', { group: exec.name, ready: false }));
    expect(await provider.targetSize(exec)).toBe(3); // young: provisioning
    clock.advance(11 * 60_000);
    expect(await provider.targetSize(exec)).toBe(2); // past the 10 min grace: broken
  });

  it('shrinks placeholders for nodes that host them, leaves real nodes to the autoscaler, idempotently', async () => {
    await provider.scaleUpTo(exec, 4);
    api.create('nodes', node('n3', { group: exec.name }));
    api.create('nodes', node('n4', { group: exec.name }));
    placeholder('ph-a', 'n3');
    placeholder('ph-b', 'n4');
    await provider.deleteNodes(exec, ['n3', 'n1']);
    expect(deployment()!.spec).toMatchObject({ replicas: 1 });
    expect(api.get('pods', 'ph-a', 'nodecast')!.metadata?.annotations).toEqual({
      'controller.kubernetes.io/pod-deletion-cost': '-1000',
    });
    expect(api.get('pods', 'ph-b', 'nodecast')!.metadata?.annotations).toBeUndefined();
    expect(api.get('nodes', 'n1')).toBeDefined(); // a real node: not ours to remove
    await provider.deleteNodes(exec, ['n3']); // ph-a still alive (no ReplicaSet here): already requested
    expect(deployment()!.spec).toMatchObject({ replicas: 1 });
  });

  it('names the Deployment it scales for events', () => {
    expect(provider.scaledObject(exec)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'nodecast',
      name: DEPLOY,
    });
  });
});
