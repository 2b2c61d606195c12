/**
 * A Provider for tests, after karpenter's fake cloud provider: it keeps target sizes in memory,
 * records every call, and fails on demand. `failNext` can fail before acting (the call did
 * nothing) or after acting (the call took effect but the caller sees an error, like a timeout
 * whose request landed), which is what idempotency tests need.
 *
 *   const provider = new FakeProvider({ 'spark-executor': 3 });
 *   provider.failNext('scaleUpTo', { afterEffect: true });
 *   ...
 *   expect(provider.callsTo('scaleUpTo')).toHaveLength(2);
 */
import type { NodeGroupConfig } from '../../agent/config/types.js';
import type { ObjectReference, Provider } from '../../agent/providers/provider.js';

export type ProviderMethod = 'targetSize' | 'scaleUpTo' | 'deleteNodes';

export interface FakeCall {
  readonly method: ProviderMethod;
  readonly group: string;
  /** scaleUpTo: the size asked for. */
  readonly size?: number;
  /** deleteNodes: the nodes asked for. */
  readonly nodes?: readonly string[];
}

interface Failure {
  readonly method: ProviderMethod | '*';
  readonly error: Error;
  readonly afterEffect: boolean;
  remaining: number;
}

/** An error carrying an HTTP-like status, as Kubernetes client errors do. */
export class FakeApiError extends Error {
  constructor(
    readonly code: number,
    message = `fake API error ${code}`,
  ) {
    super(message);
  }
}

export class FakeProvider implements Provider {
  readonly kind = 'fake';
  readonly calls: FakeCall[] = [];
  /** Nodes actually removed, in order. */
  readonly deleted: string[] = [];
  private readonly targets = new Map<string, number>();
  private failures: Failure[] = [];

  constructor(
    initial: Record<string, number> = {},
    private readonly objectRef?: (group: NodeGroupConfig) => ObjectReference | undefined,
  ) {
    for (const [g, n] of Object.entries(initial)) this.targets.set(g, n);
  }

  /** Sets a group's target, as if someone else (or a restart) had changed it. */
  setTarget(group: string, size: number): void {
    this.targets.set(group, size);
  }

  target(group: string): number {
    return this.targets.get(group) ?? 0;
  }

  /**
   * The next `times` (default 1) calls to `method` ('*' for any) throw `error` (default a 503).
   * With `afterEffect`, the call takes effect first and then throws.
   */
  failNext(
    method: ProviderMethod | '*',
    opts: { error?: Error; afterEffect?: boolean; times?: number } = {},
  ): void {
    this.failures.push({
      method,
      error: opts.error ?? new FakeApiError(503, 'injected: service unavailable'),
      afterEffect: opts.afterEffect ?? false,
      remaining: opts.times ?? 1,
    });
  }

  callsTo(method: ProviderMethod): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async targetSize(group: NodeGroupConfig): Promise<number> {
    return this.run({ method: 'targetSize', group: group.name }, () => this.target(group.name));
  }

  async scaleUpTo(group: NodeGroupConfig, size: number): Promise<void> {
    return this.run({ method: 'scaleUpTo', group: group.name, size }, () => {
      if (size > this.target(group.name)) this.targets.set(group.name, size);
    });
  }

  async deleteNodes(group: NodeGroupConfig, nodeNames: readonly string[]): Promise<void> {
    return this.run({ method: 'deleteNodes', group: group.name, nodes: [...nodeNames] }, () => {
      const fresh = nodeNames.filter((n) => !this.deleted.includes(n));
      this.deleted.push(...fresh);
      this.targets.set(group.name, Math.max(0, this.target(group.name) - fresh.length));
    });
  }

  scaledObject(group: NodeGroupConfig): ObjectReference | undefined {
    return this.objectRef?.(group);
  }

  private run<T>(call: FakeCall, effect: () => T): T {
    this.calls.push(call);
    const failure = this.failures.find(
      (f) => f.remaining > 0 && (f.method === '*' || f.method === call.method),
    );
    if (failure) {
      failure.remaining -= 1;
      this.failures = this.failures.filter((f) => f.remaining > 0);
      if (failure.afterEffect) effect();
      throw failure.error;
    }
    return effect();
  }
}
