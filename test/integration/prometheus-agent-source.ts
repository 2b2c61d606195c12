/**
 * The metrics source of the Prometheus end-to-end test: the real agent (watches, loop, clusterapi
 * provider, leader election, API) driving the simulator behind the local Kubernetes API server,
 * exactly what `npm start` runs, on a fast clock. Spans go to an in-memory exporter so the test can
 * check that latency exemplars point at traces the agent produced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../../agent/config/load.js';
import { silentLogger } from '../../agent/logger.js';
import { startDemo } from '../../sim/demo.js';
import type { MetricsSource } from './prometheus-sim-source.js';

export async function startAgentOnSimulator(speed = 120): Promise<MetricsSource> {
  const dir = mkdtempSync(join(tmpdir(), 'nodecast-prom-e2e-'));
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
    'e2e',
  );
  const base = loadConfig({ env: {} });
  const demo = await startDemo(
    { ...base, server: { host: '127.0.0.1', port: 0 } },
    {
      speed,
      days: 2,
      seed: 1,
      logger: silentLogger,
      tracer,
      dataDir: join(dir, 'data'),
      kubeconfigPath: join(dir, 'kubeconfig'),
      // Two days of history so forecasts (and the forecast panels) exist from the first tick.
      warmupDays: 2,
      // A busy weekday morning, whatever time CI runs: scale-outs keep coming while Prometheus scrapes.
      start: Date.UTC(2026, 0, 6, 9),
    },
  );
  return {
    url: `${demo.agent.address}/metrics`,
    traceIds: () => new Set(exporter.getFinishedSpans().map((s) => s.spanContext().traceId)),
    async stop() {
      await demo.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
