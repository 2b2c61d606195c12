/**
 * A stand-in for the agent's /metrics until the real agent runs on the simulator: a Metrics
 * instance fed only through the record helpers and the ScaleOutTracker by a small synthetic
 * cluster (node groups chasing a noisy daily demand, queues, pending pods, scale-outs with
 * provisioning delays), served over HTTP with content negotiation like the agent's endpoint.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Role } from '../../agent/config/types.js';
import { TICK_STAGES } from '../../agent/telemetry/catalog.js';
import { createMetrics, negotiateFormat } from '../../agent/telemetry/metrics.js';
import type { Metrics } from '../../agent/telemetry/metrics.js';
import * as rec from '../../agent/telemetry/record.js';
import { ScaleOutTracker } from '../../agent/telemetry/scale-out-tracker.js';

export interface MetricsSource {
  /** URL Prometheus scrapes. */
  readonly url: string;
  /** Trace ids the source produced (to check exemplars); undefined when unknown. */
  traceIds(): ReadonlySet<string> | undefined;
  stop(): Promise<void>;
}

interface SimGroup {
  readonly name: string;
  readonly role: Role;
  readonly min: number;
  readonly max: number;
  readonly base: number;
  readonly amplitude: number;
  ready: string[];
  coming: { readyAt: number; name: string }[];
  pendingSince: number | null;
  serial: number;
}

const STEP_MS = 30_000; // simulated time per tick
const TICK_REAL_MS = 200;
const CPU_PER_NODE = 16;
const MEM_PER_NODE = 64 * 2 ** 30;
const PRICE = 0.8;

/** Starts the synthetic agent; each real 200 ms is 30 simulated seconds. */
export async function startSimulatedAgent(): Promise<MetricsSource> {
  const metrics = createMetrics({ cluster: 'e2e', buildInfo: { version: '0.1.0-e2e', commit: 'e2e' } });
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
    'e2e',
  );
  const tracker = new ScaleOutTracker(tracer);
  const groups = makeGroups();
  const traceIds = new Set<string>();
  let now = Date.now();
  let tickNo = 0;
  const timer = setInterval(() => {
    now += STEP_MS;
    tickNo++;
    for (const g of groups) stepGroup({ m: metrics, tracker, now, tick: tickNo, ids: traceIds }, g);
    recordLoop(metrics, tickNo);
  }, TICK_REAL_MS);

  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    metrics.render(negotiateFormat(req.headers.accept)).then(
      ({ body, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    traceIds: () => traceIds,
    stop: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function makeGroups(): SimGroup[] {
  const g = (
    name: string,
    role: Role,
    min: number,
    max: number,
    base: number,
    amplitude: number,
  ): SimGroup => ({
    name,
    role,
    min,
    max,
    base,
    amplitude,
    ready: Array.from({ length: min }, (_, i) => `${name}-${i}`),
    coming: [],
    pendingSince: null,
    serial: min,
  });
  return [
    g('spark-system', 'system', 3, 3, 3, 0),
    g('spark-driver', 'driver', 1, 20, 4, 3),
    g('spark-executor-etl', 'executor', 2, 60, 20, 15),
    g('spark-executor-adhoc', 'executor', 0, 40, 8, 8),
  ];
}

/** Deterministic jitter in [0, 1). */
const jitter = (n: number) => (((Math.sin(n * 12.9898) * 43758.5453) % 1) + 1) % 1;

/** One tick's shared context. */
interface Step {
  readonly m: Metrics;
  readonly tracker: ScaleOutTracker;
  readonly now: number;
  readonly tick: number;
  readonly ids: Set<string>;
}

function stepGroup(step: Step, g: SimGroup) {
  const { m, tracker, now, tick, ids } = step;
  const demand = Math.max(
    g.min,
    Math.min(g.max + 5, Math.round(g.base + g.amplitude * Math.sin(tick / 4) + 4 * jitter(tick + g.base))),
  );
  for (const c of g.coming.filter((x) => x.readyAt <= now)) g.ready.push(c.name);
  g.coming = g.coming.filter((x) => x.readyAt > now);
  const short = Math.max(0, Math.min(demand, g.max) - g.ready.length);
  g.pendingSince = short > 0 ? (g.pendingSince ?? now - STEP_MS / 2) : null;
  const done = tracker.observe({ group: g.name, firstPendingAt: g.pendingSince, readyNodes: g.ready }, now);
  if (done) {
    rec.recordScaleOutLatency(m, { group: g.name, seconds: done.latencySeconds, traceId: done.traceId });
    if (done.traceId) ids.add(done.traceId);
  }
  scale(step, g, demand, short);
  recordStatus(m, g, demand, short, now, tick);
}

function scale(step: Step, g: SimGroup, demand: number, short: number) {
  const { m, tracker, now, tick } = step;
  if (g.role === 'system') return;
  if (short > 0 && g.coming.length === 0) {
    const to = Math.min(g.max, g.ready.length + short);
    const latencyMs = (60 + 360 * jitter(tick * 7 + g.base)) * 1000;
    for (let i = g.ready.length; i < to; i++)
      g.coming.push({ readyAt: now + latencyMs, name: `${g.name}-${g.serial++}` });
    tracker.requested(g.name, { from: g.ready.length, to, reasons: ['pending-pods'] }, now);
    rec.recordScaleAction(m, {
      group: g.name,
      direction: 'out',
      nodes: to - g.ready.length,
      reason: 'pending-pods',
    });
  } else if (g.role === 'executor' && g.ready.length > Math.max(demand, g.min) + 2) {
    const remove = g.ready.length - Math.max(demand, g.min);
    g.ready = g.ready.slice(0, g.ready.length - remove);
    rec.recordScaleAction(m, { group: g.name, direction: 'in', nodes: remove, reason: 'idle-node' });
  }
}

function recordStatus(m: Metrics, g: SimGroup, demand: number, short: number, now: number, tick: number) {
  const ready = g.ready.length;
  const pendingAge = g.pendingSince === null ? 0 : (now - g.pendingSince) / 1000;
  const podsShort = short * 4;
  const pending = (role: 'driver' | 'executor') =>
    role === (g.role === 'driver' ? 'driver' : 'executor') && g.role !== 'system'
      ? {
          unschedulable: podsShort,
          quotaHeld: tick % 5 === 0 ? 2 : 0,
          oldestUnschedulableSeconds: pendingAge,
        }
      : { unschedulable: 0, quotaHeld: 0, oldestUnschedulableSeconds: 0 };
  const used = Math.min(demand, ready) * CPU_PER_NODE * (0.55 + 0.3 * jitter(tick));
  rec.recordGroupStatus(m, {
    group: g.name,
    role: g.role,
    ready,
    notReady: g.coming.length > 0 ? 1 : 0,
    provisioning: Math.max(0, g.coming.length - 1),
    target: ready + g.coming.length,
    min: g.min,
    max: g.max,
    demandNodes: demand,
    requestedCpu: demand * CPU_PER_NODE * 0.8,
    requestedMemoryBytes: demand * MEM_PER_NODE * 0.7,
    allocatableCpu: ready * CPU_PER_NODE,
    allocatableMemoryBytes: ready * MEM_PER_NODE,
    pendingByRole: { driver: pending('driver'), executor: pending('executor') },
    usedCpu: used,
    usedMemoryBytes: (used / CPU_PER_NODE) * MEM_PER_NODE * 0.8,
  });
  rec.recordCost(
    m,
    { group: g.name, nodes: ready + g.coming.length, maxNodes: g.max, pricePerNodeHour: PRICE },
    STEP_MS / 1000,
  );
  // Pods that found room on existing nodes wait only for the scheduler.
  if (g.role !== 'system') {
    const role = g.role === 'driver' ? 'driver' : 'executor';
    rec.recordPodScheduled(m, { group: g.name, role, seconds: 2 + 20 * jitter(tick + 3) });
    if (short === 0 && pendingAge === 0 && tick % 3 === 0)
      rec.recordPodScheduled(m, { group: g.name, role, seconds: 95 });
  }
  if (g.role === 'executor') {
    recordForecast(m, g, demand, tick);
    recordQueues(m, g, demand, tick);
  }
}

function recordForecast(m: Metrics, g: SimGroup, demand: number, tick: number) {
  const point = g.base + g.amplitude * Math.sin((tick + 10) / 6);
  rec.recordForecastStatus(m, {
    group: g.name,
    mode: g.min > 0 ? 'active' : 'shadow',
    model: tick % 100 < 50 ? 'mstl' : 'ets',
    trusted: jitter(tick) > 0.1,
    pointNodes: point,
    quantileNodes: point * 1.2 + 1,
    quantile: 0.9,
    leadSeconds: 300 + 10 * jitter(tick),
    mase: 0.6 + Math.abs(point - demand) / Math.max(1, demand),
  });
}

function recordQueues(m: Metrics, g: SimGroup, demand: number, tick: number) {
  const queues = ['etl', 'adhoc', 'ml'];
  queues.forEach((queue, i) => {
    const share = (i + 1) / 6;
    const requested = demand * CPU_PER_NODE * 0.8 * share;
    rec.recordQueueStatus(m, {
      queue,
      group: g.name,
      requestedCpu: requested,
      requestedMemoryBytes: (requested / CPU_PER_NODE) * MEM_PER_NODE,
      usedCpu: requested * (0.5 + 0.4 * jitter(tick + i)),
      usedMemoryBytes: (requested / CPU_PER_NODE) * MEM_PER_NODE * 0.6,
      maxCpu: queue === 'ml' ? Infinity : 400,
      maxMemoryBytes: queue === 'ml' ? Infinity : 1600 * 2 ** 30,
    });
  });
}

function recordLoop(m: Metrics, tick: number) {
  const stages = Object.fromEntries(TICK_STAGES.map((s, i) => [s, 0.002 * (i + 1) * (1 + jitter(tick + i))]));
  rec.recordTick(m, {
    finishedAt: Date.now(),
    stages,
    ...(tick % 50 === 0 ? { failedStage: 'actuate' as const } : {}),
  });
  rec.recordLeader(m, true);
  for (const kind of ['pods', 'nodes']) {
    rec.recordWatchEvent(m, kind, Date.now() - 1000 * jitter(tick));
    rec.recordWatchSynced(m, kind, true);
  }
  if (tick % 40 === 0) rec.recordWatchRelist(m, 'pods');
  if (tick % 25 === 0) rec.recordProviderError(m, 'spark-executor-etl', 'conflict');
}
