/**
 * What a run looked like over time, for the HTML report: per group the nodes, Ready nodes and the
 * demand (nodes the running and pending pods need), the forecast a predictive policy acted on, and
 * what each queue's executors cost. Sampled on a fixed step so a 14-day run stays small (4,032
 * points a group at 5 minutes); only plain numbers, so it serialises straight to JSON.
 */
import type { Config } from '../agent/config/types.js';
import type { GroupForecastView } from '../forecast/view.js';
import type { SimGroup, SimQueue } from './model.js';

export interface GroupSeries {
  readonly role: string;
  readonly t: number[];
  /** Live nodes (provisioning and Ready): what the group pays for. */
  readonly nodes: number[];
  readonly ready: number[];
  /** Nodes the group's running and pending pods need by cpu or memory, whichever is larger. */
  readonly demand: number[];
  readonly pendingPods: number[];
}

export interface ForecastSeries {
  /** Time the forecast is for (decided at t - lead). */
  readonly t: number[];
  readonly point: number[];
  /** Demand at the group's configured quantile: the band's upper edge. */
  readonly upper: number[];
  readonly quantile: number;
}

export interface QueueCost {
  readonly group: string;
  /** Requested executor cores x hours. */
  readonly coreHours: number;
  /** coreHours priced at the group's node price per core. */
  readonly cost: number;
}

/** Share of values at or below each grid point (an empirical CDF on a grid every policy shares). */
export interface Cdf {
  readonly x: number[];
  readonly share: number[];
  readonly count: number;
}

/** Executor pending seconds, 1 s .. 1 h, log-spaced. */
export const PENDING_GRID = Array.from({ length: 41 }, (_, i) => Math.round(10 ** (i / 11.25) * 100) / 100);
/** Job slowdown (finish - submit) / duration, 1 .. 3. */
export const SLOWDOWN_GRID = Array.from({ length: 41 }, (_, i) => Math.round((1 + i * 0.05) * 100) / 100);

export function cdfOnGrid(values: readonly number[], grid: readonly number[]): Cdf {
  const sorted = Float64Array.from(values).sort();
  const share: number[] = [];
  let i = 0;
  for (const x of grid) {
    while (i < sorted.length && sorted[i]! <= x) i++;
    share.push(sorted.length === 0 ? 0 : Math.round((i / sorted.length) * 10_000) / 10_000);
  }
  return { x: [...grid], share, count: sorted.length };
}

export interface SimTimeline {
  readonly sampleSeconds: number;
  readonly groups: Record<string, GroupSeries>;
  readonly forecast: Record<string, ForecastSeries>;
  readonly queues: Record<string, QueueCost>;
  /** Cost of each group's node-hours that no queue's requests used (idle and system). */
  readonly unusedCost: Record<string, number>;
  readonly executorPending?: Cdf;
  readonly slowdown?: Cdf;
}

export const DEFAULT_SAMPLE_SECONDS = 300;

export class TimelineRecorder {
  private readonly groups: Record<string, GroupSeries> = {};
  private readonly forecasts: Record<string, ForecastSeries> = {};
  private readonly coreMs = new Map<string, number>();
  private readonly groupNodeMs = new Map<string, number>();
  private queueGroups = new Map<string, string>();
  private lastSampleAt: number | undefined;
  private nextForecastAt = -Infinity;

  constructor(
    private readonly config: Config,
    readonly sampleSeconds = DEFAULT_SAMPLE_SECONDS,
  ) {}

  /** Records the cluster now; queue and node costs accrue over the step since the last sample. */
  sample(groups: ReadonlyMap<string, SimGroup>, queues: readonly SimQueue[], now: number): void {
    const dt = this.lastSampleAt === undefined ? 0 : now - this.lastSampleAt;
    this.lastSampleAt = now;
    for (const [name, group] of groups) {
      const s = (this.groups[name] ??= {
        role: group.config.role,
        t: [],
        nodes: [],
        ready: [],
        demand: [],
        pendingPods: [],
      });
      let cpu = group.tally.reqCpu;
      let memory = group.tally.reqMemoryBytes;
      for (const pod of group.pending) {
        cpu += pod.cpu;
        memory += pod.memoryBytes;
      }
      const { shape } = group.config;
      s.t.push(now);
      s.nodes.push(group.nodes.size);
      s.ready.push(group.readyNodes.length);
      s.demand.push(Math.ceil(Math.max(cpu / shape.cpu, memory / shape.memoryBytes) - 1e-9));
      s.pendingPods.push(group.pending.length);
      this.groupNodeMs.set(name, (this.groupNodeMs.get(name) ?? 0) + group.nodes.size * dt);
    }
    for (const queue of queues) {
      const key = queue.config.name;
      this.coreMs.set(key, (this.coreMs.get(key) ?? 0) + queue.tally.reqCpu * dt);
    }
    this.queueGroups = new Map(queues.map((q) => [q.config.name, q.group.config.name]));
  }

  /** The views a predictive policy acted on at `now`, kept once per sample step. */
  forecastViews(views: ReadonlyMap<string, GroupForecastView>, now: number): void {
    if (now < this.nextForecastAt) return;
    this.nextForecastAt = now + this.sampleSeconds * 1000;
    for (const view of views.values()) {
      if (!view.trusted && view.graceReason === undefined) continue;
      const quantile = this.config.nodeGroups.find((g) => g.name === view.group)?.forecast.quantile ?? 0.9;
      const s = (this.forecasts[view.group] ??= { t: [], point: [], upper: [], quantile });
      s.t.push(now + view.leadSeconds * 1000);
      s.point.push(view.pointAtLead);
      s.upper.push(view.demandAtLead);
    }
  }

  result(): SimTimeline {
    const price = new Map(this.config.nodeGroups.map((g) => [g.name, g]));
    const queues: Record<string, QueueCost> = {};
    const usedCost = new Map<string, number>();
    for (const [name, ms] of this.coreMs) {
      const group = price.get(this.queueGroups.get(name) ?? '');
      const coreHours = ms / 3_600_000;
      const cost = group ? (coreHours / group.shape.cpu) * group.pricePerNodeHour : 0;
      queues[name] = { group: group?.name ?? '', coreHours: round(coreHours), cost: round(cost) };
      if (group) usedCost.set(group.name, (usedCost.get(group.name) ?? 0) + cost);
    }
    const unusedCost: Record<string, number> = {};
    for (const [name, ms] of this.groupNodeMs) {
      const group = price.get(name);
      if (!group) continue;
      const total = (ms / 3_600_000) * group.pricePerNodeHour;
      unusedCost[name] = round(Math.max(0, total - (usedCost.get(name) ?? 0)));
    }
    return {
      sampleSeconds: this.sampleSeconds,
      groups: this.groups,
      forecast: this.forecasts,
      queues,
      unusedCost,
    };
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
