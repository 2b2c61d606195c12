import { describe, expect, it } from 'vitest';
import { ClusterState } from './cluster-state.js';
import { ManualClock } from '../clock.js';
import { MemoryLogger } from '../logger.js';
import { node, pod, testConfig } from '../../test/fakes/spark-cluster.js';
import type { PodView } from './snapshot.js';

function setup() {
  const clock = new ManualClock(Date.parse('2024-05-01T12:00:00Z'));
  const logger = new MemoryLogger();
  const state = new ClusterState({ config: testConfig(), clock, logger, staleAfterMs: 10_000 });
  return { clock, logger, state };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ClusterState snapshots', () => {
  it('indexes pods on nodes and leaves terminated pods off the node', () => {
    const { state } = setup();
    state.upsertNode(node('n1', { group: 'spark-executor' }));
    const running = pod('e1', { role: 'executor', node: 'n1', uid: 'u1' });
    state.upsertPod(running);
    state.upsertPod(pod('e2', { role: 'executor', node: 'n1', uid: 'u2', phase: 'Succeeded' }));
    const snap = state.snapshot(1000, [{ name: 'spark-executor', targetSize: 3 }]);
    expect(snap.takenAt).toBe(1000);
    expect(snap.nodes.get('n1')!.podUids).toEqual(['u1']);
    expect([...snap.pods.keys()].sort()).toEqual(['u1', 'u2']);
    expect(snap.groups.get('spark-executor')!.targetSize).toBe(3);
  });

  it('keeps earlier snapshots unchanged and reuses unchanged views', () => {
    const { state } = setup();
    state.upsertNode(node('n1', { group: 'spark-executor' }));
    state.upsertNode(node('n2', { group: 'spark-executor' }));
    state.upsertPod(pod('e1', { role: 'executor', node: 'n1', uid: 'u1' }));
    const before = state.snapshot(1);
    state.upsertPod(pod('e1', { role: 'executor', node: 'n2', uid: 'u1' }));
    const after = state.snapshot(2);
    expect(before.nodes.get('n1')!.podUids).toEqual(['u1']);
    expect(before.pods.get('u1')!.nodeName).toBe('n1');
    expect(after.nodes.get('n1')!.podUids).toEqual([]);
    expect(after.nodes.get('n2')!.podUids).toEqual(['u1']);
    const again = state.snapshot(3);
    expect(again.pods).toBe(after.pods); // nothing changed: same map
    expect(again.nodes).toBe(after.nodes);
  });

  it('removes deleted pods and nodes', () => {
    const { state } = setup();
    const n = node('n1', { group: 'spark-executor' });
    const p = pod('e1', { role: 'executor', node: 'n1', uid: 'u1' });
    state.upsertNode(n);
    state.upsertPod(p);
    state.deletePod(p);
    expect(state.snapshot(1).nodes.get('n1')!.podUids).toEqual([]);
    expect(state.snapshot(1).pods.size).toBe(0);
    state.deleteNode(n);
    expect(state.snapshot(2).nodes.size).toBe(0);
  });

  it('replaces a pod recreated under the same name with a new uid (seen only as an update after a relist)', () => {
    const { state } = setup();
    state.upsertPod(pod('e1', { role: 'executor', node: 'n1', uid: 'old' }));
    state.upsertPod(pod('e1', { role: 'executor', uid: 'new', pending: { reason: 'Unschedulable' } }));
    const snap = state.snapshot(1);
    expect([...snap.pods.keys()]).toEqual(['new']);
  });

  it('leaves headroom placeholders out of the snapshot', () => {
    const { state } = setup();
    state.upsertPod(pod('h', { node: 'n1', labels: { 'nodecast.io/headroom-group': 'spark-executor' } }));
    expect(state.snapshot(1).pods.size).toBe(0);
  });

  it('counts the nodes of a group that are not leaving', () => {
    const { state } = setup();
    state.upsertNode(node('a', { group: 'spark-executor' }));
    state.upsertNode(node('b', { group: 'spark-executor', ready: false }));
    state.upsertNode(node('c', { group: 'spark-executor', unschedulable: true }));
    state.upsertNode(node('d', { group: 'spark-driver' }));
    expect(state.groupNodeCount('spark-executor')).toBe(2);
  });
});

describe('ClusterState robustness', () => {
  it('records malformed pods with a problem naming the pod and field, once per change', () => {
    const { state, logger } = setup();
    const bad = pod('broken', { role: 'executor', cpu: 'x1' });
    state.upsertPod(bad);
    state.upsertPod({ ...bad, metadata: { ...(bad.metadata as object), resourceVersion: '999' } });
    expect(state.snapshot(1).pods.size).toBe(1);
    expect(state.health().malformedObjects).toBe(1);
    const warning = logger.entries.find((e) => e.level === 'warn')!;
    expect(warning.message).toContain('spark/broken');
    expect(warning.message).toContain('spec.containers[0].resources.requests.cpu');
  });

  it('never throws on garbage', () => {
    const { state } = setup();
    for (const junk of [null, undefined, 42, 'x', [], { metadata: null }, { metadata: { name: 'n' } }]) {
      expect(() => state.upsertPod(junk)).not.toThrow();
      expect(() => state.deletePod(junk)).not.toThrow();
      expect(() => state.upsertNode(junk)).not.toThrow();
      expect(() => state.deleteNode(junk)).not.toThrow();
      expect(() => state.upsertScheduledSparkApp(junk)).not.toThrow();
    }
    expect(state.snapshot(1).pods.size).toBe(0);
  });
});

describe('ClusterState urgent trigger', () => {
  it('fires once for pods that become unschedulable, batching a burst', async () => {
    const { state } = setup();
    const seen: (readonly PodView[])[] = [];
    state.onUrgent((pods) => seen.push(pods));
    state.upsertPod(pod('a', { role: 'executor', uid: 'a', pending: { reason: 'Unschedulable' } }));
    state.upsertPod(pod('b', { role: 'executor', uid: 'b', pending: { reason: 'Unschedulable' } }));
    await flush();
    expect(seen.map((batch) => batch.map((p) => p.name))).toEqual([['a', 'b']]);
    // An update of a pod that was already unschedulable is not news.
    state.upsertPod(pod('a', { role: 'executor', uid: 'a', pending: { reason: 'Unschedulable' } }));
    await flush();
    expect(seen).toHaveLength(1);
  });

  it('ignores quota-held pods and scheduled pods', async () => {
    const { state } = setup();
    let calls = 0;
    state.onUrgent(() => calls++);
    state.upsertPod(pod('q', { role: 'executor', pending: { reason: 'SchedulingSkipped' } }));
    state.upsertPod(pod('r', { role: 'executor', node: 'n1' }));
    await flush();
    expect(calls).toBe(0);
  });

  it('keeps going when a listener throws', async () => {
    const { state } = setup();
    let second = 0;
    state.onUrgent(() => {
      throw new Error('boom');
    });
    state.onUrgent(() => second++);
    state.upsertPod(pod('a', { pending: { reason: 'Unschedulable' } }));
    await flush();
    expect(second).toBe(1);
  });
});

describe('ClusterState sync and health', () => {
  it('is not synced until every required source has listed', async () => {
    const { state } = setup();
    expect(state.synced()).toBe(false);
    expect(state.health()).toMatchObject({ stale: true, reason: 'no watches registered' });
    const pods = state.source('pods');
    const nodes = state.source('nodes');
    state.source('sparkapplications', { required: false });
    const waiting = state.waitForSync(1000);
    pods.listed();
    expect(state.synced()).toBe(false);
    expect(state.health().reason).toBe('nodes not listed yet');
    nodes.listed();
    expect(state.synced()).toBe(true);
    await expect(waiting).resolves.toBe(true);
  });

  it('times out waiting for sync', async () => {
    const { state } = setup();
    state.source('pods');
    await expect(state.waitForSync(10)).resolves.toBe(false);
  });

  it('turns stale when a required watch is down too long, and fresh when it reconnects', () => {
    const { state, clock } = setup();
    const pods = state.source('pods');
    pods.listed();
    pods.connected();
    expect(state.health().stale).toBe(false);
    pods.disconnected(new Error('connection reset'));
    clock.advance(5_000);
    expect(state.health().stale).toBe(false);
    clock.advance(6_000);
    const h = state.health();
    expect(h.stale).toBe(true);
    expect(h.sources.pods!.lastError).toBe('connection reset');
    expect(h.reason).toBe('pods watch down 11 s: connection reset');
    pods.connected();
    pods.listed();
    expect(state.health()).toMatchObject({ stale: false, reason: undefined, relists: { pods: 1 } });
  });

  it('reports the age of the last event per resource', () => {
    const { state, clock } = setup();
    const nodes = state.source('nodes');
    expect(state.health().lastEventAgeSeconds.nodes).toBeNull();
    nodes.listed();
    clock.advance(2500);
    expect(state.health().lastEventAgeSeconds.nodes).toBe(2.5);
  });
});
