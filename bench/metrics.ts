/**
 * /metrics render time and size for a large fleet, and the cost of tracing on a simulated tick.
 *   npx tsx bench/metrics.ts [--groups 100] [--queues 10] [--runs 15] [--ticks 20] [--rounds 40] [--cluster-label]
 * Render: text and OpenMetrics against a baseline in the same run, JSON.stringify of the same
 * values (prom-client's getMetricsAsJSON), i.e. reading the numbers out without any formatting.
 * Tracing: a tick of five stages plus three scale actions, with tracing off (the API's no-op
 * tracer) and on (SDK with an in-memory exporter), against the same tick without tracing code.
 * `--cluster-label` renders with createMetrics({ cluster }) (a label on every series).
 * Targets: text render within 3x of the baseline; tracing off within 1.05x of bare, on within 1.25x.
 */
import { ProxyTracerProvider } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { TICK_STAGES } from '../agent/telemetry/catalog.js';
import { createMetrics } from '../agent/telemetry/metrics.js';
import type { Metrics } from '../agent/telemetry/metrics.js';
import * as rec from '../agent/telemetry/record.js';
import { startTickTrace, traceScaleAction } from '../agent/telemetry/tick-trace.js';

const clusterLabel = process.argv.includes('--cluster-label');

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const fmt = (n: number, digits = 2) => n.toFixed(digits);

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A fleet recorded through the same helpers the loop uses, with every histogram populated. */
function populate(m: Metrics, groups: number, queues: number): void {
  for (let g = 0; g < groups; g++) {
    const group = `spark-executor-${g}`;
    const pending = { unschedulable: g % 7, quotaHeld: g % 3, oldestUnschedulableSeconds: 30 * (g % 5) };
    rec.recordGroupStatus(m, {
      group,
      role: 'executor',
      ready: 20 + g,
      notReady: 1,
      provisioning: 2,
      target: 23 + g,
      min: 2,
      max: 200,
      demandNodes: 22 + g,
      requestedCpu: 300 + g,
      requestedMemoryBytes: 2e12,
      allocatableCpu: 400 + g,
      allocatableMemoryBytes: 3e12,
      pendingByRole: { driver: pending, executor: pending },
      usedCpu: 250 + g,
      usedMemoryBytes: 1.5e12,
    });
    rec.recordForecastStatus(m, {
      group,
      mode: 'active',
      model: g % 2 ? 'mstl' : 'ets',
      trusted: true,
      pointNodes: 21,
      quantileNodes: 25,
      quantile: 0.9,
      leadSeconds: 330,
      mase: 0.7,
    });
    rec.recordCost(m, { group, nodes: 23 + g, maxNodes: 200, pricePerNodeHour: 1.2 }, 10);
    rec.recordScaleAction(m, { group, direction: 'out', nodes: 3, reason: 'pending-pods' });
    rec.recordScaleAction(m, { group, direction: 'in', nodes: 1, reason: 'idle-node' });
    rec.recordProviderError(m, group, 'conflict');
    for (let i = 0; i < 20; i++) {
      rec.recordScaleOutLatency(m, { group, seconds: 30 + 17 * i, traceId: 'a'.repeat(32) });
      rec.recordPodScheduled(m, { group, role: i % 4 ? 'executor' : 'driver', seconds: 5 + 40 * i });
    }
    for (let q = 0; q < queues; q++) {
      rec.recordQueueStatus(m, {
        queue: `queue-${q}`,
        group,
        requestedCpu: 30,
        requestedMemoryBytes: 2e11,
        usedCpu: 25,
        usedMemoryBytes: 1.8e11,
        maxCpu: 100,
        maxMemoryBytes: 8e11,
      });
    }
  }
  rec.recordTick(m, { finishedAt: Date.now(), stages: { observe: 0.01, forecast: 0.02, decide: 0.003 } });
}

async function benchRender(groups: number, queues: number, runs: number) {
  const m = createMetrics({ ...(clusterLabel ? { cluster: 'bench' } : {}), buildInfo: { version: 'bench' } });
  populate(m, groups, queues);
  const text = await m.render('text');
  const om = await m.render('openmetrics');
  const t: number[] = [];
  const o: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    t.push(await timeAsync(() => m.render('text')));
    o.push(await timeAsync(() => m.render('openmetrics')));
    b.push(await timeAsync(async () => JSON.stringify(await m.registry.getMetricsAsJSON())));
  }
  const series = text.body.split('\n').filter((l) => l && !l.startsWith('#')).length;
  return {
    series,
    textBytes: text.body.length,
    omBytes: om.body.length,
    text: median(t),
    om: median(o),
    base: median(b),
  };
}

/** Synthetic stage work: sorting and summing, about what decide does for a mid-size cluster. */
function heavy(seed: number): number {
  const xs = Array.from({ length: 3000 }, (_, i) => Math.sin(i * seed) * 1000);
  xs.sort((a, b) => a - b);
  return xs.reduce((s, x) => s + x, 0);
}

/** No work at all: what is left is the cost of the tracing calls themselves. */
const empty = (seed: number): number => seed;

async function tickBare(work: (seed: number) => number): Promise<number> {
  let acc = 0;
  for (const [i] of TICK_STAGES.entries()) acc += work(i + 1);
  for (let a = 0; a < 3; a++) acc += await (async () => work(7))();
  return acc;
}

async function tickTraced(tracer: Tracer, work: (seed: number) => number): Promise<number> {
  let acc = 0;
  const tick = startTickTrace(tracer);
  for (const [i, stage] of TICK_STAGES.entries()) {
    acc += await tick.stage(stage, async (ctx) => {
      let v = work(i + 1);
      if (stage !== 'actuate') return v;
      for (let a = 0; a < 3; a++) {
        const action = {
          group: `g${a}`,
          direction: 'out' as const,
          from: 2,
          to: 5,
          reasons: ['pending-pods'],
        };
        v += await traceScaleAction(tracer, action, async () => work(7), { parent: ctx });
      }
      return v;
    });
  }
  tick.end();
  return acc;
}

/** Variants alternate in small batches, in rotating order, so load on a shared machine hits all alike. */
async function benchTracing(work: (seed: number) => number, ticksPerBatch: number, rounds: number) {
  const exporter = new InMemorySpanExporter();
  const on = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
    'bench',
  );
  const off = new ProxyTracerProvider().getTracer('bench');
  const variants: [string, () => Promise<number>][] = [
    ['bare', () => tickBare(work)],
    ['off', () => tickTraced(off, work)],
    ['on', () => tickTraced(on, work)],
  ];
  const perTick: Record<string, number[]> = { bare: [], off: [], on: [] };
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const [name, fn] = variants[(r + k) % variants.length]!;
      const ms = await timeAsync(async () => {
        for (let i = 0; i < ticksPerBatch; i++) await fn();
      });
      perTick[name]?.push(ms / ticksPerBatch);
      exporter.reset();
    }
  }
  return { bare: median(perTick.bare ?? []), off: median(perTick.off ?? []), on: median(perTick.on ?? []) };
}

const groups = arg('groups', 100);
const queues = arg('queues', 10);
const runs = arg('runs', 15);
const ticks = arg('ticks', 20);
const rounds = arg('rounds', 40);

const small = await benchRender(10, queues, runs);
const large = await benchRender(groups, queues, runs);
console.log(
  `render, ${groups} groups x ${queues} queues${clusterLabel ? ', cluster label' : ''} (median of ${runs}):`,
);
console.log(
  `  series ${large.series}, text ${fmt(large.textBytes / 1024, 0)} KiB, OpenMetrics ${fmt(large.omBytes / 1024, 0)} KiB`,
);
console.log(
  `  text ${fmt(large.text)} ms, OpenMetrics ${fmt(large.om)} ms, baseline JSON ${fmt(large.base)} ms`,
);
console.log(
  `  ratio text/baseline ${fmt(large.text / large.base)}x, OpenMetrics/baseline ${fmt(large.om / large.base)}x`,
);
console.log(
  `  scaling: ${groups} vs 10 groups: ${fmt(large.series / small.series, 1)}x series, ${fmt(large.text / small.text, 1)}x text time`,
);
const tr = await benchTracing(heavy, ticks, rounds);
console.log(`tracing on a simulated tick (${rounds} rounds x ${ticks} ticks per variant, median per tick):`);
console.log(`  bare ${fmt(tr.bare, 3)} ms, off ${fmt(tr.off, 3)} ms, on ${fmt(tr.on, 3)} ms`);
console.log(`  ratio off/bare ${fmt(tr.off / tr.bare, 3)}x, on/bare ${fmt(tr.on / tr.bare, 3)}x`);
const calls = await benchTracing(empty, 500, rounds);
console.log(`cost of the tracing calls alone (empty stages; 1 tick + 5 stage + 3 action spans):`);
console.log(
  `  bare ${fmt(calls.bare * 1000, 1)} us, off ${fmt(calls.off * 1000, 1)} us, on ${fmt(calls.on * 1000, 1)} us per tick`,
);
