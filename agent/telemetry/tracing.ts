/**
 * OpenTelemetry tracing, started before the app (like OpenTelemetry JS's own examples) and shut
 * down last. Configured by the standard OTEL_* variables; spans go over OTLP/HTTP (JSON) from
 * @opentelemetry/exporter-trace-otlp-http.
 *
 * Unlike the bare NodeSDK, tracing is off unless an exporter is configured (an OTLP endpoint or
 * OTEL_TRACES_EXPORTER): an agent without a collector should neither pay for spans nor log
 * connection errors every few seconds. Off means the no-op tracer of @opentelemetry/api.
 */
import { ProxyTracerProvider, context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** Kubernetes resource attributes (incubating semconv; copied here as the semconv docs advise). */
export const ATTR_K8S_CLUSTER_NAME = 'k8s.cluster.name';
export const ATTR_K8S_POD_NAME = 'k8s.pod.name';
export const ATTR_K8S_NAMESPACE_NAME = 'k8s.namespace.name';
export const ATTR_K8S_NODE_NAME = 'k8s.node.name';

export const TRACER_NAME = 'nodecast';

export type TraceExporterKind = 'otlp' | 'console' | 'custom' | 'none';

export interface TracingChoice {
  readonly exporter: TraceExporterKind;
  /** Why, for the startup log line. */
  readonly reason: string;
}

export interface TelemetryOptions {
  readonly serviceVersion?: string;
  readonly clusterName?: string;
  /** Defaults to process.env. The OTLP exporter itself reads endpoint and headers from process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Replaces the configured exporter (tests, benchmarks); still honours OTEL_SDK_DISABLED and "none". */
  readonly spanExporter?: SpanExporter;
}

export interface Telemetry {
  readonly tracer: Tracer;
  readonly enabled: boolean;
  readonly choice: TracingChoice;
  /** Flushes pending spans and unregisters the global providers. Safe to call twice. */
  shutdown(): Promise<void>;
}

/**
 * Decides which exporter, if any, the environment asks for. Throws on values nodecast cannot
 * honour (naming the variable) rather than silently sending nowhere.
 */
export function chooseTraceExporter(env: NodeJS.ProcessEnv, hasCustomExporter = false): TracingChoice {
  if (/^\s*true\s*$/i.test(env.OTEL_SDK_DISABLED ?? ''))
    return { exporter: 'none', reason: 'OTEL_SDK_DISABLED=true' };
  const listed = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (listed.includes('none')) return { exporter: 'none', reason: 'OTEL_TRACES_EXPORTER=none' };
  if (hasCustomExporter) return { exporter: 'custom', reason: 'exporter given in code' };
  const unknown = listed.filter((s) => s !== 'otlp' && s !== 'console');
  if (unknown.length > 0) {
    throw new Error(
      `OTEL_TRACES_EXPORTER: unsupported value "${unknown.join(',')}" (use otlp, console or none)`,
    );
  }
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (listed.includes('otlp') || (listed.length === 0 && endpoint)) {
    checkProtocol(env);
    return {
      exporter: 'otlp',
      reason: endpoint ? `OTLP/HTTP to ${endpoint}` : 'OTLP/HTTP to the default endpoint',
    };
  }
  if (listed.includes('console')) return { exporter: 'console', reason: 'OTEL_TRACES_EXPORTER=console' };
  return { exporter: 'none', reason: 'no trace exporter configured (set OTEL_EXPORTER_OTLP_ENDPOINT)' };
}

function checkProtocol(env: NodeJS.ProcessEnv): void {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'] as const) {
    const value = env[name]?.trim();
    if (value && value !== 'http/json' && value !== 'http/protobuf') {
      throw new Error(`${name}: unsupported protocol "${value}" (nodecast exports traces over OTLP/HTTP)`);
    }
  }
}

/**
 * Resource attributes: service name and version, and the Kubernetes identity from the downward
 * API (POD_NAME, POD_NAMESPACE, NODE_NAME). OTEL_RESOURCE_ATTRIBUTES still overrides them.
 */
export function resourceAttributes(opts: TelemetryOptions, env: NodeJS.ProcessEnv): Attributes {
  const attrs: Attributes = { [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME?.trim() || 'nodecast' };
  const add = (key: string, value: string | undefined) => {
    if (value) attrs[key] = value;
  };
  add(ATTR_SERVICE_VERSION, opts.serviceVersion);
  add(ATTR_K8S_CLUSTER_NAME, opts.clusterName);
  add(ATTR_K8S_POD_NAME, env.POD_NAME);
  add(ATTR_K8S_NAMESPACE_NAME, env.POD_NAMESPACE);
  add(ATTR_K8S_NODE_NAME, env.NODE_NAME);
  return attrs;
}

export function startTelemetry(opts: TelemetryOptions = {}): Telemetry {
  const env = opts.env ?? process.env;
  const choice = chooseTraceExporter(env, opts.spanExporter !== undefined);
  if (choice.exporter === 'none') {
    // A provider nobody registers with: always the API's no-op tracer, whatever else is global.
    const tracer = new ProxyTracerProvider().getTracer(TRACER_NAME, opts.serviceVersion);
    return { tracer, enabled: false, choice, shutdown: async () => undefined };
  }
  const sdk = new NodeSDK({
    resource: defaultResource().merge(resourceFromAttributes(resourceAttributes(opts, env))),
    traceExporter: exporterFor(choice.exporter, opts.spanExporter),
    // Metrics go through prom-client and logs through our logger: keep the SDK to traces only.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  return {
    tracer: trace.getTracer(TRACER_NAME, opts.serviceVersion),
    enabled: true,
    choice,
    shutdown: () =>
      (stopped ??= sdk.shutdown().finally(() => {
        trace.disable();
        context.disable();
        propagation.disable();
      })),
  };
}

function exporterFor(kind: TraceExporterKind, custom: SpanExporter | undefined): SpanExporter {
  if (kind === 'custom' && custom) return custom;
  if (kind === 'console') return new ConsoleSpanExporter();
  return new OTLPTraceExporter();
}
