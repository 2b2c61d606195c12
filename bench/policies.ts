/**
 * Issue 3's acceptance, in one command: generates the 14-day default workload for each seed, runs
 * static, ca, reactive and predictive on it with the default config (exactly what
 * `nodecast generate-trace --days 14 --seed S` + `nodecast simulate --trace ... --policy all` do),
 * checks predictive against reactive and static, and writes bench/policies.md.
 *   npx tsx bench/policies.ts [--seeds 1,2] [--days 14] [--sim-seed 1] [--history-days 7]
 *                             [--out bench/policies.md] [--strict]
 * predictive runs twice: from a cold start (no history: the trace's first day is reactive by
 * design) and with --history-days of history, as an agent installed with a Prometheus backfill
 * starts (`simulate --history-days N`; sim/warmup.ts).
 * Criteria (predictive vs reactive): executor pending p95 at most half; mean job slowdown at least
 * 50% closer to 1; node-hours at most 10% above reactive and at least 35% below static.
 * --strict exits 1 when a criterion of the run with history fails.
 */
import { writeFileSync } from 'node:fs';
import { defaultConfig } from '../agent/config/load.js';
import type { GroupDecision } from '../agent/decide/plan.js';
import { predictivePolicy } from '../sim/policies/predictive.js';
import type { SimPolicy } from '../sim/policies/policy.js';
import type { SimReport } from '../sim/report.js';
import {
  defaultPolicyFactories,
  predictiveWithHistory,
  runPolicies,
  type PolicyFactory,
} from '../sim/run-policies.js';
import { simulationStart } from '../sim/simulation.js';
import { generateTrace } from '../sim/trace-generate.js';
import { parseTrace } from '../sim/trace-parse.js';
import { formatTrace } from '../sim/trace-write.js';

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const seeds = arg('seeds', '1,2').split(',').map(Number);
const days = Number(arg('days', '14'));
const simSeed = Number(arg('sim-seed', '1'));
const out = arg('out', 'bench/policies.md');
const historyDays = Number(arg('history-days', '7'));
const strict = process.argv.includes('--strict');
const WARM = `predictive (${historyDays} d history)`;
const POLICIES = ['static', 'ca', 'reactive', 'predictive', WARM] as const;
type Reports = Record<string, SimReport>;
const EXECUTOR = 'spark-executor';

/** How the executor group's forecast was used, tick by tick. */
interface ForecastUse {
  ticks: number;
  unavailable: number;
  untrusted: number;
  /** Trusted (or within the trust grace): decide may act on it. */
  usable: number;
  /** The forecast set the target or held nodes (a `forecast` or `scale-in-hold` reason). */
  acted: number;
  /** ...while the model was flagged, within the hub's trust grace. */
  actedInGrace: number;
  firstUsableHour?: number;
}

function tracked(policy: SimPolicy, use: ForecastUse, start: () => number): SimPolicy {
  return {
    ...policy,
    onTick(snapshot, now) {
      const result = policy.onTick(snapshot, now);
      const d = result.plan.decisions.find((x) => x.group === EXECUTOR);
      if (d) count(d, now);
      return result;
    },
  };
  function count(d: GroupDecision, now: number): void {
    const codes = new Set(d.reasons.map((r) => r.code));
    use.ticks++;
    if (codes.has('forecast-unavailable')) return void use.unavailable++;
    if (codes.has('forecast-untrusted')) return void use.untrusted++;
    use.usable++;
    use.firstUsableHour ??= (now - start()) / 3_600_000;
    if (codes.has('forecast') || codes.has('scale-in-hold')) {
      use.acted++;
      if (d.reasons.some((r) => r.message.includes('trust grace'))) use.actedInGrace++;
    }
  }
}

interface Verdict {
  readonly name: string;
  readonly measured: string;
  readonly limit: string;
  readonly pass: boolean;
}

function criteria(r: Reports, name: string): Verdict[] {
  const p95 = (x: SimReport) => x.executorPendingSeconds.p95 ?? 0;
  const slow = (x: SimReport) => x.jobSlowdown.mean ?? 1;
  const { reactive: reac, static: stat } = r as { reactive: SimReport; static: SimReport };
  const pred = r[name]!;
  const f = (v: number, d = 1) => v.toFixed(d);
  return [
    {
      name: 'executor pending p95 <= 0.5 x reactive',
      measured: `${f(p95(pred))} s (${f(p95(pred) / p95(reac), 2)}x of ${f(p95(reac))} s)`,
      limit: `<= ${f(0.5 * p95(reac))} s`,
      pass: p95(pred) <= 0.5 * p95(reac),
    },
    {
      name: 'mean slowdown - 1 <= 0.5 x reactive',
      measured: `${f(slow(pred), 3)} (${f((slow(pred) - 1) / (slow(reac) - 1), 2)}x of ${f(slow(reac) - 1, 3)} above 1)`,
      limit: `<= ${f(1 + 0.5 * (slow(reac) - 1), 3)}`,
      pass: slow(pred) - 1 <= 0.5 * (slow(reac) - 1),
    },
    {
      name: 'node-hours <= 1.10 x reactive',
      measured: `${f(pred.nodeHours)} (${f((100 * (pred.nodeHours - reac.nodeHours)) / reac.nodeHours)}% vs ${f(reac.nodeHours)})`,
      limit: `<= ${f(1.1 * reac.nodeHours)}`,
      pass: pred.nodeHours <= 1.1 * reac.nodeHours,
    },
    {
      name: 'node-hours <= 0.65 x static',
      measured: `${f(pred.nodeHours)} (${f((100 * (pred.nodeHours - stat.nodeHours)) / stat.nodeHours)}% vs ${f(stat.nodeHours)})`,
      limit: `<= ${f(0.65 * stat.nodeHours)}`,
      pass: pred.nodeHours <= 0.65 * stat.nodeHours,
    },
  ];
}

const num = (v: number | null, d = 1) => (v === null ? '-' : v.toFixed(d));
const ROWS: readonly [string, (r: SimReport) => string][] = [
  ['jobs completed / total', (r) => `${r.jobsCompleted} / ${r.jobs}`],
  ['node-hours', (r) => num(r.nodeHours)],
  ['  spark-executor', (r) => num(r.nodeHoursByGroup[EXECUTOR] ?? 0)],
  ['cost', (r) => num(r.cost, 0)],
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
  for (const [label, value] of ROWS) lines.push(`| ${label.trim()} | ${reports.map(value).join(' | ')} |`);
  return lines.join('\n');
}

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;
const config = defaultConfig();
const sections: string[] = [];
let failures = 0;
for (const seed of seeds) {
  // Through the CSV, as `generate-trace --out` + `simulate --trace` do.
  const jobs = parseTrace(formatTrace(generateTrace({ days, seed })), {
    source: `seed-${seed}.csv`,
    queues: config.queues.map((q) => q.name),
  });
  const start = simulationStart(jobs);
  const uses = new Map<string, ForecastUse>();
  const track =
    (name: string, factory: PolicyFactory): PolicyFactory =>
    async (ctx) => {
      const use: ForecastUse = {
        ticks: 0,
        unavailable: 0,
        untrusted: 0,
        usable: 0,
        acted: 0,
        actedInGrace: 0,
      };
      uses.set(name, use);
      return tracked(await factory(ctx), use, () => start);
    };
  const factories = new Map<string, PolicyFactory>(defaultPolicyFactories);
  factories.set(
    'predictive',
    track('predictive', (ctx) => Promise.resolve(predictivePolicy(ctx.config))),
  );
  factories.set(WARM, track(WARM, predictiveWithHistory(historyDays, WARM)));
  process.stderr.write(`seed ${seed}: ${jobs.length} jobs over ${days} days\n`);
  let lastStage = '';
  const reports = await runPolicies(
    POLICIES,
    jobs,
    { config, seed: simSeed },
    (_f, stage) => {
      if (stage !== lastStage) process.stderr.write(`  ${(lastStage = stage)}\n`);
    },
    factories,
  );
  const byName: Reports = Object.fromEntries(reports.map((r) => [r.policy, r]));
  const lines = [
    `## seed ${seed}`,
    '',
    `\`nodecast generate-trace --days ${days} --seed ${seed}\` (${jobs.length} jobs), \`nodecast simulate --policy all --seed ${simSeed}\` (and \`--history-days ${historyDays}\` for the last column), default config.`,
    '',
    table(reports),
    '',
  ];
  for (const name of ['predictive', WARM]) {
    const verdicts = criteria(byName, name);
    if (name === WARM) failures += verdicts.filter((v) => !v.pass).length;
    const use = uses.get(name)!;
    lines.push(
      `| criterion (${name}) | measured | limit | result |`,
      '|---|---|---|---|',
      ...verdicts.map((v) => `| ${v.name} | ${v.measured} | ${v.limit} | ${v.pass ? 'PASS' : 'FAIL'} |`),
      '',
      `${name}: executor forecast over ${use.ticks} ticks: unavailable (no model yet) ${pct(use.unavailable, use.ticks)},` +
        ` untrusted ${pct(use.untrusted, use.ticks)}, usable ${pct(use.usable, use.ticks)} (first usable after` +
        ` ${num(use.firstUsableHour ?? null)} h); it set the target or held nodes in ${pct(use.acted, use.ticks)}` +
        ` of ticks, ${pct(use.actedInGrace, use.ticks)} within the trust grace.`,
      '',
    );
  }
  sections.push(lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

const header = [
  '# policies: static, ca, reactive, predictive on the generated workload',
  '',
  `Written by \`npx tsx bench/policies.ts --seeds ${seeds.join(',')}\`; see bench/README.md ("policies").`,
  '',
].join('\n');
writeFileSync(out, `${header}\n${sections.join('\n')}`);
process.stderr.write(`wrote ${out}; ${failures} criterion checks of ${WARM} failed\n`);
if (strict && failures > 0) process.exitCode = 1;
