/**
 * Carries out a Plan through a Provider, re-checking every decision against fresh state first
 * (cluster-autoscaler keeps planner and actuator apart; karpenter re-validates before acting).
 *
 * Scale-out: target = plan target clamped to [min, max]; skipped when the provider's current
 * target already covers it. scaleUpTo is absolute, so a retry after an error whose request in
 * fact landed adds nothing; between attempts the target is re-read and a reached target ends the
 * retries as applied.
 * Scale-in: only nodes the plan names; each is dropped when it is gone, in another group, or now
 * runs an executor (or a driver, in the driver group); never below min. With a cordoner, the
 * kept nodes are cordoned, the actuator waits `settleMs`, re-validates on fresh state again
 * (a pod bound just before the cordon shows up by then) and uncordons what it drops.
 * System groups and groups with scale-in disabled are never shrunk.
 * Groups are handled concurrently; results come back in plan order. Never throws for a decision:
 * failures become results with outcome `failed`.
 */
import type { Config, NodeGroupConfig } from '../config/types.js';
import type { GroupDecision, Plan } from '../decide/plan.js';
import type { ClusterSnapshot } from '../state/snapshot.js';
import type { Provider } from '../providers/provider.js';
import type { Clock } from '../clock.js';
import type { EventRecorder, ScaleEventReason } from '../events/event-recorder.js';
import type { ActuationResult, DroppedNode, SkipReason } from './result.js';
import type { NodeCordoner } from './cordon.js';
import {
  defaultRetryPolicy,
  errorText,
  realSleep,
  withRetry,
  type RetryPolicy,
  type Sleep,
} from './retry.js';
import { removableNodes } from './validate.js';
import { untraced, type ActionTracer, type ScaleActionInfo } from './action-trace.js';
import { silentLogger, type Logger } from '../logger.js';

export interface ActuatorDeps {
  readonly provider: Provider;
  readonly config: Config;
  readonly clock: Clock;
  readonly events?: EventRecorder;
  readonly logger?: Logger;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly retry?: RetryPolicy;
  /** Cordon nodes before removing them and re-validate after `settleMs` (default 2000). */
  readonly cordoner?: NodeCordoner;
  readonly settleMs?: number;
  /**
   * Wraps each provider write (with its retries) so telemetry can put it in a span; the default
   * runs it as is. Kept as a seam so actuation does not depend on a tracing library.
   */
  readonly traceAction?: ActionTracer;
}

type Base = Pick<ActuationResult, 'group' | 'requested'> & { started: number };

/** One decision being carried out. */
interface Ctx {
  readonly base: Base;
  readonly group: NodeGroupConfig;
  readonly d: GroupDecision;
}

interface Failure {
  readonly action: 'scale-out' | 'scale-in';
  readonly from: number;
  /** The target the failed action aimed at (for the event). */
  readonly to: number;
  readonly error: unknown;
  readonly attempts: number;
  readonly droppedNodes?: DroppedNode[];
}

export class Actuator {
  private readonly logger: Logger;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly retry: RetryPolicy;

  constructor(private readonly deps: ActuatorDeps) {
    this.logger = deps.logger ?? silentLogger;
    this.sleep = deps.sleep ?? realSleep;
    this.random = deps.random ?? Math.random;
    this.retry = deps.retry ?? defaultRetryPolicy;
  }

  apply(plan: Plan, fresh: () => ClusterSnapshot): Promise<ActuationResult[]> {
    return Promise.all(plan.decisions.map((d) => this.applyOne(d, fresh)));
  }

  private async applyOne(d: GroupDecision, fresh: () => ClusterSnapshot): Promise<ActuationResult> {
    const base: Base = { group: d.group, requested: d.target, started: this.deps.clock.now() };
    const group = this.deps.config.nodeGroups.find((g) => g.name === d.group);
    if (!group) return this.skip(base, 'none', d.current, 'unknown-group');
    const wantsOut = d.target > d.current;
    const wantsIn = !wantsOut && d.removeNodes.length > 0;
    if (!wantsOut && !wantsIn)
      return this.skip(base, 'none', d.current, d.target < d.current ? 'no-nodes-named' : 'steady');
    if (group.role === 'system')
      return this.skip(base, wantsOut ? 'scale-out' : 'scale-in', d.current, 'static-group');
    try {
      const ctx: Ctx = { base, group, d };
      return wantsOut ? await this.scaleOut(ctx) : await this.scaleIn(ctx, fresh);
    } catch (err) {
      this.logger.error(`actuation of ${d.group} failed unexpectedly`, {
        group: d.group,
        error: errorText(err),
      });
      return this.result(base, {
        action: wantsOut ? 'scale-out' : 'scale-in',
        outcome: 'failed',
        from: d.current,
        to: d.current,
        error: errorText(err),
        cause: err,
      });
    }
  }

  private async scaleOut(ctx: Ctx): Promise<ActuationResult> {
    const { base, group, d } = ctx;
    const target = Math.min(Math.max(d.target, group.min), group.max);
    const read = await this.readTarget(group);
    if (!read.ok) return this.fail(ctx, { action: 'scale-out', from: d.current, to: target, ...read });
    const from = read.value;
    if (from >= target) return this.skip(base, 'scale-out', from, 'already-satisfied');
    const reached = async () => (await this.deps.provider.targetSize(group)) >= target;
    const reasons = d.reasons.map((r) => r.code);
    const run = await this.traced({ group: group.name, direction: 'out', from, to: target, reasons }, () =>
      withRetry(
        this.retry,
        this.sleep,
        this.random,
        () => this.deps.provider.scaleUpTo(group, target),
        reached,
      ),
    );
    if (!run.ok) return this.fail(ctx, { action: 'scale-out', from, to: target, ...run });
    await this.event(ctx, { reason: 'ScaledOut', from, to: target });
    return this.result(base, {
      action: 'scale-out',
      outcome: 'applied',
      from,
      to: target,
      attempts: run.attempts,
    });
  }

  private async scaleIn(ctx: Ctx, fresh: () => ClusterSnapshot): Promise<ActuationResult> {
    const { base, group, d } = ctx;
    if (!group.scaleIn.enabled) return this.skip(base, 'scale-in', d.current, 'scale-in-disabled');
    const first = removableNodes(group, d.removeNodes, fresh());
    const dropped: DroppedNode[] = [...first.dropped];
    const read = await this.readTarget(group);
    if (!read.ok)
      return this.fail(ctx, {
        action: 'scale-in',
        from: d.current,
        to: d.target,
        droppedNodes: dropped,
        ...read,
      });
    const from = read.value;
    const allowed = Math.max(0, from - group.min);
    let kept = first.kept.slice(0, allowed);
    for (const node of first.kept.slice(allowed)) dropped.push({ node, reason: 'min-size' });
    const cordoned = await this.cordon(kept, dropped);
    kept = kept.filter((n) => !dropped.some((x) => x.node === n));
    if (this.deps.cordoner && kept.length > 0) {
      await this.sleep(this.deps.settleMs ?? 2000);
      const again = removableNodes(group, kept, fresh());
      dropped.push(...again.dropped);
      await this.uncordon(again.dropped.map((x) => x.node).filter((n) => cordoned.has(n)));
      kept = again.kept;
    }
    if (kept.length === 0) return this.skip(base, 'scale-in', from, 'no-removable-nodes', dropped);
    const action = {
      group: group.name,
      direction: 'in' as const,
      from,
      to: from - kept.length,
      reasons: d.reasons.map((r) => r.code),
      nodes: kept,
    };
    const run = await this.traced(action, () =>
      withRetry(this.retry, this.sleep, this.random, () => this.deps.provider.deleteNodes(group, kept)),
    );
    if (!run.ok) {
      await this.uncordon(kept.filter((n) => cordoned.has(n)));
      return this.fail(ctx, {
        action: 'scale-in',
        from,
        to: from - kept.length,
        droppedNodes: dropped,
        ...run,
      });
    }
    const to = from - kept.length;
    await this.event(ctx, { reason: 'ScaledIn', from, to, extra: `removed ${kept.join(', ')}` });
    return this.result(base, {
      action: 'scale-in',
      outcome: 'applied',
      from,
      to,
      removedNodes: kept,
      droppedNodes: dropped,
      attempts: run.attempts,
    });
  }

  private traced<T>(action: ScaleActionInfo, fn: () => Promise<T>): Promise<T> {
    return (this.deps.traceAction ?? untraced)(action, fn);
  }

  private async readTarget(group: NodeGroupConfig) {
    let value = 0;
    const run = await withRetry(this.retry, this.sleep, this.random, async () => {
      value = await this.deps.provider.targetSize(group);
    });
    return run.ok ? { ok: true as const, value } : { ok: false as const, error: run.error, attempts: 0 };
  }

  /** Cordons nodes (when a cordoner is set); a node that cannot be cordoned is dropped. */
  private async cordon(nodes: readonly string[], dropped: DroppedNode[]): Promise<Set<string>> {
    const changed = new Set<string>();
    if (!this.deps.cordoner) return changed;
    for (const node of nodes) {
      try {
        if (await this.deps.cordoner.cordon(node)) changed.add(node);
      } catch (err) {
        this.logger.warn(`could not cordon ${node}; not removing it`, { node, error: errorText(err) });
        dropped.push({ node, reason: 'cordon-failed' });
      }
    }
    return changed;
  }

  private async uncordon(nodes: readonly string[]): Promise<void> {
    for (const node of nodes) {
      await this.deps.cordoner?.uncordon(node).catch((err: unknown) => {
        this.logger.warn(`could not uncordon ${node}`, { node, error: errorText(err) });
      });
    }
  }

  private async fail(ctx: Ctx, f: Failure): Promise<ActuationResult> {
    const error = errorText(f.error);
    this.logger.warn(`${f.action} of ${ctx.group.name} failed after ${f.attempts} attempt(s)`, {
      group: ctx.group.name,
      error,
    });
    await this.event(ctx, { reason: 'ScaleFailed', from: f.from, to: f.to, error });
    const { action, from, attempts, droppedNodes = [] } = f;
    return this.result(ctx.base, {
      action,
      outcome: 'failed',
      from,
      to: from,
      error,
      cause: f.error,
      attempts,
      droppedNodes,
    });
  }

  private async event(
    ctx: Ctx,
    e: { reason: ScaleEventReason; from: number; to: number; extra?: string; error?: string },
  ): Promise<void> {
    if (!this.deps.events) return;
    const reasons = ctx.d.reasons.map((r) => r.message);
    if (e.extra) reasons.push(e.extra);
    const object = this.deps.provider.scaledObject?.(ctx.group);
    const { reason, from, to, error } = e;
    await this.deps.events
      .record({ object, group: ctx.group.name, reason, from, to, reasons, error })
      .catch(() => {});
  }

  private skip(
    base: Base,
    action: ActuationResult['action'],
    at: number,
    skipReason: SkipReason,
    droppedNodes: DroppedNode[] = [],
  ) {
    return this.result(base, { action, outcome: 'skipped', from: at, to: at, skipReason, droppedNodes });
  }

  private result(
    base: Base,
    r: Partial<ActuationResult> & Pick<ActuationResult, 'action' | 'outcome' | 'from' | 'to'>,
  ): ActuationResult {
    return {
      group: base.group,
      requested: base.requested,
      removedNodes: [],
      droppedNodes: [],
      attempts: 0,
      ...r,
      durationMs: this.deps.clock.now() - base.started,
    };
  }
}
