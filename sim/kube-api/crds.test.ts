import { readFileSync } from 'node:fs';
import { ApiextensionsV1Api, CustomObjectsApi, type ApiException } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startKubeApiServer, type KubeApiServer } from './server.js';

const CRD = parse(readFileSync(new URL('../../deploy/forecastoverride-crd.yaml', import.meta.url), 'utf8'));
const ref = { group: 'nodecast.io', version: 'v1alpha1', namespace: 'default', plural: 'forecastoverrides' };
const object = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'nodecast.io/v1alpha1',
  kind: 'ForecastOverride',
  metadata: { name },
  spec,
});

let api: KubeApiServer;
beforeEach(async () => {
  api = await startKubeApiServer();
});
afterEach(async () => {
  await api.close();
});

async function refused(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as ApiException<unknown>;
    return { code: e.code, body: JSON.parse(String(e.body)) };
  }
  throw new Error('expected the API server to refuse');
}

describe('CustomResourceDefinitions', () => {
  it('serves the resource a CRD defines, with discovery, CRUD and validation by its schema', async () => {
    const kc = api.kubeConfig();
    const custom = kc.makeApiClient(CustomObjectsApi);
    // Not served before the CRD exists.
    expect((await refused(custom.listNamespacedCustomObject(ref))).code).toBe(404);
    // Plain HTTP, as kubectl sends it (client-node's typed CRD model would drop `enum`: it expects `_enum`).
    const installed = await fetch(`${api.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(CRD),
    });
    expect(installed.status).toBe(201);
    const good = object('ok', {
      group: 'exec',
      kind: 'floor',
      value: 3,
      reason: 'r',
      start: '2024-03-04T06:00:00Z',
    });
    await custom.createNamespacedCustomObject({ ...ref, body: good });
    const list = (await custom.listNamespacedCustomObject(ref)) as {
      items: { metadata: { name: string } }[];
    };
    expect(list.items.map((o) => o.metadata.name)).toEqual(['ok']);

    const bad = await refused(
      custom.createNamespacedCustomObject({
        ...ref,
        body: object('bad', { group: 'exec', kind: 'bogus', value: -1, start: 'yesterday' }),
      }),
    );
    expect(bad.code, JSON.stringify(bad.body)).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
    const causes = (bad.body.details as { causes: { field: string; reason: string }[] }).causes;
    expect(causes.map((c) => `${c.field} ${c.reason}`).sort()).toEqual([
      'spec.kind FieldValueNotSupported',
      'spec.reason FieldValueRequired',
      'spec.start FieldValueInvalid',
      'spec.value FieldValueInvalid',
    ]);
    expect(String(bad.body.message)).toMatch(
      /^ForecastOverride\.nodecast\.io "bad" is invalid: .*spec\.value: Invalid value: -1/,
    );
    // A replace is validated too.
    const current = (await custom.getNamespacedCustomObject({ ...ref, name: 'ok' })) as {
      spec: Record<string, unknown>;
    };
    const replaced = await refused(
      custom.replaceNamespacedCustomObject({
        ...ref,
        name: 'ok',
        body: { ...current, spec: { ...current.spec, value: 'x' } },
      }),
    );
    expect(replaced.code).toBe(422);
  });

  it('refuses a CRD whose name is not <plural>.<group>', async () => {
    const kc = api.kubeConfig();
    const res = await refused(
      kc.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({
        body: { ...CRD, metadata: { name: 'overrides.example.com' } },
      }),
    );
    expect(res.code).toBe(422);
    expect(String(res.body.message)).toMatch(/metadata\.name: Invalid value: "overrides\.example\.com"/);
  });

  it('prints the CRD printer columns for kubectl get', async () => {
    api.create('customresourcedefinitions', CRD);
    api.create(
      'forecastoverrides.nodecast.io',
      object('pin-1', { group: 'exec', kind: 'pin', value: 7, reason: 'r' }),
    );
    const res = await fetch(`${api.url}/apis/nodecast.io/v1alpha1/namespaces/default/forecastoverrides`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const table = (await res.json()) as {
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    expect(table.columnDefinitions.map((c) => c.name).slice(0, 4)).toEqual([
      'Name',
      'Group',
      'Kind',
      'Value',
    ]);
    expect(table.rows[0]!.cells.slice(0, 4)).toEqual(['pin-1', 'exec', 'pin', 7]);
  });
});
