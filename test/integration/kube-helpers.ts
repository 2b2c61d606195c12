/** Shared pieces of the kube-* integration tests (real client-node against the test API server). */
import type { KubeApiServer } from '../../sim/kube-api/server.js';
import type { ClusterSnapshot } from '../../agent/state/snapshot.js';

/** Polls `check` until it returns true (or a truthy value); fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** "namespace/name" of every pod the server holds, sorted. */
export function serverPods(api: KubeApiServer): string[] {
  return api
    .list('pods')
    .map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)
    .sort();
}

export function snapshotPods(snap: ClusterSnapshot): string[] {
  return [...snap.pods.values()].map((p) => `${p.namespace}/${p.name}`).sort();
}

export function pendingPods(snap: ClusterSnapshot): string[] {
  return [...snap.pods.values()]
    .filter((p) => p.unschedulableSince !== null)
    .map((p) => p.name)
    .sort();
}
