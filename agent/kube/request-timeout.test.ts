import { CoreV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { withRequestTimeout } from './request-timeout.js';

let api: KubeApiServer;
beforeEach(async () => {
  api = await startKubeApiServer();
});
afterEach(async () => {
  await api.close();
});

describe('withRequestTimeout', () => {
  it('aborts a request the API server is slower than the deadline to answer', async () => {
    const core = withRequestTimeout(api.kubeConfig(), 200).makeApiClient(CoreV1Api);
    expect((await core.listNamespace()).items.length).toBeGreaterThan(0);
    api.setLatency(2000);
    const started = Date.now();
    await expect(core.listNamespace()).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('leaves requests alone without it, and wraps a config once', async () => {
    const kc = api.kubeConfig();
    expect(withRequestTimeout(withRequestTimeout(kc, 5000), 1)).toBe(kc);
    api.setLatency(300);
    // The second wrap is ignored: 5 s, not 1 ms, applies.
    expect((await kc.makeApiClient(CoreV1Api).listNamespace()).items.length).toBeGreaterThan(0);
  });
});
