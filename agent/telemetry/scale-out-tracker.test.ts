import { ProxyTracerProvider, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  ATTR_OUTCOME,
  EVENT_NODE_READY,
  EVENT_PENDING,
  EVENT_REQUESTED,
  ScaleOutTracker,
  SPAN_SCALE_OUT,
} from './scale-out-tracker.js';

const T0 = Date.UTC(2024, 0, 1);
const s = (seconds: number) => T0 + seconds * 1000;
const ms = (hr: [number, number]) => hr[0] * 1000 + hr[1] / 1e6;

function setup(opts: { timeoutMs?: number } = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracker = new ScaleOutTracker(provider.getTracer('test'), opts);
  return { tracker, spans: (): ReadableSpan[] => exporter.getFinishedSpans() };
}

const progress = (firstPendingAt: number | null, readyNodes: string[]) => ({
  group: 'exec',
  firstPendingAt,
  readyNodes,
});

describe('ScaleOutTracker', () => {
  it('follows one scale-out from the first pending pod to all requested nodes Ready', () => {
    const { tracker, spans } = setup();
    expect(tracker.observe(progress(null, ['a', 'b']), s(0))).toBeUndefined();
    expect(tracker.observe(progress(s(5), ['a', 'b']), s(10))).toBeUndefined();
    tracker.requested('exec', { from: 2, to: 4, reasons: ['pending-pods'] }, s(11));
    expect(tracker.observe(progress(s(5), ['a', 'b', 'c']), s(80))).toBeUndefined();
    const done = tracker.observe(progress(null, ['a', 'b', 'c', 'd']), s(131));

    expect(done).toMatchObject({
      group: 'exec',
      latencySeconds: 120,
      sincePendingSeconds: 126,
      readyNodes: 4,
    });
    expect(tracker.inProgress()).toEqual([]);
    const [span] = spans();
    expect(span?.name).toBe(SPAN_SCALE_OUT);
    expect(done?.traceId).toBe(span?.spanContext().traceId);
    expect(ms(span!.startTime)).toBe(s(5));
    expect(ms(span!.endTime)).toBe(s(131));
    expect(span?.attributes[ATTR_OUTCOME]).toBe('ready');
    expect(span?.events.map((e) => [e.name, e.attributes?.['k8s.node.name'] ?? null, ms(e.time)])).toEqual([
      [EVENT_PENDING, null, s(5)],
      [EVENT_REQUESTED, null, s(11)],
      [EVENT_NODE_READY, 'c', s(80)],
      [EVENT_NODE_READY, 'd', s(131)],
    ]);
  });

  it('measures a forecast-driven scale-out from the request, with no pending time', () => {
    const { tracker, spans } = setup();
    tracker.observe(progress(null, ['a']), s(0));
    tracker.requested('exec', { from: 1, to: 3 }, s(10));
    expect(tracker.spanContext('exec')?.traceId).toMatch(/^[0-9a-f]{32}$/);
    const done = tracker.observe(progress(null, ['a', 'b', 'c']), s(70));
    expect(done).toMatchObject({ latencySeconds: 60, sincePendingSeconds: undefined });
    expect(spans()[0]?.events.filter((e) => e.name === EVENT_NODE_READY)).toHaveLength(2);
  });

  it('waits for the latest requested size when a second request raises it', () => {
    const { tracker } = setup();
    tracker.observe(progress(s(0), []), s(0));
    tracker.requested('exec', { from: 0, to: 2 }, s(1));
    tracker.requested('exec', { from: 2, to: 5 }, s(30));
    expect(tracker.observe(progress(s(0), ['a', 'b']), s(60))).toBeUndefined();
    expect(tracker.observe(progress(null, ['a', 'b', 'c', 'd', 'e']), s(91))?.latencySeconds).toBe(90);
  });

  it('closes the trace without a sample when pods get scheduled without a scale-out', () => {
    const { tracker, spans } = setup();
    tracker.observe(progress(s(0), ['a']), s(0));
    expect(tracker.observe(progress(null, ['a']), s(10))).toBeUndefined();
    expect(spans()[0]?.attributes[ATTR_OUTCOME]).toBe('scheduled-without-scale-out');
    expect(tracker.inProgress()).toEqual([]);
  });

  it('gives up after the timeout and marks the trace as an error', () => {
    const { tracker, spans } = setup({ timeoutMs: 60_000 });
    tracker.observe(progress(s(0), []), s(0));
    tracker.requested('exec', { from: 0, to: 1 }, s(1));
    expect(tracker.observe(progress(s(0), []), s(30))).toBeUndefined();
    expect(tracker.inProgress()).toEqual(['exec']);
    expect(tracker.observe(progress(s(0), []), s(61))).toBeUndefined();
    expect(spans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans()[0]?.attributes[ATTR_OUTCOME]).toBe('timeout');
  });

  it('tracks groups independently and closes all on shutdown', () => {
    const { tracker, spans } = setup();
    tracker.observe({ group: 'a', firstPendingAt: s(0), readyNodes: [] }, s(0));
    tracker.observe({ group: 'b', firstPendingAt: s(3), readyNodes: [] }, s(3));
    expect([...tracker.inProgress()].sort()).toEqual(['a', 'b']);
    tracker.closeAll(s(9));
    expect(spans().map((x) => x.attributes[ATTR_OUTCOME])).toEqual(['abandoned', 'abandoned']);
  });

  it('measures latency with tracing off, without a trace id', () => {
    const tracker = new ScaleOutTracker(new ProxyTracerProvider().getTracer('off'));
    tracker.observe(progress(s(0), []), s(0));
    tracker.requested('exec', { from: 0, to: 1 }, s(2));
    expect(tracker.observe(progress(null, ['n']), s(47))).toEqual({
      group: 'exec',
      traceId: undefined,
      latencySeconds: 45,
      sincePendingSeconds: 47,
      readyNodes: 1,
    });
  });
});
