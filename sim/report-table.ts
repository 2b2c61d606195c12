/** Reports side by side: one column per policy, one row per measure. */
import { WAITED_SECONDS, type Percentiles, type SimReport } from './report.js';

type Row = readonly [label: string, value: (r: SimReport) => string];

const num = (v: number | null, digits = 1): string => (v === null ? '-' : v.toFixed(digits));
const pct = (p: Percentiles): string => `${num(p.p50, 0)} / ${num(p.p95, 0)} / ${num(p.p99, 0)}`;
/** A percentage, or '-' when there is none. */
export const share = (v: number | null): string => (v === null ? '-' : `${v.toFixed(1)}%`);

/** Share of the run's executor pods in `queue` (all queues when undefined) that waited for a node. */
export function waitedShare(r: SimReport, queue?: string): number | null {
  const byQueue = Object.entries(r.executorPendingByQueue ?? {});
  const total = byQueue.reduce((n, [, w]) => n + w.pods, 0);
  if (total === 0) return null;
  const waited = byQueue
    .filter(([q]) => queue === undefined || q === queue)
    .reduce((n, [, w]) => n + w.waited, 0);
  return (100 * waited) / total;
}

/** The queues any of the reports ran executors in, sorted. */
export function queuesOf(reports: readonly SimReport[]): string[] {
  return [...new Set(reports.flatMap((r) => Object.keys(r.executorPendingByQueue ?? {})))].sort();
}

function rows(groups: readonly string[], queues: readonly string[]): Row[] {
  return [
    ['jobs completed / total', (r) => `${r.jobsCompleted} / ${r.jobs}`],
    [
      'jobs rejected / failed / unfinished',
      (r) => `${r.jobsRejected} / ${r.jobsFailed} / ${r.jobsUnfinished}`,
    ],
    ['node-hours', (r) => num(r.nodeHours)],
    ...groups.map((g): Row => [`  ${g}`, (r) => num(r.nodeHoursByGroup[g] ?? 0)]),
    ['cost', (r) => num(r.cost, 0)],
    ['peak nodes', (r) => String(r.peakNodes)],
    ['executor pending s p50/p95/p99', (r) => pct(r.executorPendingSeconds)],
    [`executor pods waited > ${WAITED_SECONDS} s`, (r) => share(waitedShare(r))],
    ...queues.map((queue): Row => [
      `  queue ${queue} (% of all / p95 s)`,
      (r) => {
        const w = r.executorPendingByQueue?.[queue];
        return w ? `${share(waitedShare(r, queue))} / ${num(w.p95, 0)}` : '-';
      },
    ]),
    ['driver pending s p50/p95/p99', (r) => pct(r.driverPendingSeconds)],
    ['job slowdown mean / p95', (r) => `${num(r.jobSlowdown.mean, 3)} / ${num(r.jobSlowdown.p95, 3)}`],
    [
      'scale-out latency s p50/p95',
      (r) => `${num(r.scaleOutLatencySeconds.p50, 0)} / ${num(r.scaleOutLatencySeconds.p95, 0)}`,
    ],
    ['evictions', (r) => String(r.evictions)],
    ['executor nodes removed busy', (r) => String(r.executorNodesRemovedWhileBusy)],
    ['policy ticks', (r) => String(r.policyTicks)],
    ['wall seconds', (r) => num(r.wallSeconds, 2)],
  ];
}

/** The side-by-side table as cells: a header row of policy names, then one row per measure. */
export function reportTable(reports: readonly SimReport[], baseline?: SimReport): string[][] {
  const groups = [...new Set(reports.flatMap((r) => Object.keys(r.nodeHoursByGroup)))];
  const queues = queuesOf(reports);
  const table: string[][] = [['', ...reports.map((r) => r.policy)]];
  for (const [label, value] of rows(groups, queues)) table.push([label, ...reports.map(value)]);
  if (baseline && baseline.nodeHours > 0) {
    table.push([
      `node-hours vs ${baseline.policy}`,
      ...reports.map((r) => `${num((100 * (r.nodeHours - baseline.nodeHours)) / baseline.nodeHours, 1)}%`),
    ]);
  }
  return table;
}

export function formatReports(reports: readonly SimReport[], baseline?: SimReport): string {
  const table = reportTable(reports, baseline);
  const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
  return table
    .map((row) =>
      row
        .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!)))
        .join('  '),
    )
    .join('\n');
}
