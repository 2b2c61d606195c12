/**
 * Spans reach an OTLP/HTTP receiver: a tiny collector on loopback accepting POST /v1/traces.
 * exporter-trace-otlp-http sends the JSON encoding of ExportTraceServiceRequest.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTickTrace, traceScaleAction } from './tick-trace.js';
import { startTelemetry } from './tracing.js';

interface Received {
  path: string;
  contentType: string;
  body: {
    resourceSpans: {
      resource: { attributes: { key: string; value: { stringValue?: string } }[] };
      scopeSpans: { spans: { name: string; traceId: string; parentSpanId?: string }[] }[];
    }[];
  };
}

const received: Received[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({
      path: req.url ?? '',
      contentType: req.headers['content-type'] ?? '',
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('OTLP/HTTP export', () => {
  it('delivers the tick tree and scale actions with Kubernetes resource attributes', async () => {
    const { port } = server.address() as AddressInfo;
    // The OTLP exporter reads its endpoint from process.env, as in production.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
    const env = { ...process.env, POD_NAME: 'nodecast-abc', POD_NAMESPACE: 'spark-system' };
    const t = startTelemetry({ env, clusterName: 'loopback', serviceVersion: '0.1.0' });
    expect(t.choice.exporter).toBe('otlp');

    const tick = startTickTrace(t.tracer);
    await tick.stage('observe', () => undefined);
    await tick.stage('actuate', (ctx) =>
      traceScaleAction(
        t.tracer,
        { group: 'g', direction: 'out', from: 1, to: 3, reasons: ['pending-pods'] },
        async () => 1,
        {
          parent: ctx,
        },
      ),
    );
    tick.end();
    await t.shutdown();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

    expect(received.length).toBeGreaterThan(0);
    expect(received[0]?.path).toBe('/v1/traces');
    expect(received[0]?.contentType).toContain('application/json');
    const resourceSpans = received.flatMap((r) => r.body.resourceSpans);
    const spans = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans.map((s) => s.name).sort()).toEqual([
      'nodecast.actuate',
      'nodecast.observe',
      'nodecast.scale_action',
      'nodecast.tick',
    ]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const attrs = Object.fromEntries(
      resourceSpans[0]!.resource.attributes.map((a) => [a.key, a.value.stringValue]),
    );
    expect(attrs).toMatchObject({
      'service.name': 'nodecast',
      'k8s.cluster.name': 'loopback',
      'k8s.pod.name': 'nodecast-abc',
      'k8s.namespace.name': 'spark-system',
    });
  });
});
