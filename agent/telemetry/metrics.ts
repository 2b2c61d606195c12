/**
 * The Prometheus exporter: one prom-client Registry built from the catalog, with typed handles
 * (`metrics.groupNodes.set({ group, state }, n)`) and a `render` that speaks both the classic text
 * format and OpenMetrics (which carries the trace_id exemplars of the latency histograms).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RegistryContentType } from 'prom-client';
import { systemClock } from '../clock.js';
import type { Clock } from '../clock.js';
import { catalog } from './catalog.js';
import type { Catalog, MetricDefinition, MetricKey } from './catalog.js';

export type Labels<L extends string> = Readonly<Record<L, string>>;

/** Links a histogram sample to the trace that produced it. */
export interface Exemplar {
  readonly traceId: string;
}

export interface GaugeHandle<L extends string> {
  set(labels: Labels<L>, value: number): void;
  remove(labels: Labels<L>): void;
  reset(): void;
}

export interface CounterHandle<L extends string> {
  inc(labels: Labels<L>, value?: number): void;
  remove(labels: Labels<L>): void;
  reset(): void;
}

export interface HistogramHandle<L extends string> {
  /** `exemplar` is kept only by histograms the catalog marks `exemplars: true`. */
  observe(labels: Labels<L>, value: number, exemplar?: Exemplar): void;
  remove(labels: Labels<L>): void;
  reset(): void;
}

type HandleFor<D> =
  D extends MetricDefinition<infer L, 'gauge'>
    ? GaugeHandle<L>
    : D extends MetricDefinition<infer L, 'counter'>
      ? CounterHandle<L>
      : D extends MetricDefinition<infer L, 'histogram'>
        ? HistogramHandle<L>
        : never;

export type MetricHandles = { readonly [K in MetricKey]: HandleFor<Catalog[K]> };

export type MetricsFormat = 'text' | 'openmetrics';

export interface RenderedMetrics {
  readonly body: string;
  readonly contentType: string;
}

export interface BuildInfo {
  readonly version: string;
  readonly commit?: string;
  /** Defaults to process.version. */
  readonly nodeVersion?: string;
}

export interface MetricsOptions {
  /** Register into this registry instead of a fresh one (e.g. to share it with HTTP metrics). */
  readonly registry?: Registry;
  readonly buildInfo?: BuildInfo;
  /** Adds `cluster="<name>"` to every series (leave unset when Prometheus adds it by relabeling). */
  readonly cluster?: string;
  /** Clock for ages computed at scrape time (watch event age). */
  readonly clock?: Clock;
}

export interface Metrics extends MetricHandles {
  readonly registry: Registry;
  /** Epoch ms of the last event of each watch, by resource kind; ages are computed at scrape time. */
  readonly watchEventTimes: Map<string, number>;
  render(format?: MetricsFormat): Promise<RenderedMetrics>;
}

export const TEXT_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
export const OPENMETRICS_CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = opts.registry ?? new Registry();
  const clock = opts.clock ?? systemClock;
  const watchEventTimes = new Map<string, number>();
  if (opts.cluster !== undefined) registry.setDefaultLabels({ cluster: opts.cluster });

  const handles = {} as Record<MetricKey, unknown>;
  for (const key of Object.keys(catalog) as MetricKey[]) {
    const def: MetricDefinition = catalog[key];
    const collect = key === 'watchLastEventAge' ? watchAgeCollector(watchEventTimes, clock) : undefined;
    handles[key] = createHandle(def, registry, collect);
  }
  const metrics = { ...(handles as MetricHandles), registry, watchEventTimes, render: renderer(registry) };

  const build = opts.buildInfo;
  if (build) {
    metrics.buildInfo.set(
      {
        version: build.version,
        commit: build.commit ?? 'unknown',
        node_version: build.nodeVersion ?? process.version,
      },
      1,
    );
  }
  return metrics;
}

/**
 * Picks the exposition format from an Accept header: OpenMetrics when the client ranks it at
 * least as high as the text format (Prometheus does), text otherwise.
 */
export function negotiateFormat(accept: string | undefined): MetricsFormat {
  if (!accept) return 'text';
  let openMetrics = -1;
  let text = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    const weight = Number.isFinite(q) ? q : 0;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, weight);
    else if (type === 'text/plain' || type === '*/*' || type === 'text/*') text = Math.max(text, weight);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'text';
}

/**
 * Adapts Metrics to a renderer keyed by the request's Accept header (the shape the API's /metrics
 * route takes): OpenMetrics for Prometheus, text otherwise.
 */
export function acceptRenderer(m: Metrics): { render(accept: string): Promise<RenderedMetrics> } {
  return { render: (accept) => m.render(negotiateFormat(accept)) };
}

function createHandle(def: MetricDefinition, registry: Registry, collect?: () => void): unknown {
  const base = { name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] };
  if (def.type === 'gauge') {
    const gauge = new Gauge(collect ? { ...base, collect } : base);
    return {
      set: (labels: Labels<string>, value: number) => gauge.set(labels, value),
      remove: (labels: Labels<string>) => gauge.remove(labels),
      reset: () => gauge.reset(),
    } satisfies GaugeHandle<string>;
  }
  if (def.type === 'counter') {
    const counter = new Counter(base);
    return {
      inc: (labels: Labels<string>, value = 1) => counter.inc(labels, value),
      remove: (labels: Labels<string>) => counter.remove(labels),
      reset: () => counter.reset(),
    } satisfies CounterHandle<string>;
  }
  return histogramHandle(def, base);
}

function histogramHandle(
  def: MetricDefinition,
  base: { name: string; help: string; labelNames: string[]; registers: Registry[] },
): HistogramHandle<string> {
  const buckets = [...(def.buckets ?? [])];
  if (!def.exemplars) {
    const h = new Histogram({ ...base, buckets });
    return {
      observe: (labels, value) => h.observe(labels, value),
      remove: (labels) => h.remove(labels),
      reset: () => h.reset(),
    };
  }
  // prom-client accepts exemplars only on a registry in OpenMetrics mode at construction time;
  // render() picks the content type per call anyway.
  const h = withContentType(
    base.registers[0] as Registry<RegistryContentType>,
    OPENMETRICS_CONTENT_TYPE,
    () => new Histogram({ ...base, buckets, enableExemplars: true }),
  );
  return {
    observe: (labels, value, exemplar) =>
      h.observe({
        labels,
        value,
        // prom-client types exemplar labels like metric labels; trace_id is an exemplar-only label.
        exemplarLabels: (exemplar ? { trace_id: exemplar.traceId } : {}) as Labels<string>,
      }),
    remove: (labels) => h.remove(labels),
    reset: () => h.reset(),
  };
}

function withContentType<T>(reg: Registry<RegistryContentType>, type: RegistryContentType, fn: () => T): T {
  const previous = reg.contentType;
  reg.setContentType(type);
  try {
    return fn();
  } finally {
    reg.setContentType(previous);
  }
}

function watchAgeCollector(times: Map<string, number>, clock: Clock) {
  return function collect(this: Gauge<string>): void {
    const now = clock.now();
    for (const [kind, at] of times) this.set({ kind }, Math.max(0, (now - at) / 1000));
  };
}

/**
 * prom-client picks the format from the registry's content type, and in OpenMetrics mode it
 * renames counters in place (drops `_total`). Renders are therefore serialised, and an OpenMetrics
 * render restores names and content type afterwards, so both formats can be served from one set
 * of metrics.
 */
function renderer(registry: Registry): (format?: MetricsFormat) => Promise<RenderedMetrics> {
  let queue: Promise<unknown> = Promise.resolve();
  const reg = registry as unknown as Registry<RegistryContentType>;
  const renderOnce = async (format: MetricsFormat): Promise<RenderedMetrics> => {
    const contentType = format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
    const all = reg.getMetricsAsArray();
    const names = all.map((m) => m.name);
    const previous = reg.contentType;
    reg.setContentType(contentType);
    try {
      return { body: await reg.metrics(), contentType };
    } finally {
      all.forEach((m, i) => (m.name = names[i] ?? m.name));
      reg.setContentType(previous);
    }
  };
  return (format = 'text') => {
    const result = queue.then(() => renderOnce(format));
    queue = result.catch(() => undefined);
    return result;
  };
}
