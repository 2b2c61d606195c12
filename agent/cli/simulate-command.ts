/**
 * `nodecast simulate` and `nodecast generate-trace`. Exit codes: 0 ok, 1 bad input file (trace,
 * config) or failed run, 2 bad command-line flags.
 */
import { writeFileSync } from 'node:fs';
import { checkWritable } from '../report/report-path.js';
import { parseArgs } from 'node:util';
import { defaultConfig, loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { DistributionError, parseDistribution, type DelayDistribution } from '../../sim/distributions.js';
import { progressBar } from './progress.js';
import { formatReports } from '../../sim/report-table.js';
import {
  defaultPolicyFactories,
  policyFactory,
  predictiveWithHistory,
  runPolicies,
  runPoliciesRecorded,
} from '../../sim/run-policies.js';
import { renderSimulateReport, type PolicyRun } from '../report/simulate-report.js';
import { generateTrace } from '../../sim/trace-generate.js';
import { readTraceFile, TraceError } from '../../sim/trace-parse.js';
import { DEFAULT_MAX_SPAN, spanProblem } from '../../sim/trace-span.js';
import { parseDuration } from '../config/duration.js';
import type { CommandIO } from './command-io.js';
import type { TraceJob } from '../../sim/trace-types.js';
import { formatTrace } from '../../sim/trace-write.js';

export const SIMULATE_USAGE = `usage: nodecast simulate --trace FILE [--policy static|ca|reactive|predictive|oracle|headroom-N|foresight-N|all] [--config FILE]
                         [--seed N] [--provisioning DIST] [--history-days N] [--json] [--report FILE.html]
  --trace FILE         workload trace CSV (docs/trace-format.md)
  --policy NAME        policy to run, or "all" side by side (default all): reactive, predictive,
                       oracle (perfect foresight of demand), headroom-N (reactive + N spare
                       executor nodes) and foresight-N (the causal bound: the future of the
                       generator's scheduled ETL jobs, the unscheduled rate by hour of week as up
                       to N spare nodes) run the agent's own control loop; static and ca are baselines
  --config FILE        nodecast configuration (default: the embedded default; NODECAST_* variables are ignored)
  --seed N             seeds node provisioning delays and pod usage (default 1)
  --provisioning DIST  node provisioning delay: lognormal:MEDIAN,P95[,MAX] | fixed:S | uniform:MIN,MAX
                       (default lognormal:150,280,300)
  --history-days N     predictive starts with N days of demand history, replayed by the reactive
                       policy on a generated workload before the trace, as a Prometheus backfill
                       gives an installed agent (default 0: the first day runs reactive)
  --max-span DURATION  refuse a trace whose first submit to last app end exceeds this (default 400d)
  --json               print one JSON object instead of a table
  --report FILE.html   also write a self-contained HTML report with charts (open it in a browser)`;

export const GENERATE_USAGE = `usage: nodecast generate-trace --days N --seed S [--out FILE] [--start ISO]
  --days N     days of workload to generate
  --seed S     random seed (same seed, same trace)
  --out FILE   write the CSV here (default: stdout)
  --start ISO  first day, midnight UTC recommended (default 2024-01-01T00:00:00Z, a Monday)`;

class UsageError extends Error {}

/** Runs node:util parseArgs, turning its errors (unknown flag, missing value) into usage errors. */
function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function integer(text: string | undefined, flag: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text) || Number(text) < min)
    throw new UsageError(`${flag}: expected an integer >= ${min}, got "${text}"`);
  return Number(text);
}

function fail(io: CommandIO, usage: string, error: unknown): number {
  if (error instanceof UsageError || error instanceof DistributionError) {
    io.stderr.write(`error: ${error.message}\n${usage}\n`);
    return 2;
  }
  io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

interface SimulateFlags {
  readonly trace: string;
  readonly policies: string[];
  /** --policy all: reports side by side ({policies: [...]} in JSON). */
  readonly all: boolean;
  readonly configFile: string | undefined;
  readonly seed: number;
  readonly provisioning: DelayDistribution | undefined;
  readonly historyDays: number;
  readonly maxSpanSeconds: number;
  readonly json: boolean;
  readonly report: string | undefined;
}

function simulateFlags(argv: string[]): SimulateFlags | 'help' {
  const { values } = parseFlags(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        trace: { type: 'string' },
        policy: { type: 'string', default: 'all' },
        config: { type: 'string' },
        seed: { type: 'string' },
        provisioning: { type: 'string' },
        'history-days': { type: 'string' },
        'max-span': { type: 'string', default: DEFAULT_MAX_SPAN },
        json: { type: 'boolean', default: false },
        report: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
  if (values.help) return 'help';
  if (typeof values.trace !== 'string') throw new UsageError('--trace FILE is required');
  const known = [...defaultPolicyFactories.keys()];
  const policy = values.policy;
  if (policy !== 'all' && !policyFactory(policy)) {
    throw new UsageError(
      `--policy: unknown policy "${policy}" (use ${known.join(', ')}, headroom-N, foresight-N or all)`,
    );
  }
  return {
    trace: values.trace,
    policies: policy === 'all' ? known : [policy],
    all: policy === 'all',
    configFile: values.config,
    seed: integer(values.seed, '--seed', 0) ?? 1,
    provisioning: values.provisioning === undefined ? undefined : parseDistribution(values.provisioning),
    historyDays: integer(values['history-days'], '--history-days', 0) ?? 0,
    maxSpanSeconds: maxSpan(values['max-span']),
    json: values.json,
    report: values.report,
  };
}

function maxSpan(text: string): number {
  const seconds = parseDuration(text);
  if (seconds === undefined || seconds <= 0)
    throw new UsageError(`--max-span: expected a duration such as 90d or 12h, got "${text}"`);
  return seconds;
}

function readInputs(flags: SimulateFlags): { config: Config; jobs: TraceJob[] } {
  const config = flags.configFile ? loadConfig({ file: flags.configFile, env: {} }) : defaultConfig();
  const jobs = readTraceFile(flags.trace, { queues: config.queues.map((q) => q.name) });
  const tooLong = spanProblem(jobs, flags.maxSpanSeconds);
  if (tooLong) throw new UsageError(tooLong);
  if (flags.report) checkWritable(flags.report);
  return { config, jobs };
}

export async function runSimulateCommand(argv: string[], io: CommandIO): Promise<number> {
  let flags: SimulateFlags | 'help';
  try {
    flags = simulateFlags(argv);
  } catch (error) {
    return fail(io, SIMULATE_USAGE, error);
  }
  if (flags === 'help') {
    io.stdout.write(`${SIMULATE_USAGE}\n`);
    return 0;
  }
  let inputs: { config: Config; jobs: TraceJob[] };
  try {
    inputs = readInputs(flags);
  } catch (error) {
    if (error instanceof TraceError) {
      const lines = error.message.split('\n').map((line) => `  ${line}`);
      io.stderr.write(
        `error: invalid trace ${error.source} (${error.issues.length} problems):\n${lines.join('\n')}\n`,
      );
      return 1;
    }
    return fail(io, SIMULATE_USAGE, error);
  }
  const progress = progressBar(io.stderr, { enabled: io.isTTY });
  try {
    const run = flags.report ? runPoliciesRecorded : runPolicies;
    const results = await run(
      flags.policies,
      inputs.jobs,
      {
        config: inputs.config,
        seed: flags.seed,
        ...(flags.provisioning ? { provisioning: flags.provisioning } : {}),
      },
      (fraction, stage) => progress.update(fraction, stage),
      flags.historyDays > 0
        ? new Map([...defaultPolicyFactories, ['predictive', predictiveWithHistory(flags.historyDays)]])
        : defaultPolicyFactories,
    );
    progress.done();
    const reports = results.map((r) => ('report' in r ? r.report : r));
    if (flags.report) {
      const runs = results.filter((r): r is PolicyRun => 'timeline' in r);
      writeFileSync(
        flags.report,
        renderSimulateReport({
          runs,
          source: `trace ${flags.trace}, seed ${flags.seed}`,
          generatedAt: new Date(),
        }),
      );
      io.stderr.write(`wrote report to ${flags.report}\n`);
    }
    if (flags.json) {
      const body = flags.all ? { policies: reports } : reports[0];
      io.stdout.write(`${JSON.stringify(body)}\n`);
    } else {
      const baseline = flags.all ? reports.find((r) => r.policy === 'static') : undefined;
      io.stdout.write(`${formatReports(reports, baseline)}\n`);
    }
    return 0;
  } catch (error) {
    progress.done();
    return fail(io, SIMULATE_USAGE, error);
  }
}

export function runGenerateTraceCommand(argv: string[], io: CommandIO): Promise<number> {
  try {
    const { values } = parseFlags(() =>
      parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: {
          days: { type: 'string' },
          seed: { type: 'string' },
          out: { type: 'string' },
          start: { type: 'string' },
          help: { type: 'boolean', short: 'h', default: false },
        },
      }),
    );
    if (values.help) {
      io.stdout.write(`${GENERATE_USAGE}\n`);
      return Promise.resolve(0);
    }
    const days = integer(values.days, '--days', 1);
    const seed = integer(values.seed, '--seed', 0);
    if (days === undefined) throw new UsageError('--days N is required');
    if (seed === undefined) throw new UsageError('--seed S is required');
    const start = values.start === undefined ? undefined : Date.parse(values.start);
    if (start !== undefined && Number.isNaN(start))
      throw new UsageError(`--start: not an ISO 8601 time: "${values.start}"`);
    const jobs = generateTrace({ days, seed, ...(start !== undefined ? { start } : {}) });
    const csv = formatTrace(jobs);
    if (typeof values.out === 'string') {
      writeFileSync(values.out, csv);
      io.stderr.write(`wrote ${jobs.length} jobs over ${days} days to ${values.out}\n`);
    } else {
      io.stdout.write(csv);
    }
    return Promise.resolve(0);
  } catch (error) {
    return Promise.resolve(fail(io, GENERATE_USAGE, error));
  }
}
