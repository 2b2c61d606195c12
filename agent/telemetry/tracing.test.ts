import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { startTickTrace } from './tick-trace.js';
import { chooseTraceExporter, resourceAttributes, startTelemetry } from './tracing.js';

describe('chooseTraceExporter', () => {
  it('is off unless an exporter or endpoint is configured', () => {
    expect(chooseTraceExporter({}).exporter).toBe('none');
    expect(chooseTraceExporter({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).exporter).toBe(
      'otlp',
    );
    expect(
      chooseTraceExporter({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }).exporter,
    ).toBe('otlp');
    expect(chooseTraceExporter({ OTEL_TRACES_EXPORTER: 'otlp' }).exporter).toBe('otlp');
    expect(chooseTraceExporter({ OTEL_TRACES_EXPORTER: 'console' }).exporter).toBe('console');
  });

  it('honours OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none over everything', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(chooseTraceExporter({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }, true).exporter).toBe('none');
    expect(chooseTraceExporter({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }, true).exporter).toBe('none');
    expect(chooseTraceExporter({ ...endpoint, OTEL_SDK_DISABLED: 'false' }).exporter).toBe('otlp');
    expect(chooseTraceExporter({}, true).exporter).toBe('custom');
  });

  it('rejects settings it cannot honour, naming the variable', () => {
    expect(() => chooseTraceExporter({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(
      /OTEL_TRACES_EXPORTER.*zipkin/,
    );
    expect(() =>
      chooseTraceExporter({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL.*grpc/);
  });
});

describe('resourceAttributes', () => {
  it('names the service and the pod from the downward API', () => {
    const env = { POD_NAME: 'nodecast-7d9f-x2', POD_NAMESPACE: 'spark-system', NODE_NAME: 'ip-10-0-0-1' };
    expect(resourceAttributes({ serviceVersion: '0.3.0', clusterName: 'prod-eu' }, env)).toEqual({
      'service.name': 'nodecast',
      'service.version': '0.3.0',
      'k8s.cluster.name': 'prod-eu',
      'k8s.pod.name': 'nodecast-7d9f-x2',
      'k8s.namespace.name': 'spark-system',
      'k8s.node.name': 'ip-10-0-0-1',
    });
  });

  it('lets OTEL_SERVICE_NAME rename the service and leaves unknown attributes out', () => {
    expect(resourceAttributes({}, { OTEL_SERVICE_NAME: 'nodecast-staging' })).toEqual({
      'service.name': 'nodecast-staging',
    });
  });
});

describe('startTelemetry', () => {
  it('hands out the no-op tracer when tracing is off', async () => {
    const t = startTelemetry({ env: {} });
    expect(t.enabled).toBe(false);
    const span = t.tracer.startSpan('x');
    expect(span.isRecording()).toBe(false);
    span.end();
    await t.shutdown();
  });

  it('exports spans with resource attributes to the given exporter, flushed on shutdown', async () => {
    // InMemorySpanExporter forgets its spans on shutdown, so collect them here.
    const collected: ReadableSpan[] = [];
    const exporter: SpanExporter = {
      export: (spans, done) => {
        collected.push(...spans);
        done({ code: 0 });
      },
      shutdown: async () => undefined,
    };
    const env = { POD_NAME: 'nodecast-0', POD_NAMESPACE: 'ops' };
    const t = startTelemetry({ env, spanExporter: exporter, serviceVersion: '9.9.9', clusterName: 'test' });
    expect(t.enabled).toBe(true);
    const tick = startTickTrace(t.tracer);
    await tick.stage('observe', () => undefined);
    tick.end();
    await t.shutdown();
    await t.shutdown();
    const spans = collected;
    expect(spans.map((s) => s.name).sort()).toEqual(['nodecast.observe', 'nodecast.tick']);
    expect(spans[0]?.resource.attributes).toMatchObject({
      'service.name': 'nodecast',
      'service.version': '9.9.9',
      'k8s.cluster.name': 'test',
      'k8s.pod.name': 'nodecast-0',
      'k8s.namespace.name': 'ops',
    });
  });
});
