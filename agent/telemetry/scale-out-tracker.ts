/**
 * Follows one scale-out per node group as a single trace: it starts when the group first has
 * unschedulable pods (or at a scale-out request with none, e.g. forecast-driven), records an event
 * for each scale request and each new Ready node, and ends when the group has as many Ready nodes
 * as requested. The completion carries the measured latency and the trace id, which becomes the
 * exemplar of the latency histogram, so a slow sample on a dashboard opens its trace.
 *
 * Latency is measured whether or not tracing is on; times are the loop's (injected) epoch ms.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { Span, SpanContext, Tracer } from '@opentelemetry/api';
import {
  ATTR_GROUP,
  ATTR_SCALE_FROM,
  ATTR_SCALE_REASONS,
  ATTR_SCALE_TO,
  recordedTraceId,
} from './tick-trace.js';

export const SPAN_SCALE_OUT = 'nodecast.scale_out';
export const EVENT_PENDING = 'pods.unschedulable';
export const EVENT_REQUESTED = 'scale.requested';
export const EVENT_NODE_READY = 'node.ready';
export const ATTR_OUTCOME = 'nodecast.scale_out.outcome';
export const ATTR_NODE = 'k8s.node.name';

/** What the tracker needs to know about a group at each tick. */
export interface GroupProgress {
  readonly group: string;
  /** Epoch ms the oldest unschedulable (not quota-held) pod of the group became so; null if none. */
  readonly firstPendingAt: number | null;
  /** Names of the group's Ready nodes. */
  readonly readyNodes: readonly string[];
}

export interface ScaleRequest {
  readonly from: number;
  readonly to: number;
  readonly reasons?: readonly string[];
}

export interface ScaleOutCompletion {
  readonly group: string;
  /** Trace of the scale-out; undefined when tracing is off. */
  readonly traceId: string | undefined;
  /** First scale request -> all requested nodes Ready. */
  readonly latencySeconds: number;
  /** First unschedulable pod -> all requested nodes Ready; undefined for scale-outs without pending pods. */
  readonly sincePendingSeconds: number | undefined;
  readonly readyNodes: number;
}

interface Active {
  readonly span: Span;
  readonly startedAt: number;
  readonly pendingAt: number | undefined;
  readonly known: Set<string>;
  requestedAt?: number;
  target?: number;
}

export class ScaleOutTracker {
  private readonly active = new Map<string, Active>();
  private readonly lastReady = new Map<string, readonly string[]>();
  private readonly timeoutMs: number;

  /** `timeoutMs`: give up on a scale-out that never completes (default 1 h). */
  constructor(
    private readonly tracer: Tracer,
    opts: { timeoutMs?: number } = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 3_600_000;
  }

  /** Call once per tick per group with fresh state. Returns a completion when a scale-out finished. */
  observe(p: GroupProgress, now: number): ScaleOutCompletion | undefined {
    this.lastReady.set(p.group, p.readyNodes);
    let a = this.active.get(p.group);
    if (!a) {
      if (p.firstPendingAt === null) return undefined;
      a = this.begin(p.group, p.firstPendingAt, p.readyNodes, true);
      a.span.addEvent(EVENT_PENDING, {}, p.firstPendingAt);
    }
    for (const node of p.readyNodes) {
      if (a.known.has(node)) continue;
      a.known.add(node);
      a.span.addEvent(EVENT_NODE_READY, { [ATTR_NODE]: node }, now);
    }
    if (a.requestedAt !== undefined && a.target !== undefined && p.readyNodes.length >= a.target) {
      return this.complete(p.group, a, p.readyNodes.length, now);
    }
    if (a.requestedAt === undefined && p.firstPendingAt === null) {
      this.finish(p.group, a, 'scheduled-without-scale-out', now);
    } else if (now - a.startedAt > this.timeoutMs) {
      this.finish(p.group, a, 'timeout', now, true);
    }
    return undefined;
  }

  /** The actuator asked the provider for `to` nodes (from `from`). */
  requested(group: string, req: ScaleRequest, now: number): void {
    const a = this.active.get(group) ?? this.begin(group, now, this.lastReady.get(group) ?? [], false);
    a.requestedAt ??= now;
    a.target = req.to;
    a.span.addEvent(
      EVENT_REQUESTED,
      {
        [ATTR_SCALE_FROM]: req.from,
        [ATTR_SCALE_TO]: req.to,
        [ATTR_SCALE_REASONS]: [...(req.reasons ?? [])],
      },
      now,
    );
  }

  /** The span context of the group's scale-out in progress, to link scale-action spans to it. */
  spanContext(group: string): SpanContext | undefined {
    return this.active.get(group)?.span.spanContext();
  }

  /** Trace id of the group's scale-out in progress, when it is being recorded. */
  traceId(group: string): string | undefined {
    const a = this.active.get(group);
    return a ? recordedTraceId(a.span) : undefined;
  }

  /** Groups with a scale-out in progress. */
  inProgress(): readonly string[] {
    return [...this.active.keys()];
  }

  /** Ends every open span (agent shutdown or leadership lost). */
  closeAll(now: number, outcome = 'abandoned'): void {
    for (const [group, a] of this.active) this.finish(group, a, outcome, now);
  }

  private begin(group: string, at: number, ready: readonly string[], fromPending: boolean): Active {
    const span = this.tracer.startSpan(SPAN_SCALE_OUT, {
      root: true,
      startTime: at,
      attributes: { [ATTR_GROUP]: group },
    });
    const a: Active = { span, startedAt: at, pendingAt: fromPending ? at : undefined, known: new Set(ready) };
    this.active.set(group, a);
    return a;
  }

  private complete(group: string, a: Active, ready: number, now: number): ScaleOutCompletion {
    const traceId = recordedTraceId(a.span);
    this.finish(group, a, 'ready', now);
    return {
      group,
      traceId,
      latencySeconds: (now - (a.requestedAt ?? now)) / 1000,
      sincePendingSeconds: a.pendingAt === undefined ? undefined : (now - a.pendingAt) / 1000,
      readyNodes: ready,
    };
  }

  private finish(group: string, a: Active, outcome: string, now: number, failed = false): void {
    a.span.setAttribute(ATTR_OUTCOME, outcome);
    if (failed) a.span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    a.span.end(now);
    this.active.delete(group);
  }
}
