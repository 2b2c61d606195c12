/**
 * What predictive is worth, in one command: on each trace, static, ca, reactive, oracle,
 * predictive (at several forecast quantiles, with days of history) and headroom-N (N swept until
 * one matches predictive's node-hours), every nodecast policy through the agent's ControlLoop and
 * Actuator; then bench/policies.md (tables, criteria) and bench/frontier/<trace>.svg.
 *   npx tsx bench/policies.ts [--traces seed-1,seed-2,seed-3,series-azure-v2-cluster-cpu-5m,...]
 *     [--quantiles 0.5,0.8,0.9,0.95] [--headroom 0,2,4,8,16,32] [--days 14] [--history-days 7]
 *     [--results bench/results] [--force] [--render-only] [--out bench/policies.md] [--strict]
 * Traces: `seed-S` is `nodecast generate-trace --days 14 --seed S` (through its CSV); `series-F`
 * is a workload that follows ../shared/data/F.csv (sim/trace-from-series.ts), its first
 * history-days replayed as the history, the next `days` scored. Each trace's results are kept
 * in --results as JSON, so traces can run in parallel processes and be rendered together.
 * --strict exits 1 when predictive does not beat headroom at equal node-hours on some trace.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../agent/config/load.js';
import { generateTrace } from '../sim/trace-generate.js';
import { parseSeries, traceFromSeries } from '../sim/trace-from-series.js';
import { parseTrace } from '../sim/trace-parse.js';
import { formatTrace } from '../sim/trace-write.js';
import {
  foresightTargets,
  runForesight,
  runTrace,
  type TraceResult,
  type TraceSpec,
} from './policies-run.js';
import { renderTrace, SUMMARY_HEADER } from './policies-render.js';

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}
const list = (name: string, fallback: string) => arg(name, fallback).split(',').filter(Boolean);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_TRACES = 'seed-1,seed-2,seed-3,series-azure-v2-cluster-cpu-5m,series-nyc-taxi-passengers-30m';
const traces = list('traces', DEFAULT_TRACES);
const quantiles = list('quantiles', '0.5,0.8,0.9,0.95').map(Number);
const headroom = list('headroom', '0,2,4,8,16,32').map(Number);
const days = Number(arg('days', '14'));
const historyDays = Number(arg('history-days', '7'));
const resultsDir = resolve(arg('results', join(root, 'bench/results')));
const out = resolve(arg('out', join(root, 'bench/policies.md')));
const seriesDir = process.env.NODECAST_SERIES_DIR ?? resolve(root, '../shared/data');
const DAY = 86_400_000;
const config = defaultConfig();

function traceSpec(name: string): TraceSpec {
  const seed = /^seed-(\d+)$/.exec(name);
  if (seed) {
    // Through the CSV, as `generate-trace --out` + `simulate --trace` do.
    const jobs = parseTrace(formatTrace(generateTrace({ days, seed: Number(seed[1]) })), {
      source: `${name}.csv`,
      queues: config.queues.map((q) => q.name),
    });
    return {
      name,
      jobs,
      description: `\`nodecast generate-trace --days ${days} --seed ${seed[1]}\`, history from an independent generated workload (\`simulate --history-days ${historyDays}\`).`,
    };
  }
  const series = /^series-(.+)$/.exec(name);
  if (!series) throw new Error(`--traces: "${name}" is neither seed-N nor series-FILE`);
  const file = join(seriesDir, `${series[1]}.csv`);
  const points = parseSeries(readFileSync(file, 'utf8'));
  const first = Math.floor(points[0]!.t / DAY) * DAY;
  const scoredFrom = first + historyDays * DAY;
  const all = traceFromSeries(points, { seed: 1, from: first, to: scoredFrom + days * DAY });
  return {
    name,
    jobs: all.filter((j) => j.submitTime >= scoredFrom),
    historyJobs: all.filter((j) => j.submitTime < scoredFrom),
    description: `A workload following \`../shared/data/${series[1]}.csv\` (peak scaled to ~80 executor nodes, inside the \`etl\` queue's quota; sim/trace-from-series.ts): its first ${historyDays} days replayed as history, the next ${days} days scored.`,
  };
}

mkdirSync(resultsDir, { recursive: true });
const log = (m: string) => process.stderr.write(`${m}\n`);
if (!process.argv.includes('--render-only')) {
  for (const name of traces) {
    const path = join(resultsDir, `${name}.json`);
    if (existsSync(path) && !process.argv.includes('--force')) {
      const kept = JSON.parse(readFileSync(path, 'utf8')) as TraceResult;
      if (kept.reports.some((r) => r.policy.startsWith('foresight-'))) {
        log(`${name}: kept ${path} (--force to rerun)`);
        continue;
      }
      // Results from before the foresight baseline: every run is deterministic, so add its sweep.
      log(`${name}: kept ${path}, adding the foresight sweep (--force to rerun all)`);
      const targets = foresightTargets(
        kept.reports,
        kept.reports.find((r) => r.policy === kept.predictive)?.nodeHours,
      );
      const added = await runForesight(traceSpec(name), { config, seed: 1 }, { targets, log });
      writeFileSync(path, JSON.stringify({ ...kept, reports: [...kept.reports, ...added] }));
      continue;
    }
    const spec = traceSpec(name);
    log(`${name}: ${spec.jobs.length} jobs`);
    const result = await runTrace(spec, { config, seed: 1 }, { quantiles, historyDays, headroom, log });
    writeFileSync(path, JSON.stringify(result));
  }
}

const results: TraceResult[] = traces
  .map((name) => join(resultsDir, `${name}.json`))
  .filter((p) => existsSync(p))
  .map((p) => JSON.parse(readFileSync(p, 'utf8')) as TraceResult);
mkdirSync(join(dirname(out), 'frontier'), { recursive: true });
const rendered = results.map((r) => {
  const x = renderTrace(r);
  writeFileSync(join(dirname(out), 'frontier', `${r.trace}.svg`), x.svg);
  return x;
});
const header = [
  '# policies: what predictive is worth',
  '',
  `Written by \`npx tsx bench/policies.ts --traces ${results.map((r) => r.trace).join(',')}\`; see bench/README.md ("policies"). Every nodecast policy (reactive, predictive, oracle, headroom-N, foresight-N) runs through the agent's ControlLoop and Actuator over the simulator; static and ca are baselines.`,
  '',
  SUMMARY_HEADER,
  ...rendered.map((x) => x.verdicts.summary),
  '',
].join('\n');
writeFileSync(out, `${header}\n${rendered.map((x) => x.markdown).join('\n')}`);
const lost = rendered.filter((x) => x.verdicts.beatsHeadroom === false).length;
log(`wrote ${out}; predictive lost to headroom on ${lost} of ${rendered.length} traces`);
if (process.argv.includes('--strict') && lost > 0) process.exitCode = 1;
