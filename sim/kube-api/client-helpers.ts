/**
 * Small helpers for driving the test API server through @kubernetes/client-node 2.x in tests:
 * patch content types, typed error expectations, a watch that collects events, polling.
 */
import {
  ApiException,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type KubeConfig,
} from '@kubernetes/client-node';
import { expect } from 'vitest';

/** Client-node sends JSON patch by default; pass this as the options argument for a merge patch. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
export const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

/** Expect a rejected API call with this HTTP code and Status reason; returns the Status body. */
export async function expectApiError(call: Promise<unknown>, code: number, reason: string) {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected HTTP ${code} ${reason}`).toBeInstanceOf(ApiException);
  const apiErr = err as ApiException<unknown>;
  expect(apiErr.code).toBe(code);
  const body = typeof apiErr.body === 'string' ? JSON.parse(apiErr.body) : apiErr.body;
  const status = body as { kind: string; code: number; reason: string; message: string };
  expect(status).toMatchObject({ kind: 'Status', code, reason });
  return status;
}

export interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string };
}

/** A watch that records what arrives and how it ended. */
export async function collectWatch(
  kc: KubeConfig,
  path: string,
  query: Record<string, string | boolean> = {},
) {
  const events: WatchEvent[] = [];
  let ended: { err: unknown } | undefined;
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object) => events.push({ type, object }),
    (err) => {
      ended = { err };
    },
  );
  return {
    events,
    ended: () => ended,
    stop: () => controller.abort(),
  };
}

/** Poll until `check` returns true (or throw after `timeoutMs`). */
export async function waitFor(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
