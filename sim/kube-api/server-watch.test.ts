import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from './server.js';
import { collectWatch, waitFor } from './client-helpers.js';
import { CoreV1Api, makeInformer, type V1Pod } from '@kubernetes/client-node';

const pod = (name: string, namespace: string, labels: Record<string, string> = {}): V1Pod => ({
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

let api: KubeApiServer;
let core: CoreV1Api;

beforeAll(async () => {
  api = await startKubeApiServer({ bookmarkIntervalMs: 50 });
  core = api.kubeConfig().makeApiClient(CoreV1Api);
});
afterAll(() => api.close());

const names = (events: { type: string; object: { metadata?: { name?: string } } }[]) =>
  events.map((e) => `${e.type} ${e.object.metadata?.name}`);

describe('watch from a resourceVersion', () => {
  it('streams exactly the events after the listed RV, in order', async () => {
    api.create('pods', pod('before', 'w1'));
    const list = await core.listNamespacedPod({ namespace: 'w1' });
    const w = await collectWatch(api.kubeConfig(), '/api/v1/namespaces/w1/pods', {
      resourceVersion: list.metadata!.resourceVersion!,
    });
    api.create('pods', pod('after', 'w1'));
    api.create('pods', pod('elsewhere', 'other-ns'));
    api.patch('pods', 'after', { status: { phase: 'Running' } }, 'w1');
    api.delete('pods', 'before', 'w1');
    await waitFor(() => w.events.length === 3, 3000, 'three events');
    w.stop();
    expect(names(w.events)).toEqual(['ADDED after', 'MODIFIED after', 'DELETED before']);
    const rvs = w.events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(rvs[0]).toBeGreaterThan(Number(list.metadata!.resourceVersion));
  });

  it('without a resourceVersion starts with ADDED for every current object', async () => {
    api.create('pods', pod('x1', 'w2'));
    api.create('pods', pod('x2', 'w2'));
    const w = await collectWatch(api.kubeConfig(), '/api/v1/namespaces/w2/pods');
    await waitFor(() => w.events.length === 2);
    w.stop();
    expect(names(w.events)).toEqual(['ADDED x1', 'ADDED x2']);
  });

  it('turns selector transitions into ADDED and DELETED', async () => {
    api.create('pods', pod('t', 'w3', { role: 'driver' }));
    const w = await collectWatch(api.kubeConfig(), '/api/v1/pods', {
      resourceVersion: String(api.resourceVersion()),
      labelSelector: 'role=executor',
    });
    api.patch('pods', 't', { metadata: { labels: { role: 'executor' } } }, 'w3');
    api.patch('pods', 't', { metadata: { labels: { extra: '1' } } }, 'w3');
    api.patch('pods', 't', { metadata: { labels: { role: 'driver' } } }, 'w3');
    await waitFor(() => w.events.length === 3);
    w.stop();
    expect(names(w.events)).toEqual(['ADDED t', 'MODIFIED t', 'DELETED t']);
  });

  it('sends BOOKMARKs when allowed and ends the stream after timeoutSeconds', async () => {
    const w = await collectWatch(api.kubeConfig(), '/api/v1/namespaces/w4/pods', {
      resourceVersion: String(api.resourceVersion()),
      allowWatchBookmarks: true,
      timeoutSeconds: '1',
    });
    await waitFor(() => w.events.some((e) => e.type === 'BOOKMARK'), 2000, 'a bookmark');
    expect(Number(w.events[0].object.metadata?.resourceVersion)).toBe(api.resourceVersion());
    await waitFor(() => w.ended() !== undefined, 3000, 'timeout end');
    expect(w.ended()?.err).toBeNull();
  });
});

describe('410 Gone', () => {
  it('a compacted RV gets an ERROR event with an Expired Status, then the stream ends', async () => {
    const old = String(api.resourceVersion());
    api.create('pods', pod('c', 'gone'));
    api.compact();
    const w = await collectWatch(api.kubeConfig(), '/api/v1/namespaces/gone/pods', { resourceVersion: old });
    await waitFor(() => w.ended() !== undefined);
    expect(w.events).toHaveLength(1);
    expect(w.events[0].type).toBe('ERROR');
    expect(w.events[0].object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    const current = await collectWatch(api.kubeConfig(), '/api/v1/namespaces/gone/pods', {
      resourceVersion: String(api.resourceVersion()),
    });
    api.create('pods', pod('d', 'gone'));
    await waitFor(() => current.events.length === 1);
    current.stop();
    expect(names(current.events)).toEqual(['ADDED d']);
  });

  it('a bounded history expires old RVs on its own; expiredWatchAs http answers HTTP 410', async () => {
    const small = await startKubeApiServer({ historyLimit: 3, expiredWatchAs: 'http' });
    try {
      const start = String(small.resourceVersion());
      for (let i = 0; i < 5; i++) small.create('configmaps', { metadata: { name: `cm${i}` } });
      const stale = await collectWatch(small.kubeConfig(), '/api/v1/configmaps', { resourceVersion: start });
      await waitFor(() => stale.ended() !== undefined);
      expect((stale.ended()?.err as { statusCode?: number }).statusCode).toBe(410);
      const recent = await collectWatch(small.kubeConfig(), '/api/v1/configmaps', {
        resourceVersion: String(small.resourceVersion() - 3),
      });
      await waitFor(() => recent.events.length === 3);
      recent.stop();
      expect(names(recent.events)).toEqual(['ADDED cm2', 'ADDED cm3', 'ADDED cm4']);
    } finally {
      await small.close();
    }
  });
});

describe('dropWatches', () => {
  it("'reset' cuts streams with an error, 'end' closes them cleanly", async () => {
    const a = await collectWatch(api.kubeConfig(), '/api/v1/pods', {
      resourceVersion: String(api.resourceVersion()),
    });
    await waitFor(() => api.openWatchCount() >= 1);
    expect(api.dropWatches('reset')).toBeGreaterThanOrEqual(1);
    await waitFor(() => a.ended() !== undefined);
    expect(a.ended()?.err).toBeTruthy();
    const b = await collectWatch(api.kubeConfig(), '/api/v1/pods', {
      resourceVersion: String(api.resourceVersion()),
    });
    await waitFor(() => api.openWatchCount() >= 1);
    api.dropWatches('end');
    await waitFor(() => b.ended() !== undefined);
    expect(b.ended()?.err).toBeNull();
    expect(api.openWatchCount()).toBe(0);
  });
});

describe('fault injection on watches', () => {
  it('a watch-only fault fails the watch and leaves the list alone', async () => {
    api.failNext('GET', '/api/v1/namespaces/wf/pods', 500, { watch: true });
    await core.listNamespacedPod({ namespace: 'wf' });
    const w = await collectWatch(api.kubeConfig(), '/api/v1/namespaces/wf/pods', {
      resourceVersion: String(api.resourceVersion()),
    });
    await waitFor(() => w.ended() !== undefined);
    expect((w.ended()?.err as { statusCode?: number }).statusCode).toBe(500);
    expect(api.requests({ path: '/api/v1/namespaces/wf/pods' }).map((r) => [r.watch, r.status])).toEqual([
      [false, 200],
      [true, 500],
    ]);
  });
});

describe('client-node informer against the server', () => {
  it('resumes after a dropped watch, and relists after 410 without losing a delete', async () => {
    const ns = 'inf';
    api.create('pods', pod('p0', ns));
    const informer = makeInformer(api.kubeConfig(), `/api/v1/namespaces/${ns}/pods`, () =>
      core.listNamespacedPod({ namespace: ns }),
    );
    const seen: string[] = [];
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name}`));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
    await informer.start();
    try {
      await waitFor(() => api.openWatchCount() === 1, 3000, 'informer watch');
      api.create('pods', pod('p1', ns));
      await waitFor(() => seen.includes('add p1'));

      // A clean end: the informer re-watches from its last RV, without a new list.
      api.resetCounters();
      api.dropWatches('end');
      api.patch('pods', 'p1', { metadata: { labels: { v: '2' } } }, ns);
      await waitFor(() => seen.includes('update p1'), 5000, 'update after re-watch');
      expect(api.requestCount({ watch: false, path: `/api/v1/namespaces/${ns}/pods` })).toBe(0);

      // History gone while disconnected: 410 -> relist, which surfaces the delete it missed.
      await waitFor(() => api.openWatchCount() === 1, 3000, 'informer re-watch');
      api.dropWatches('end');
      api.delete('pods', 'p0', ns);
      api.compact();
      await waitFor(() => seen.includes('delete p0'), 5000, 'delete seen after relist');
      expect(
        api.requestCount({ watch: false, path: `/api/v1/namespaces/${ns}/pods` }),
      ).toBeGreaterThanOrEqual(1);
      expect(informer.list(ns).map((p) => p.metadata?.name)).toEqual(['p1']);
    } finally {
      await informer.stop();
    }
  });
});
