/** Markdown (tables, criteria) and frontier charts from the policies bench's per-trace results. */
import { WAITED_SECONDS, type SimReport } from '../sim/report.js';
import { queuesOf, share, waitedShare } from '../sim/report-table.js';
import { frontierSvg } from './frontier-svg.js';
import { EXECUTOR, type TraceResult } from './policies-run.js';

const num = (v: number | null | undefined, d = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d);
const p95 = (r: SimReport) => r.executorPendingSeconds.p95 ?? 0;
const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;

const ROWS: readonly [string, (r: SimReport) => string][] = [
  ['jobs completed / total', (r) => `${r.jobsCompleted} / ${r.jobs}`],
  ['node-hours', (r) => num(r.nodeHours)],
  ['spark-executor node-hours', (r) => num(r.nodeHoursByGroup[EXECUTOR] ?? 0)],
  ['peak nodes', (r) => String(r.peakNodes)],
  [
    'executor pending s p50 / p95 / p99',
    (r) => ['p50', 'p95', 'p99'].map((k) => num(r.executorPendingSeconds[k as 'p50'], 0)).join(' / '),
  ],
  ['driver pending s p95', (r) => num(r.driverPendingSeconds.p95, 0)],
  ['job slowdown mean / p95', (r) => `${num(r.jobSlowdown.mean, 3)} / ${num(r.jobSlowdown.p95, 3)}`],
  [
    'scale-out latency s p50 / p95',
    (r) => `${num(r.scaleOutLatencySeconds.p50, 0)} / ${num(r.scaleOutLatencySeconds.p95, 0)}`,
  ],
  ['evictions', (r) => String(r.evictions)],
  ['executor nodes removed busy', (r) => String(r.executorNodesRemovedWhileBusy)],
  ['wall seconds', (r) => num(r.wallSeconds, 1)],
];

function table(reports: readonly SimReport[]): string {
  const lines = [
    `| | ${reports.map((r) => r.policy).join(' | ')} |`,
    `|---|${reports.map(() => '---:').join('|')}|`,
  ];
  for (const [label, value] of ROWS) lines.push(`| ${label} | ${reports.map(value).join(' | ')} |`);
  return lines.join('\n');
}

/**
 * Where the tail comes from: per queue, the share of all executor pods that waited for a node.
 * The p95 is 0 only when under 5% did, so this shows what stands between a policy and the oracle.
 */
function tailTable(reports: readonly SimReport[]): string[] {
  const queues = queuesOf(reports);
  if (queues.length === 0) return [];
  const cell = (r: SimReport, q?: string) => share(waitedShare(r, q));
  return [
    `Where the wait comes from: executor pods that waited over ${WAITED_SECONDS} s for a node, by YuniKorn queue, as a share of all executor pods (a pending p95 of 0 needs the total under 5%):`,
    '',
    `| queue | ${reports.map((r) => r.policy).join(' | ')} |`,
    `|---|${reports.map(() => '---:').join('|')}|`,
    ...queues.map((q) => `| ${q} | ${reports.map((r) => cell(r, q)).join(' | ')} |`),
    `| all | ${reports.map((r) => cell(r)).join(' | ')} |`,
    '',
  ];
}

/** N of a `family-N` run (headroom-N, foresight-N), undefined for other policies. */
const nOf = (family: string, r: SimReport): number | undefined => {
  const m = new RegExp(`^${family}-(\\d+)$`).exec(r.policy);
  return m ? Number(m[1]) : undefined;
};
const headroomN = (r: SimReport) => nOf('headroom', r);
const foresightN = (r: SimReport) => nOf('foresight', r);

/** A sweep's executor pending p95 at `nodeHours`, linear between the two N that bracket it. */
export function p95At(
  headroom: readonly SimReport[],
  nodeHours: number,
): { p95: number; between: string } | undefined {
  const sorted = [...headroom].sort((a, b) => a.nodeHours - b.nodeHours);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    if (a.nodeHours <= nodeHours && nodeHours <= b.nodeHours) {
      const f = b.nodeHours === a.nodeHours ? 0 : (nodeHours - a.nodeHours) / (b.nodeHours - a.nodeHours);
      return { p95: p95(a) + f * (p95(b) - p95(a)), between: `${a.policy} .. ${b.policy}` };
    }
  }
  return undefined;
}

export interface Verdicts {
  readonly beatsHeadroom: boolean | undefined;
  readonly oracleTarget: boolean;
  /** foresight's p95 at the target's budget (1.05x oracle node-hours): the causal bound there. */
  readonly causalBound: number | undefined;
  readonly summary: string;
}

export function renderTrace(r: TraceResult): { markdown: string; svg: string; verdicts: Verdicts } {
  const by = new Map(r.reports.map((x) => [x.policy, x]));
  const oracle = by.get('oracle')!;
  const pred = by.get(r.predictive)!;
  const headroom = r.reports
    .filter((x) => headroomN(x) !== undefined)
    .sort((a, b) => headroomN(a)! - headroomN(b)!);
  const predictives = r.reports.filter((x) => x.policy.startsWith('predictive'));
  const foresight = r.reports
    .filter((x) => foresightN(x) !== undefined)
    .sort((a, b) => foresightN(a)! - foresightN(b)!);
  const budget = oracle.nodeHours * 1.05;
  const bound = p95At(foresight, budget);
  const foresightAtPred = p95At(foresight, pred.nodeHours);
  const atEqual = p95At(headroom, pred.nodeHours);
  const nearest = [...headroom].sort(
    (a, b) => Math.abs(a.nodeHours - pred.nodeHours) - Math.abs(b.nodeHours - pred.nodeHours),
  )[0]!;
  const main = ['static', 'ca', 'reactive', 'oracle', r.predictive].map((n) => by.get(n)!);
  const p95Ratio = p95(oracle) > 0 ? p95(pred) / p95(oracle) : NaN;
  const vsOracle = p95(oracle) > 0 ? `${num(p95Ratio, 2)}x` : `oracle 0 s, +${num(p95(pred))} s`;
  const nhRatio = pred.nodeHours / oracle.nodeHours;
  const oracleTarget = p95(pred) <= 1.5 * p95(oracle) && Math.abs(nhRatio - 1) <= 0.05;
  const beatsHeadroom = atEqual ? p95(pred) < atEqual.p95 : undefined;
  const frontierRows = [oracle, ...foresight, ...predictives, ...headroom, by.get('reactive')!].map((x) => {
    const h = x.policy.startsWith('predictive') ? p95At(headroom, x.nodeHours) : undefined;
    return `| ${x.policy} | ${num(x.nodeHours)} | ${num(x.nodeHours / oracle.nodeHours, 3)}x | ${num(p95(x))} | ${p95(oracle) > 0 ? `${num(p95(x) / p95(oracle), 2)}x` : '-'} | ${h ? `${num(h.p95)} (${h.between})` : ''} | ${num(x.jobSlowdown.mean, 3)} |`;
  });
  const use = r.uses[r.predictive];
  const lines = [
    `## ${r.trace}`,
    '',
    `${r.description} ${r.jobs} jobs; predictive starts with ${r.historyDays} days of history. Default config; simulator seed 1.`,
    '',
    table(main),
    '',
    `Cost/delay frontier (node-hours vs executor pending p95; headroom-N = reactive + N warm spare executor nodes; foresight-N = the causal bound: the scheduled jobs' future, unscheduled work held over the lead, up to N spare nodes shaped by the unscheduled rate):`,
    '',
    `| policy | node-hours | vs oracle | executor pending p95 s | vs oracle | headroom p95 at the same node-hours | slowdown mean |`,
    '|---|---:|---:|---:|---:|---|---:|',
    ...frontierRows,
    '',
    `![frontier ${r.trace}](frontier/${r.trace}.svg)`,
    '',
    `| criterion (${r.predictive}) | measured | result |`,
    '|---|---|---|',
    `| beats headroom at equal node-hours on executor pending p95 | ${num(p95(pred))} s vs ${atEqual ? `${num(atEqual.p95)} s (${atEqual.between}, interpolated at ${num(pred.nodeHours)} node-hours)` : 'no headroom run brackets its node-hours'}; nearest headroom run ${nearest.policy}: ${num(nearest.nodeHours)} node-hours, ${num(p95(nearest))} s | ${beatsHeadroom === undefined ? 'n/a' : beatsHeadroom ? 'PASS' : 'FAIL'} |`,
    `| distance to oracle (target: p95 <= 1.5x oracle at node-hours within 5%) | p95 ${num(p95(pred))} s vs ${num(p95(oracle))} s (${vsOracle}); node-hours ${num(nhRatio, 3)}x | ${oracleTarget ? 'MET' : 'NOT MET'} |`,
    `| causal bound: foresight at the target's budget (${num(budget)} node-hours, 1.05x oracle) | ${bound ? `${num(bound.p95)} s (${bound.between})` : 'no foresight run brackets it'}; at predictive's node-hours ${foresightAtPred ? `${num(foresightAtPred.p95)} s (${foresightAtPred.between})` : '-'} | ${bound ? (bound.p95 <= 1.5 * p95(oracle) ? 'foresight meets it' : 'foresight misses it too') : 'n/a'} |`,
    '',
    ...tailTable([by.get('reactive')!, oracle, ...predictives, nearest]),
  ];
  if (use)
    lines.push(
      `${r.predictive}: executor forecast over ${use.ticks} ticks: unavailable ${pct(use.unavailable, use.ticks)}, untrusted ${pct(use.untrusted, use.ticks)}, usable ${pct(use.usable, use.ticks)} (first usable after ${num(use.firstUsableHour ?? null)} h); it set the target or held nodes in ${pct(use.acted, use.ticks)} of ticks, ${pct(use.actedInGrace, use.ticks)} within the trust grace.`,
      '',
    );
  const point = (x: SimReport, label: string) => ({ label, nodeHours: x.nodeHours, pendingP95: p95(x) });
  const svg = frontierSvg(`${r.trace}: node-hours vs executor pending p95`, [
    {
      name: 'predictive',
      color: '#1f77b4',
      line: true,
      points: predictives.map((x) => point(x, x.policy.replace('predictive ', ''))),
    },
    {
      name: 'headroom-N',
      color: '#ff7f0e',
      line: true,
      points: headroom.map((x) => point(x, `N=${headroomN(x)}`)),
    },
    {
      name: 'foresight-N',
      color: '#9467bd',
      line: true,
      points: foresight.map((x) => point(x, `N=${foresightN(x)}`)),
    },
    { name: 'oracle', color: '#2ca02c', line: false, points: [point(oracle, 'oracle')] },
    { name: 'reactive', color: '#d62728', line: false, points: [point(by.get('reactive')!, 'reactive')] },
  ]);
  const summary = `| ${r.trace} | ${num(p95(pred))} | ${atEqual ? num(atEqual.p95) : '-'} | ${bound ? num(bound.p95) : '-'} | ${num(p95(oracle))} | ${vsOracle} | ${num(nhRatio, 3)}x | ${num(p95(by.get('reactive')!))} | ${beatsHeadroom === undefined ? 'n/a' : beatsHeadroom ? 'yes' : 'no'} | ${oracleTarget ? 'met' : 'not met'} |`;
  return {
    markdown: lines.join('\n'),
    svg,
    verdicts: { beatsHeadroom, oracleTarget, causalBound: bound?.p95, summary },
  };
}

export const SUMMARY_HEADER = [
  '| trace | predictive p95 s | headroom p95 s at equal node-hours | causal bound: foresight p95 s at 1.05x oracle node-hours | oracle p95 s | predictive / oracle p95 | predictive / oracle node-hours | reactive p95 s | beats headroom | oracle target |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
].join('\n');
