/**
 * `nodecast backtest --series FILE [--horizon 30m] [--models a,b,...] [--json]`: every model's
 * rolling-origin accuracy on one series. Exit 0 on success, 2 on bad input (file, flags, models).
 */
import { parseArgs } from 'node:util';
import { AUTO, MODEL_NAMES } from '../../forecast/catalog.js';
import { type SeriesEvaluation, checkModelNames, evaluateSeries } from '../../forecast/evaluate.js';
import { parseDuration } from '../config/duration.js';
import type { CommandIO } from './command-io.js';
import { progressBar } from './progress.js';
import { SeriesFormatError, loadSeriesFile } from '../../forecast/series-csv.js';
import type { Series } from '../../forecast/types.js';
import { renderBacktestReport } from '../report/backtest-report.js';
import { checkWritable, ReportPathError } from '../report/report-path.js';
import { writeFileSync } from 'node:fs';

const USAGE = `usage: nodecast backtest --series FILE [--horizon 30m] [--models a,b,...] [--json] [--report FILE.html]

Rolling-origin backtest of forecasting models on a timestamp,value CSV (ISO 8601 or unix seconds).
Prints MASE (scaled by the one-day seasonal naive), sMAPE, p90 band coverage and fit+forecast time.

options:
  --series FILE     the CSV file (required)
  --horizon DUR     forecast horizon scored, e.g. 30m, 1h, 90s (default 30m)
  --models LIST     comma-separated models (default all): ${MODEL_NAMES.join(', ')}
  --json            print one JSON object {models: [...], best}
  --report FILE     also write a self-contained HTML report with charts (open it in a browser)
`;

class UsageError extends Error {}

/** The --horizon flag ("30m", "1h30m", "90s") in milliseconds; throws UsageError otherwise. */
export function parseHorizon(text: string): number {
  const seconds = /^\d+(?:\.\d+)?$/.test(text) ? undefined : parseDuration(text);
  if (seconds === undefined) {
    throw new UsageError(`--horizon: "${text}" is not a duration (use e.g. 30m, 1h, 90s)`);
  }
  if (!(seconds > 0)) throw new UsageError(`--horizon must be positive, got "${text}"`);
  return seconds * 1000;
}

interface BacktestArgs {
  readonly series: string;
  readonly horizonMs: number;
  readonly models: readonly string[];
  readonly json: boolean;
  readonly report: string | undefined;
}

function parse(argv: string[]): BacktestArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        series: { type: 'string' },
        horizon: { type: 'string', default: '30m' },
        models: { type: 'string' },
        json: { type: 'boolean', default: false },
        report: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (!values.series) throw new UsageError('--series FILE is required');
  const models = values.models
    ? values.models
        .split(',')
        .map((m) => m.trim())
        .filter((m) => m !== '')
    : [...MODEL_NAMES];
  if (models.length === 0) throw new UsageError('--models: no model named');
  try {
    checkModelNames(models);
  } catch (err) {
    throw new UsageError(`--models: ${(err as Error).message}`);
  }
  return {
    series: values.series,
    horizonMs: parseHorizon(values.horizon!),
    models,
    json: values.json!,
    report: values.report,
  };
}

export async function runBacktestCommand(argv: string[], io: CommandIO): Promise<number> {
  let args: BacktestArgs | 'help';
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`nodecast backtest: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const bar = progressBar(io.stderr, { enabled: io.isTTY, delayMs: 0 });
  let result: SeriesEvaluation;
  let series: Series;
  try {
    if (args.report) checkWritable(args.report);
    series = loadSeriesFile(args.series);
    const count = args.models.length;
    result = evaluateSeries(series, {
      horizonMs: args.horizonMs,
      models: args.models,
      onProgress: (i, name, f) => bar.update((i + f) / count, name),
      keepForecasts: args.report !== undefined,
    });
  } catch (err) {
    bar.done();
    if (err instanceof SeriesFormatError || err instanceof RangeError || err instanceof ReportPathError) {
      io.stderr.write(`nodecast backtest: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  bar.done();
  if (args.report) {
    writeFileSync(
      args.report,
      renderBacktestReport({
        source: `series ${args.series}`,
        series,
        evaluation: result,
        generatedAt: new Date(),
      }),
    );
    io.stderr.write(`wrote report to ${args.report}\n`);
  }
  io.stdout.write(args.json ? `${JSON.stringify(toJson(result))}\n` : formatTable(args, result));
  return 0;
}

function toJson(e: SeriesEvaluation) {
  return {
    models: e.models.map((m) => ({
      name: m.name,
      mase: finiteOrNull(m.mase),
      smape: finiteOrNull(m.smape),
      coverageP90: finiteOrNull(m.coverageP90),
      seconds: m.seconds,
      ...(m.choices ? { chosen: mostChosen(m.choices) } : {}),
      ...(m.skipped ? { skipped: m.skipped } : {}),
    })),
    best: e.best,
  };
}

function formatTable(args: BacktestArgs, e: SeriesEvaluation): string {
  const lines = [
    `series: ${args.series} (${e.days.toFixed(1)} days, step ${e.stepMs / 60_000} min, ${e.missingSteps} missing steps)`,
    `horizon: ${e.horizonSteps} step(s) = ${(e.horizonSteps * e.stepMs) / 60_000} min; first origin after ${((e.warmupSteps * e.stepMs) / 86_400_000).toFixed(1)} days; ${e.points} forecasts scored`,
    '',
    `${'model'.padEnd(24)}${'MASE'.padStart(8)}${'sMAPE %'.padStart(10)}${'p90 cov'.padStart(10)}${'seconds'.padStart(10)}`,
  ];
  for (const m of e.models) {
    if (m.skipped) {
      lines.push(`${m.name.padEnd(24)}  skipped: ${m.skipped}`);
      continue;
    }
    const cov = `${(m.coverageP90 * 100).toFixed(1)}%`;
    lines.push(
      `${m.name.padEnd(24)}${m.mase.toFixed(3).padStart(8)}${m.smape.toFixed(2).padStart(10)}${cov.padStart(10)}${m.seconds.toFixed(2).padStart(10)}`,
    );
    if (m.name === AUTO && m.choices) lines.push(`${''.padEnd(24)}  chose: ${describeChoices(m.choices)}`);
  }
  lines.push('', `best: ${e.best}`);
  return `${lines.join('\n')}\n`;
}

export function describeChoices(choices: Readonly<Record<string, number>>): string {
  const total = Object.values(choices).reduce((a, b) => a + b, 0);
  return Object.entries(choices)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}/${total}`)
    .join(', ');
}

function mostChosen(choices: Readonly<Record<string, number>>): string {
  return Object.entries(choices).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
