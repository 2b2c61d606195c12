/**
 * Cluster state fed by real client-node informers against the test API server: the sync gate,
 * the urgent trigger, and recovery from cut watches, 410 Gone and server errors.
 */
import './kube-helpers.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { ClusterState } from '../../agent/state/cluster-state.js';
import { startKubeObserver, type KubeObserver } from '../../agent/state/kube-observer.js';
import { systemClock } from '../../agent/clock.js';
import { MemoryLogger } from '../../agent/logger.js';
import { node, pod, testConfig } from '../fakes/spark-cluster.js';
import { eventually, pendingPods, serverPods, snapshotPods } from './kube-helpers.js';

let api: KubeApiServer;
let observer: KubeObserver | undefined;
let state: ClusterState;
let logger: MemoryLogger;

beforeEach(async () => {
  api = await startKubeApiServer();
  logger = new MemoryLogger();
  state = new ClusterState({ config: testConfig(), clock: systemClock, logger, staleAfterMs: 300 });
});

afterEach(async () => {
  await observer?.stop();
  observer = undefined;
  await api.close();
});

const start = async () => {
  observer = await startKubeObserver(api.kubeConfig(), state, { logger, baseDelayMs: 20, maxDelayMs: 200 });
  return observer;
};

const pending = (name: string) =>
  pod(name, { role: 'executor', queue: 'root.etl', pending: { reason: 'Unschedulable' } });

describe('kube observer', () => {
  it('is not synced before the initial lists are in, then mirrors the server', async () => {
    api.create('nodes', node('exec-1', { group: 'spark-executor' }));
    api.create('nodes', node('drv-1', { group: 'spark-driver' }));
    api.create('pods', pod('driver', { role: 'driver', node: 'drv-1' }));
    api.create('pods', pod('exec-a', { role: 'executor', node: 'exec-1' }));
    api.create('pods', pending('exec-b'));
    expect(state.synced()).toBe(false);
    api.setLatency(150); // the lists take a while: the gate must hold until they are applied
    const started = start();
    expect(state.synced()).toBe(false);
    expect(await state.waitForSync(5000)).toBe(true);
    await started;
    api.setLatency(0);
    const snap = state.snapshot(Date.now());
    expect(snapshotPods(snap)).toEqual(serverPods(api));
    expect([...snap.nodes.keys()].sort()).toEqual(['drv-1', 'exec-1']);
    const execNode = snap.nodes.get('exec-1')!;
    expect(execNode.podUids.map((uid) => snap.pods.get(uid)!.name)).toEqual(['exec-a']);
    expect(pendingPods(snap)).toEqual(['exec-b']);
    expect(state.health()).toMatchObject({ synced: true, stale: false, relists: { pods: 0, nodes: 0 } });
    expect(observer!.resources).toEqual(['pods', 'nodes', 'sparkapplications', 'scheduledsparkapplications']);
  });

  it('fires the urgent trigger within a second of a pod turning unschedulable', async () => {
    await start();
    await state.waitForSync(5000);
    const fired = new Promise<number>((resolve) => state.onUrgent(() => resolve(Date.now())));
    const t0 = Date.now();
    api.create('pods', pending('exec-urgent'));
    const at = await fired;
    expect(at - t0).toBeLessThan(1000);
  });

  it('loses no pending pod when watches are cut mid-stream', async () => {
    api.create('pods', pending('before'));
    await start();
    await state.waitForSync(5000);
    expect(api.dropWatches('reset')).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) api.create('pods', pending(`during-${i}`));
    api.delete('pods', 'before', 'spark');
    await eventually(
      () => snapshotPods(state.snapshot(Date.now())).join() === serverPods(api).join(),
      5000,
      'state to match server',
    );
    expect(pendingPods(state.snapshot(Date.now()))).toEqual([
      'during-0',
      'during-1',
      'during-2',
      'during-3',
      'during-4',
    ]);
    // A cut stream is an error to the informer (it stops); the watcher restarted it.
    expect(state.health().sources.pods!.restarts).toBeGreaterThanOrEqual(1);
  });

  it('re-lists after 410 Gone and ends equal to the server, deletions included', async () => {
    for (let i = 0; i < 3; i++) api.create('pods', pending(`old-${i}`));
    await start();
    await state.waitForSync(5000);
    api.dropWatches('reset');
    // While the watch is down: changes, then history is compacted so resuming gets 410.
    api.delete('pods', 'old-0', 'spark');
    api.create('pods', pending('new-0'));
    api.compact();
    await eventually(() => state.health().relists.pods! >= 1, 5000, 'a pods relist');
    await eventually(
      () => snapshotPods(state.snapshot(Date.now())).join() === serverPods(api).join(),
      5000,
      'state to match server',
    );
    expect(pendingPods(state.snapshot(Date.now()))).toEqual(['new-0', 'old-1', 'old-2']);
    // And the watch keeps working after the relist.
    api.create('pods', pending('after'));
    await eventually(
      () => pendingPods(state.snapshot(Date.now())).includes('after'),
      3000,
      'post-relist event',
    );
  });

  it('re-lists when the server answers an old resourceVersion with HTTP 410', async () => {
    await api.close();
    api = await startKubeApiServer({ expiredWatchAs: 'http' });
    api.create('pods', pending('kept'));
    api.create('pods', pending('removed'));
    await start();
    await state.waitForSync(5000);
    api.dropWatches('reset');
    api.delete('pods', 'removed', 'spark');
    api.compact();
    await eventually(() => state.health().relists.pods! >= 1, 5000, 'a pods relist');
    await eventually(
      () => pendingPods(state.snapshot(Date.now())).join() === 'kept',
      5000,
      'state to match server',
    );
  });

  it('reports stale while the API server fails, and recovers with backoff', async () => {
    await start();
    await state.waitForSync(5000);
    api.failNext('GET', '/api/v1/pods', 500, { times: 4 });
    api.dropWatches('reset');
    await eventually(() => state.health().stale, 3000, 'stale state');
    api.create('pods', pending('while-down'));
    await eventually(
      () => !state.health().stale && pendingPods(state.snapshot(Date.now())).includes('while-down'),
      5000,
      'recovery',
    );
    const pods = state.health().sources.pods!;
    expect(pods.restarts).toBeGreaterThanOrEqual(2);
    expect(pods.errors).toBeGreaterThanOrEqual(2);
    expect(logger.entries.some((e) => e.message.startsWith('pods: watch failed, restarting in'))).toBe(true);
  });

  it('backs off when the server keeps ending watches at once (no tight reconnect loop)', async () => {
    observer = await startKubeObserver(api.kubeConfig(), state, {
      spark: 'off',
      baseDelayMs: 200,
      maxDelayMs: 2000,
    });
    await state.waitForSync(5000);
    api.resetCounters();
    const cutter = setInterval(() => api.dropWatches('end'), 10);
    await new Promise((r) => setTimeout(r, 1500));
    clearInterval(cutter);
    // Without backoff the informer reconnects every ~10 ms: well over 100 watches per resource.
    expect(api.requestCount({ watch: true, path: '/api/v1/pods' })).toBeLessThan(15);
    api.create('pods', pending('still-watching'));
    await eventually(
      () => pendingPods(state.snapshot(Date.now())).includes('still-watching'),
      5000,
      'recovery',
    );
  });

  it('aborts a silent watch (idle watchdog) and resumes without losing events', async () => {
    await api.close();
    api = await startKubeApiServer({ bookmarkIntervalMs: 60_000 });
    observer = await startKubeObserver(api.kubeConfig(), state, {
      spark: 'off',
      idleTimeoutMs: 300,
      baseDelayMs: 20,
    });
    await state.waitForSync(5000);
    await eventually(() => state.health().sources.pods!.restarts >= 1, 3000, 'an idle restart');
    api.create('pods', pending('after-idle'));
    await eventually(() => pendingPods(state.snapshot(Date.now())).includes('after-idle'), 3000, 'the event');
    expect(state.health().stale).toBe(false);
  });

  it('records malformed pods with a problem instead of failing the watch', async () => {
    await start();
    await state.waitForSync(5000);
    api.create(
      'pods',
      pod('broken', { role: 'executor', cpu: 'a-lot', pending: { reason: 'Unschedulable' } }),
    );
    api.create('pods', pending('fine'));
    await eventually(
      () => pendingPods(state.snapshot(Date.now())).join() === 'broken,fine',
      3000,
      'both pods',
    );
    expect(state.health().malformedObjects).toBe(1);
    expect(logger.entries.find((e) => e.level === 'warn')!.message).toMatch(/spark\/broken.*requests\.cpu/);
  });

  it('exposes ScheduledSparkApplication cron schedules and SparkApplications', async () => {
    api.create('scheduledsparkapplications', {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'ScheduledSparkApplication',
      metadata: { name: 'nightly', namespace: 'etl' },
      spec: {
        schedule: '0 2 * * *',
        template: {
          executor: { instances: 10, cores: 2, memory: '4g' },
          batchSchedulerOptions: { queue: 'root.etl' },
        },
      },
    });
    await start();
    await state.waitForSync(5000);
    await eventually(() => state.scheduledJobs().length === 1, 3000, 'scheduled job');
    expect(state.scheduledJobs()[0]).toMatchObject({
      name: 'etl/nightly',
      cron: '0 2 * * *',
      executors: 10,
      executorCpu: 2,
      queue: 'root.etl',
    });
    api.create('sparkapplications', {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'adhoc', namespace: 'etl' },
      spec: { executor: { instances: 3 } },
    });
    await eventually(
      () => state.sparkApplications().some((a) => a.name === 'adhoc'),
      3000,
      'spark application',
    );
  });

  it('does not watch Spark resources when the operator is not installed', async () => {
    await api.close();
    api = await startKubeApiServer({ sparkCrds: false });
    await start();
    expect(observer!.resources).toEqual(['pods', 'nodes']);
    expect(await state.waitForSync(5000)).toBe(true);
  });
});
