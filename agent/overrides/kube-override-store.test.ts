import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ManualClock } from '../clock.js';
import { silentLogger } from '../logger.js';
import { StoreError } from '../store/store-errors.js';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { eventually } from '../../test/integration/kube-helpers.js';
import { KubeOverrideStore } from './kube-override-store.js';

const CRD = new URL('../../deploy/forecastoverride-crd.yaml', import.meta.url).pathname;
const NOW = Date.parse('2024-03-04T06:00:00Z');
const NS = 'nodecast';

let api: KubeApiServer;
const stores: KubeOverrideStore[] = [];
beforeEach(async () => {
  api = await startKubeApiServer();
  api.create('customresourcedefinitions', parse(readFileSync(CRD, 'utf8')));
  api.create('namespaces', { metadata: { name: NS } });
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.stop();
  await api.close();
});

async function open(clock = new ManualClock(NOW), timeoutMs = 2000): Promise<KubeOverrideStore> {
  let n = 0;
  const store = new KubeOverrideStore({
    kubeConfig: api.kubeConfig(),
    namespace: NS,
    clock,
    logger: silentLogger,
    timeoutMs,
    newId: () => `ovr-${stores.length}-${++n}`,
  });
  await store.start();
  stores.push(store);
  return store;
}

async function refusal(p: Promise<unknown>): Promise<StoreError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('KubeOverrideStore', () => {
  it('writes ForecastOverride objects that another replica reads, with an audit trail in status', async () => {
    const a = await open();
    const b = await open();
    const created = await a.create(
      { group: 'exec', kind: 'floor', value: 5, end: '2024-03-05T00:00:00+01:00', reason: 'launch' },
      'alice',
    );
    expect(created).toMatchObject({
      group: 'exec',
      end: '2024-03-04T23:00:00.000Z',
      createdBy: 'alice',
      createdAt: new Date(NOW).toISOString(),
    });
    const obj = api.get('forecastoverrides.nodecast.io', created.id, NS) as {
      spec: Record<string, unknown>;
      status: { history: { actor: string; action: string }[] };
    };
    expect(obj.spec).toMatchObject({
      group: 'exec',
      kind: 'floor',
      value: 5,
      reason: 'launch',
      createdBy: 'alice',
    });
    expect(obj.status.history).toEqual([
      expect.objectContaining({ actor: 'alice', action: 'override.create' }),
    ]);
    // The other replica's informer sees it, and it takes effect there.
    await eventually(() => b.get(created.id), 3000, 'replica b to see the override');
    expect(b.active(NOW)).toEqual([expect.objectContaining({ id: created.id, kind: 'floor', value: 5 })]);

    const updated = await b.update(created.id, { value: 7, end: null }, 'bob');
    expect(updated).toMatchObject({ value: 7, createdBy: 'alice' });
    expect(updated.end).toBeUndefined();
    await eventually(() => a.get(created.id)?.value === 7, 3000, 'replica a to see the update');
    const deleted = await a.remove(created.id, 'carol');
    expect(deleted.deletedAt).toBe(new Date(NOW).toISOString());
    expect(a.active(NOW)).toEqual([]);
    expect(a.list({ status: 'all' }).map((o) => o.id)).toEqual([created.id]);
    const history = (
      api.get('forecastoverrides.nodecast.io', created.id, NS) as {
        status: { history: { action: string }[] };
      }
    ).status.history;
    expect(history.map((h) => h.action)).toEqual(['override.create', 'override.update', 'override.delete']);
    expect((await refusal(a.update(created.id, { value: 1 }, 'x'))).kind).toBe('conflict');
  });

  it('checks conflicts and the group cap against what every replica wrote', async () => {
    const a = await open();
    const b = await open();
    const ceiling = await a.create({ group: 'exec', kind: 'ceiling', value: 3, reason: 'budget' }, 'alice');
    await eventually(() => b.get(ceiling.id), 3000, 'replica b to see the ceiling');
    const err = await refusal(b.create({ group: 'exec', kind: 'floor', value: 9, reason: 'launch' }, 'bob'));
    expect(err).toMatchObject({ kind: 'conflict', field: 'value' });
    expect(err.message).toMatch(/floor 9 is above ceiling 3/);
    expect(
      (
        await refusal(
          b.create({ group: 'exec', kind: 'floor', value: 1, end: '2024-03-01T00:00:00Z', reason: 'r' }, 'b'),
        )
      ).field,
    ).toBe('end');
  });

  it('skips an invalid object applied behind its back, naming the field, and keeps the rest', async () => {
    const a = await open();
    const good = await a.create({ group: 'exec', kind: 'pin', value: 4, reason: 'ok' }, 'alice');
    // Valid for the schema, invalid for nodecast: a cron that does not parse.
    api.create('forecastoverrides.nodecast.io', {
      apiVersion: 'nodecast.io/v1alpha1',
      kind: 'ForecastOverride',
      metadata: { name: 'bad-cron', namespace: NS },
      spec: {
        group: 'exec',
        kind: 'floor',
        value: 2,
        cron: 'every monday',
        durationSeconds: 600,
        reason: 'gitops',
      },
    });
    await eventually(() => a.invalidObjects().has('bad-cron'), 3000, 'the bad object to be seen');
    expect(a.invalidObjects().get('bad-cron')).toMatch(/^spec\.cron/);
    expect(a.list().map((o) => o.id)).toEqual([good.id]);
  });

  it('answers 503-unavailable, not a stall, when the API server is slower than the timeout', async () => {
    const a = await open(new ManualClock(NOW), 300);
    api.setLatency(1000);
    const started = Date.now();
    const err = await refusal(a.create({ group: 'exec', kind: 'floor', value: 2, reason: 'r' }, 'alice'));
    expect(err.kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(900);
    api.setLatency(0);
  });

  it('fails to start, saying why, when the CRD is not installed', async () => {
    const bare = await startKubeApiServer();
    try {
      const store = new KubeOverrideStore({
        kubeConfig: bare.kubeConfig(),
        namespace: NS,
        clock: new ManualClock(NOW),
        logger: silentLogger,
      });
      await expect(store.start()).rejects.toThrow(
        /forecastoverrides\.nodecast\.io in namespace nodecast: the server could not find the requested resource.*forecastoverride-crd\.yaml/,
      );
    } finally {
      await bare.close();
    }
  });
});
