/**
 * Retrying provider calls: bounded attempts, exponential backoff with jitter, and an injectable
 * sleep so tests run instantly. Only transient errors are retried: no status (network, timeout),
 * 408, 409 (conflict: re-read and try again), 429 and 5xx. Other 4xx (and config errors) fail at once.
 */
import { backoffDelay } from '../state/backoff.js';
import { statusOf } from '../providers/errors.js';

export interface RetryPolicy {
  /** Total attempts including the first. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function isRetryable(err: unknown): boolean {
  const status = statusOf(err);
  if (status === undefined) return true;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Runs `attempt` until it succeeds, fails permanently, or attempts run out. `between` runs after
 * each failed attempt's backoff, before the next; when it returns true the work is already done
 * (e.g. the target turned out to be reached) and the loop ends successfully.
 */
export async function withRetry(
  policy: RetryPolicy,
  sleep: Sleep,
  random: () => number,
  attempt: () => Promise<void>,
  between: () => Promise<boolean> = async () => false,
): Promise<{ ok: true; attempts: number } | { ok: false; attempts: number; error: unknown }> {
  for (let n = 1; ; n += 1) {
    try {
      await attempt();
      return { ok: true, attempts: n };
    } catch (error) {
      if (!isRetryable(error) || n >= policy.attempts) return { ok: false, attempts: n, error };
      await sleep(backoffDelay(n, policy.baseDelayMs, policy.maxDelayMs, random));
      if (await between().catch(() => false)) return { ok: true, attempts: n };
    }
  }
}
