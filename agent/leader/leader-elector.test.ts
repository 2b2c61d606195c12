import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../sim/kube-api/server.js';
import { waitFor } from '../../sim/kube-api/client-helpers.js';
import { ManualTimers } from '../../test/fakes/manual-timers.js';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { ManualClock, systemClock, type Clock } from '../clock.js';
import { MemoryLogger } from '../logger.js';
import { LeaderElector, type LeaseApi } from './leader-elector.js';
import type { Timers } from '../timers.js';

let api: KubeApiServer;
let leases: CoordinationV1Api;
const started: LeaderElector[] = [];

beforeAll(async () => {
  api = await startKubeApiServer();
  leases = api.kubeConfig().makeApiClient(CoordinationV1Api);
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.stop({ release: false })));
});
afterAll(() => api.close());

interface Candidate {
  elector: LeaderElector;
  events: string[];
}

function candidate(
  identity: string,
  lease: string,
  opts: { clock?: Clock; timers?: Timers; api?: LeaseApi; durations?: [number, number, number] } = {},
): Candidate {
  const events: string[] = [];
  const [leaseDurationSeconds, renewDeadlineSeconds, retryPeriodSeconds] = opts.durations ?? [1, 0.6, 0.1];
  const elector = new LeaderElector({
    api: opts.api ?? leases,
    namespace: 'kube-system',
    name: lease,
    identity,
    leaseDurationSeconds,
    renewDeadlineSeconds,
    retryPeriodSeconds,
    clock: opts.clock ?? systemClock,
    timers: opts.timers,
    onStartedLeading: () => events.push('started'),
    onStoppedLeading: () => events.push('stopped'),
    logger: new MemoryLogger(),
  });
  started.push(elector);
  return { elector, events };
}

const holder = (lease: string) =>
  api.get('leases', lease, 'kube-system')?.spec as { holderIdentity?: string } | undefined;

/** Sample both electors until `ms` passes; fail on any instant with two leaders. */
async function neverTwoLeaders(cands: Candidate[], ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    expect(cands.filter((c) => c.elector.isLeader()).length).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('LeaderElector against the test API server (real time, 1 s leases)', () => {
  it('of three racing candidates exactly one leads, and the losers saw conflicts', async () => {
    api.resetCounters();
    const cands = ['a', 'b', 'c'].map((id) => candidate(id, 'race'));
    cands.forEach((c) => c.elector.start());
    await waitFor(() => cands.some((c) => c.elector.isLeader()), 3000, 'a leader');
    await neverTwoLeaders(cands, 800);
    const leaders = cands.filter((c) => c.elector.isLeader());
    expect(leaders).toHaveLength(1);
    expect(holder('race')?.holderIdentity).toBe(['a', 'b', 'c'][cands.indexOf(leaders[0])]);
    expect(cands.flatMap((c) => c.events)).toEqual(['started']);
    expect(
      api.requests({ path: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/**' }).length,
    ).toBeGreaterThan(3);
  });

  it('a released lease is taken over at once, well inside the lease duration', async () => {
    const a = candidate('a', 'release');
    a.elector.start();
    await waitFor(() => a.elector.isLeader(), 3000, 'a leads');
    const b = candidate('b', 'release');
    b.elector.start();
    await neverTwoLeaders([a, b], 300);
    expect(b.elector.isLeader()).toBe(false);
    const stoppedAt = Date.now();
    await a.elector.stop();
    expect(a.events).toEqual(['started', 'stopped']);
    await waitFor(() => b.elector.isLeader(), 3000, 'b takes over');
    // A crash would make b wait out the 1 s lease from its last observed renewal.
    expect(Date.now() - stoppedAt).toBeLessThan(900);
    expect(holder('release')?.holderIdentity).toBe('b');
  });

  it('a crashed leader (no release) is replaced after the lease expires, never overlapping', async () => {
    const a = candidate('a', 'crash');
    const b = candidate('b', 'crash');
    a.elector.start();
    await waitFor(() => a.elector.isLeader(), 3000, 'a leads');
    b.elector.start();
    await neverTwoLeaders([a, b], 300);
    const crashedAt = Date.now();
    await a.elector.stop({ release: false });
    expect(holder('crash')?.holderIdentity).toBe('a');
    await waitFor(() => b.elector.isLeader(), 3000, 'b takes over');
    const took = Date.now() - crashedAt;
    expect(took).toBeGreaterThanOrEqual(600);
    expect(took).toBeLessThan(2000);
  });
});

describe('LeaderElector on a manual clock (deterministic timing)', () => {
  /** Step time in small increments, letting each elector finish its request before the next step. */
  async function step(timers: ManualTimers, cands: Candidate[], totalMs: number, stepMs = 500) {
    for (let t = 0; t < totalMs; t += stepMs) {
      timers.advance(Math.min(stepMs, totalMs - t));
      await Promise.all(cands.map((c) => c.elector.idle()));
      expect(cands.filter((c) => c.elector.isLeader()).length).toBeLessThanOrEqual(1);
    }
  }

  it('the standby takes over exactly when the lease duration has passed since it last saw a renewal', async () => {
    const clock = new ManualClock(Date.parse('2025-01-01T00:00:00Z'));
    const timers = new ManualTimers(clock);
    const durations: [number, number, number] = [10, 6, 2];
    const a = candidate('a', 'manual-crash', { clock, timers, durations });
    const b = candidate('b', 'manual-crash', { clock, timers, durations });
    a.elector.start();
    await step(timers, [a, b], 1);
    expect(a.elector.isLeader()).toBe(true);
    b.elector.start();
    await step(timers, [a, b], 4000);
    expect(b.elector.isLeader()).toBe(false);
    // a renewed at t=4 s, which b observes at its t=4 s read; then a dies without releasing.
    await a.elector.stop({ release: false });
    await step(timers, [a, b], 9000);
    expect(b.elector.isLeader()).toBe(false);
    await step(timers, [a, b], 2000);
    expect(b.elector.isLeader()).toBe(true);
    expect(b.events).toEqual(['started']);
  });

  it('a released lease goes to the standby at its next retry, not after the lease duration', async () => {
    const clock = new ManualClock(Date.parse('2025-01-01T00:00:00Z'));
    const timers = new ManualTimers(clock);
    const durations: [number, number, number] = [10, 6, 2];
    const a = candidate('a', 'manual-release', { clock, timers, durations });
    const b = candidate('b', 'manual-release', { clock, timers, durations });
    a.elector.start();
    await step(timers, [a, b], 1);
    b.elector.start();
    await step(timers, [a, b], 3000);
    await a.elector.stop();
    expect(holder('manual-release')?.holderIdentity).toBe('');
    await step(timers, [a, b], 2500);
    expect(b.elector.isLeader()).toBe(true);
    const lease = api.get('leases', 'manual-release', 'kube-system')?.spec as { leaseTransitions?: number };
    expect(lease.leaseTransitions).toBe(1);
  });

  it('a partitioned leader steps down at the renew deadline, before the standby may take over', async () => {
    const clock = new ManualClock(Date.parse('2025-01-01T00:00:00Z'));
    const timers = new ManualTimers(clock);
    const durations: [number, number, number] = [10, 6, 2];
    let partitioned = false;
    const cut = <T>(call: () => Promise<T>): Promise<T> =>
      partitioned
        ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
        : call();
    const flaky: LeaseApi = {
      readNamespacedLease: (p) => cut(() => leases.readNamespacedLease(p)),
      createNamespacedLease: (p) => cut(() => leases.createNamespacedLease(p)),
      replaceNamespacedLease: (p) => cut(() => leases.replaceNamespacedLease(p)),
    };
    const a = candidate('a', 'manual-partition', { clock, timers, durations, api: flaky });
    const b = candidate('b', 'manual-partition', { clock, timers, durations });
    a.elector.start();
    b.elector.start();
    await step(timers, [a, b], 2000);
    expect(a.elector.isLeader()).toBe(true);
    partitioned = true;
    const cutAt = clock.now();
    while (a.elector.isLeader()) await step(timers, [a, b], 500);
    const steppedDownAfter = clock.now() - cutAt;
    expect(steppedDownAfter).toBeLessThanOrEqual(6000);
    expect(b.elector.isLeader()).toBe(false);
    await step(timers, [a, b], 6000);
    expect(b.elector.isLeader()).toBe(true);
    expect(a.events).toEqual(['started', 'stopped']);
  });

  it('a renewal conflict does not cost the leader its lease, and the standby stays out', async () => {
    const clock = new ManualClock(Date.parse('2025-01-01T00:00:00Z'));
    const timers = new ManualTimers(clock);
    const durations: [number, number, number] = [10, 6, 2];
    const a = candidate('a', 'manual-conflict', { clock, timers, durations });
    const b = candidate('b', 'manual-conflict', { clock, timers, durations });
    a.elector.start();
    await step(timers, [a, b], 1);
    b.elector.start();
    api.failNext('PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/manual-conflict', 409, {
      times: 2,
    });
    await step(timers, [a, b], 5000);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.elector.isLeader()).toBe(false);
    expect(a.events).toEqual(['started']);
  });
});

describe('LeaderElector options', () => {
  it('rejects durations that cannot be safe', () => {
    expect(() => candidate('x', 'bad', { durations: [5, 5, 1] })).toThrow(
      /leaseDurationSeconds \(5\) > renewDeadlineSeconds \(5\)/,
    );
    started.pop();
  });
});
