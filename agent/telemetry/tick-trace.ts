/**
 * Spans of the control loop: one per tick with a child per stage (observe, forecast, decide,
 * actuate, export), and one per scale action. Stage durations are measured whether or not tracing
 * is on, so the same object feeds the tick-duration histogram (`recordTick(metrics, tick.end())`).
 */
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Context, Span, SpanContext, Tracer } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { TickStage } from './catalog.js';
import type { TickRecord } from './record.js';

export const SPAN_TICK = 'nodecast.tick';
export const SPAN_SCALE_ACTION = 'nodecast.scale_action';
export const spanNameOfStage = (stage: TickStage): string => `nodecast.${stage}`;

export const ATTR_GROUP = 'nodecast.group';
export const ATTR_TICK_TRIGGER = 'nodecast.tick.trigger';
export const ATTR_SCALE_DIRECTION = 'nodecast.scale.direction';
export const ATTR_SCALE_FROM = 'nodecast.scale.from';
export const ATTR_SCALE_TO = 'nodecast.scale.to';
export const ATTR_SCALE_REASONS = 'nodecast.scale.reasons';
export const ATTR_SCALE_NODES = 'nodecast.scale.nodes';

/** What woke the loop: the periodic timer or a watch event (a new unschedulable pod). */
export type TickTrigger = 'timer' | 'event';

export interface TickTrace {
  /** The tick span's context: the parent of the stage spans. */
  readonly context: Context;
  /** Trace id when the tick is recorded, undefined when tracing is off. */
  readonly traceId: string | undefined;
  /**
   * Runs one stage inside its child span (also made the active context, so spans started inside
   * without an explicit parent nest under it). A throw marks span and tick as failed and is rethrown.
   */
  stage<T>(stage: TickStage, fn: (ctx: Context) => T | Promise<T>): Promise<T>;
  /** Ends the tick span; returns what `recordTick` needs. Idempotent. */
  end(): TickRecord;
}

export function startTickTrace(
  tracer: Tracer,
  opts: { trigger?: TickTrigger; clock?: Clock; parent?: Context } = {},
): TickTrace {
  const clock = opts.clock ?? systemClock;
  const span = tracer.startSpan(
    SPAN_TICK,
    { attributes: { [ATTR_TICK_TRIGGER]: opts.trigger ?? 'timer' } },
    opts.parent ?? context.active(),
  );
  const tickContext = trace.setSpan(opts.parent ?? context.active(), span);
  const stages: Partial<Record<TickStage, number>> = {};
  let failedStage: TickStage | undefined;
  let record: TickRecord | undefined;

  return {
    context: tickContext,
    traceId: recordedTraceId(span),
    async stage<T>(stage: TickStage, fn: (ctx: Context) => T | Promise<T>): Promise<T> {
      const child = tracer.startSpan(spanNameOfStage(stage), {}, tickContext);
      const ctx = trace.setSpan(tickContext, child);
      const started = performance.now();
      try {
        return await context.with(ctx, () => fn(ctx));
      } catch (err) {
        failedStage ??= stage;
        markFailed(child, err);
        throw err;
      } finally {
        stages[stage] = (stages[stage] ?? 0) + (performance.now() - started) / 1000;
        child.end();
      }
    },
    end(): TickRecord {
      if (record) return record;
      if (failedStage) span.setStatus({ code: SpanStatusCode.ERROR, message: `stage ${failedStage} failed` });
      span.end();
      record = { finishedAt: clock.now(), stages: { ...stages }, ...(failedStage ? { failedStage } : {}) };
      return record;
    },
  };
}

/** What a scale-action span describes: the actuator's own description of the write. */
export type { ScaleActionInfo } from '../actuate/action-trace.js';
import type { ScaleActionInfo } from '../actuate/action-trace.js';

/**
 * Runs one provider call inside a scale-action span. `parent` defaults to the active context (the
 * actuate stage when called inside `tick.stage('actuate', ...)`); `link` points at the scale-out
 * trace of ScaleOutTracker so the two traces reach each other.
 */
export async function traceScaleAction<T>(
  tracer: Tracer,
  action: ScaleActionInfo,
  fn: () => Promise<T>,
  opts: { parent?: Context; link?: SpanContext } = {},
): Promise<T> {
  const span = tracer.startSpan(
    SPAN_SCALE_ACTION,
    {
      attributes: {
        [ATTR_GROUP]: action.group,
        [ATTR_SCALE_DIRECTION]: action.direction,
        [ATTR_SCALE_FROM]: action.from,
        [ATTR_SCALE_TO]: action.to,
        [ATTR_SCALE_REASONS]: [...action.reasons],
        ...(action.nodes ? { [ATTR_SCALE_NODES]: [...action.nodes] } : {}),
      },
      ...(opts.link ? { links: [{ context: opts.link }] } : {}),
    },
    opts.parent ?? context.active(),
  );
  try {
    return await context.with(trace.setSpan(opts.parent ?? context.active(), span), fn);
  } catch (err) {
    markFailed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function markFailed(span: Span, err: unknown): void {
  if (!span.isRecording()) return;
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** The trace id of a span that is being recorded; undefined for no-op spans. */
export function recordedTraceId(span: Span): string | undefined {
  return span.isRecording() ? span.spanContext().traceId : undefined;
}
