/**
 * `nodecast simulate --report`: the runs of every policy over one trace as one HTML page. Nodes
 * and demand over time per group and policy, the forecast the predictive policy acted on against
 * the demand that came, executor pending time and job slowdown distributions, cost per queue.
 */
import type { SimReport } from '../../sim/report.js';
import { reportTable } from '../../sim/report-table.js';
import type { GroupSeries, SimTimeline } from '../../sim/timeline.js';
import { PALETTE, renderPage, type ChartSpec, type SectionSpec } from './html-page.js';

export interface PolicyRun {
  readonly report: SimReport;
  readonly timeline: SimTimeline;
}

export interface SimulateReportInput {
  readonly runs: readonly PolicyRun[];
  /** Shown under the title: the trace file and the run's options. */
  readonly source: string;
  readonly generatedAt: Date;
}

const DEMAND_COLOR = '#1d232b';

/** The sample times of the longest run: runs stop when their last job ends, so lengths differ. */
function commonTimes(runs: readonly PolicyRun[], group: string): number[] {
  let best: number[] = [];
  for (const r of runs) {
    const t = r.timeline.groups[group]?.t ?? [];
    if (t.length > best.length) best = t;
  }
  return best;
}

function padded(values: readonly number[], length: number): (number | null)[] {
  return Array.from({ length }, (_, i) => values[i] ?? null);
}

/** The run whose demand line is drawn: demand hardly depends on the policy, so one suffices. */
function demandRun(runs: readonly PolicyRun[]): PolicyRun {
  return runs.find((r) => r.report.policy === 'reactive') ?? runs[runs.length - 1]!;
}

function nodesChart(runs: readonly PolicyRun[], group: string, role: string): ChartSpec {
  const t = commonTimes(runs, group);
  const demand = demandRun(runs).timeline.groups[group];
  return {
    title: `${group} (${role}): nodes per policy, and demand`,
    note: 'Live nodes (provisioning and Ready) sampled every 5 minutes; demand is the nodes the running and pending pods need.',
    kind: 'time',
    x: t.map((ms) => ms / 1000),
    xLabel: 'time (UTC)',
    yLabel: 'nodes',
    series: [
      ...runs.map((r, i) => ({
        label: r.report.policy,
        values: padded(r.timeline.groups[group]?.nodes ?? [], t.length),
        color: PALETTE[i % PALETTE.length]!,
        stepped: true,
      })),
      {
        label: `demand (${demandRun(runs).report.policy} run)`,
        values: padded(demand?.demand ?? [], t.length),
        color: DEMAND_COLOR,
        dash: [4, 3],
        width: 1,
      },
    ],
  };
}

/** The demand sample nearest each forecast time. */
function actualAt(series: GroupSeries, times: readonly number[]): (number | null)[] {
  const t0 = series.t[0] ?? 0;
  const step = (series.t[1] ?? t0 + 300_000) - t0;
  return times.map((t) => series.demand[Math.round((t - t0) / step)] ?? null);
}

function forecastCharts(runs: readonly PolicyRun[]): ChartSpec[] {
  const out: ChartSpec[] = [];
  for (const run of runs) {
    for (const [group, f] of Object.entries(run.timeline.forecast)) {
      const actual = run.timeline.groups[group];
      if (!actual || f.t.length === 0) continue;
      out.push({
        title: `${group}: ${run.report.policy} forecast at the lead vs the demand that came`,
        note: `The forecast each tick acted on, plotted at the time it was for; the band runs from the median to the p${Math.round(f.quantile * 100)} the target covers.`,
        kind: 'time',
        x: f.t.map((ms) => ms / 1000),
        xLabel: 'time (UTC)',
        yLabel: 'nodes',
        series: [
          { label: `p${Math.round(f.quantile * 100)}`, values: f.upper, color: '#56B4E9', width: 1 },
          { label: 'median', values: f.point, color: '#0072B2' },
          {
            label: 'actual demand',
            values: actualAt(actual, f.t),
            color: DEMAND_COLOR,
            dash: [4, 3],
            width: 1,
          },
        ],
        bands: [{ upper: 1, lower: 2, fill: 'rgba(86,180,233,0.25)' }],
      });
    }
  }
  return out;
}

function cdfChart(runs: readonly PolicyRun[], which: 'executorPending' | 'slowdown'): ChartSpec | undefined {
  const first = runs.find((r) => r.timeline[which])?.timeline[which];
  if (!first) return undefined;
  const pending = which === 'executorPending';
  return {
    title: pending ? 'Executor pod pending time' : 'Job slowdown',
    note: pending
      ? 'Share of executor pods that started within x seconds of being created (higher and further left is better).'
      : 'Share of jobs whose (finish - submit) / run time is at most x (1.0 = no delay).',
    kind: 'line',
    x: first.x,
    xLabel: pending ? 'seconds pending' : 'slowdown',
    yLabel: '% at or below',
    xLog: pending,
    series: runs.map((r, i) => ({
      label: `${r.report.policy} (${r.timeline[which]?.count ?? 0})`,
      values: (r.timeline[which]?.share ?? []).map((s) => Math.round(s * 10_000) / 100),
      color: PALETTE[i % PALETTE.length]!,
    })),
  };
}

function costChart(runs: readonly PolicyRun[]): ChartSpec {
  const queues = [...new Set(runs.flatMap((r) => Object.keys(r.timeline.queues)))].sort();
  const unused = [...new Set(runs.flatMap((r) => Object.keys(r.timeline.unusedCost)))].sort();
  const categories = [...queues, ...unused.map((g) => `${g}: unused`)];
  return {
    title: 'Cost per queue, and the cost no request used',
    note: "A queue's executor requests (core-hours) priced at its group's node price per core; 'unused' is the rest of each group's node-hours: idle nodes, fragmentation, system pods.",
    kind: 'line',
    x: categories.map((_, i) => i),
    categories,
    xLabel: 'queue',
    yLabel: 'cost',
    height: 320,
    series: runs.map((r, i) => ({
      label: r.report.policy,
      values: [
        ...queues.map((q) => r.timeline.queues[q]?.cost ?? 0),
        ...unused.map((g) => r.timeline.unusedCost[g] ?? 0),
      ],
      color: PALETTE[i % PALETTE.length]!,
      bars: true,
    })),
  };
}

export function simulateReportSpec(input: SimulateReportInput): { title: string; sections: SectionSpec[] } {
  const { runs } = input;
  const baseline = runs.find((r) => r.report.policy === 'static')?.report;
  const [header, ...rows] = reportTable(
    runs.map((r) => r.report),
    baseline,
  );
  const groups = Object.entries(runs[0]?.timeline.groups ?? {}).filter(([, s]) => s.role !== 'system');
  const distributions = [cdfChart(runs, 'executorPending'), cdfChart(runs, 'slowdown')].filter(
    (c): c is ChartSpec => c !== undefined,
  );
  const forecasts = forecastCharts(runs);
  return {
    title: 'nodecast simulate',
    sections: [
      { heading: 'Summary', tables: [{ columns: header!.map((c, i) => (i === 0 ? 'measure' : c)), rows }] },
      { heading: 'Nodes and demand over time', charts: groups.map(([g, s]) => nodesChart(runs, g, s.role)) },
      {
        heading: 'Forecast vs actual',
        ...(forecasts.length === 0
          ? { text: 'No policy in this run acted on a forecast (run with --policy predictive or all).' }
          : {}),
        charts: forecasts,
      },
      { heading: 'Pending time and slowdown', charts: distributions },
      { heading: 'Cost per queue', charts: [costChart(runs)] },
    ],
  };
}

export function renderSimulateReport(input: SimulateReportInput): string {
  const spec = simulateReportSpec(input);
  return renderPage({
    title: spec.title,
    subtitle: `${input.source} - generated ${input.generatedAt.toISOString()}`,
    sections: spec.sections,
  });
}
