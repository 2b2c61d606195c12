import { ProxyTracerProvider, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { TICK_STAGES } from './catalog.js';
import {
  ATTR_GROUP,
  ATTR_SCALE_FROM,
  ATTR_SCALE_REASONS,
  ATTR_SCALE_TO,
  ATTR_TICK_TRIGGER,
  SPAN_SCALE_ACTION,
  SPAN_TICK,
  spanNameOfStage,
  startTickTrace,
  traceScaleAction,
} from './tick-trace.js';

function inMemoryTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer('test'), spans: () => exporter.getFinishedSpans() };
}

const byName = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

describe('tick traces', () => {
  it('makes one tick span with a child span per stage, in the same trace', async () => {
    const { tracer, spans } = inMemoryTracer();
    const tick = startTickTrace(tracer, { trigger: 'event', clock: new ManualClock(42_000) });
    for (const stage of TICK_STAGES) await tick.stage(stage, () => stage.length);
    const record = tick.end();

    const [root] = byName(spans(), SPAN_TICK);
    expect(root?.attributes[ATTR_TICK_TRIGGER]).toBe('event');
    expect(root?.parentSpanContext).toBeUndefined();
    expect(tick.traceId).toBe(root?.spanContext().traceId);
    for (const stage of TICK_STAGES) {
      const [child] = byName(spans(), spanNameOfStage(stage));
      expect(parentOf(child!)).toBe(root?.spanContext().spanId);
      expect(child?.spanContext().traceId).toBe(tick.traceId);
    }
    expect(Object.keys(record.stages).sort()).toEqual([...TICK_STAGES].sort());
    expect(record.finishedAt).toBe(42_000);
    expect(record.failedStage).toBeUndefined();
  });

  it('returns stage results, marks a failing stage and its tick, and rethrows', async () => {
    const { tracer, spans } = inMemoryTracer();
    const tick = startTickTrace(tracer);
    expect(await tick.stage('observe', async () => 'snapshot')).toBe('snapshot');
    await expect(
      tick.stage('actuate', () => {
        throw new Error('provider down');
      }),
    ).rejects.toThrow('provider down');
    const record = tick.end();
    expect(tick.end()).toBe(record);

    expect(record.failedStage).toBe('actuate');
    const [actuate] = byName(spans(), 'nodecast.actuate');
    expect(actuate?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'provider down' });
    expect(actuate?.events.map((e) => e.name)).toContain('exception');
    expect(byName(spans(), SPAN_TICK)[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(byName(spans(), 'nodecast.observe')[0]?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('nests scale-action spans under the stage and carries group, sizes, reasons and a link', async () => {
    const { tracer, spans } = inMemoryTracer();
    const tick = startTickTrace(tracer);
    const link = { traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: 'bbbbbbbbbbbbbbbb', traceFlags: 1 };
    await tick.stage('actuate', (ctx) =>
      traceScaleAction(
        tracer,
        { group: 'spark-executor', direction: 'out', from: 2, to: 9, reasons: ['pending-pods', 'forecast'] },
        async () => undefined,
        { parent: ctx, link },
      ),
    );
    tick.end();
    const [action] = byName(spans(), SPAN_SCALE_ACTION);
    const [actuate] = byName(spans(), 'nodecast.actuate');
    expect(parentOf(action!)).toBe(actuate?.spanContext().spanId);
    expect(action?.attributes).toMatchObject({
      [ATTR_GROUP]: 'spark-executor',
      [ATTR_SCALE_FROM]: 2,
      [ATTR_SCALE_TO]: 9,
      [ATTR_SCALE_REASONS]: ['pending-pods', 'forecast'],
    });
    expect(action?.links[0]?.context.traceId).toBe(link.traceId);
  });

  it('records a failed scale action as an error and rethrows', async () => {
    const { tracer, spans } = inMemoryTracer();
    const action = {
      group: 'g',
      direction: 'in' as const,
      from: 5,
      to: 4,
      reasons: ['idle-node'],
      nodes: ['n1'],
    };
    await expect(traceScaleAction(tracer, action, () => Promise.reject(new Error('409')))).rejects.toThrow(
      '409',
    );
    expect(spans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans()[0]?.attributes['nodecast.scale.nodes']).toEqual(['n1']);
  });

  it('still measures stages with the no-op tracer, and reports no trace id', async () => {
    const tracer = new ProxyTracerProvider().getTracer('off');
    const tick = startTickTrace(tracer);
    await tick.stage('decide', () => new Promise((r) => setTimeout(r, 15)));
    const record = tick.end();
    expect(tick.traceId).toBeUndefined();
    expect(record.stages.decide).toBeGreaterThanOrEqual(0.01);
  });
});
