/**
 * After an API outage the watches come back within about a second of the server answering again,
 * however far their restart backoff had grown: a cheap probe (GET /version) runs while they wait.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, VersionApi } from '@kubernetes/client-node';
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../agent/clock.js';
import { silentLogger } from '../../agent/logger.js';
import { startAgent } from '../../agent/runtime/agent.js';
import { group, node, testConfig } from '../fakes/spark-cluster.js';
import { SourceHealth } from '../../agent/state/source-health.js';
import { ResilientWatcher } from '../../agent/state/watcher.js';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { eventually } from './kube-helpers.js';

let api: KubeApiServer;
const watchers: ResilientWatcher[] = [];
beforeEach(async () => {
  api = await startKubeApiServer();
});
afterEach(async () => {
  for (const w of watchers.splice(0)) await w.stop();
  await api.close();
});

function namespaceWatcher(probe: boolean): {
  watcher: ResilientWatcher;
  health: SourceHealth;
  seen: Set<string>;
} {
  const kc = api.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const version = kc.makeApiClient(VersionApi);
  const health = new SourceHealth('namespaces', true, systemClock);
  const seen = new Set<string>();
  const watcher = new ResilientWatcher(
    kc,
    {
      name: 'namespaces',
      path: '/api/v1/namespaces',
      list: async () => {
        const l = await core.listNamespace();
        return {
          items: l.items,
          ...(l.metadata?.resourceVersion ? { resourceVersion: l.metadata.resourceVersion } : {}),
        };
      },
      trim: (raw) => raw as never,
      upsert: (o) => seen.add(o.metadata!.name!),
      remove: (o) => seen.delete(o.metadata!.name!),
    },
    health,
    // Jitter at its maximum: the backoff is as long as it gets.
    {
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      random: () => 0.999,
      ...(probe ? { probe: () => version.getCode() } : {}),
    },
  );
  watchers.push(watcher);
  return { watcher, health, seen };
}

describe('watch recovery after an outage', () => {
  it('reconnects within ~1 s of recovery though the backoff had reached 8 s', async () => {
    const { watcher, health, seen } = namespaceWatcher(true);
    await watcher.start();
    await eventually(() => health.status().connected, 3000, 'the first watch');
    // Every request fails (503), and the open watch is cut.
    api.failNext('*', /.*/, 503, { times: 1_000_000, message: 'outage' });
    api.dropWatches('reset');
    // Restarts fail at ~0.5, 1.5, 3.5 and 7.5 s; the next waits ~8 s more.
    await new Promise((r) => setTimeout(r, 8000));
    expect(health.status().connected).toBe(false);
    expect(health.status().restarts).toBeGreaterThanOrEqual(3);
    api.clearFaults();
    const recovered = Date.now();
    api.create('namespaces', { metadata: { name: 'after-outage' } });
    await eventually(
      () => health.status().connected && seen.has('after-outage'),
      5000,
      'the watch to recover',
    );
    expect(Date.now() - recovered).toBeLessThan(2500);
  }, 30_000);

  it('the agent is ready again within 5 s of an outage ending', async () => {
    api.create('nodes', node('exec-0', { group: 'spark-executor' }));
    const dir = mkdtempSync(join(tmpdir(), 'nodecast-outage-'));
    const base = testConfig({ nodeGroups: [group('spark-executor', 'executor', { min: 1 })] });
    const agent = await startAgent({
      config: { ...base, tickSeconds: 1, dataDir: dir },
      kubeConfig: api.kubeConfig(),
      clock: systemClock,
      identity: 'outage',
      logger: silentLogger,
      tracer: trace.getTracer('test'),
      version: 'test',
    });
    const ready = async () =>
      (await agent.server.inject({ method: 'GET', url: '/readyz' })).statusCode === 200;
    try {
      await eventually(ready, 5000, 'ready before the outage');
      api.failNext('*', /.*/, 503, { times: 1_000_000, message: 'outage' });
      api.dropWatches('reset');
      await eventually(async () => !(await ready()), 3000, 'not ready during the outage');
      await new Promise((r) => setTimeout(r, 9000));
      expect(await ready()).toBe(false);
      api.clearFaults();
      const recovered = Date.now();
      await eventually(ready, 5000, 'ready within 5 s of recovery');
      expect(Date.now() - recovered).toBeLessThan(5000);
    } finally {
      await agent.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
