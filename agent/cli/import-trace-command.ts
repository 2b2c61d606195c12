/**
 * `nodecast import-trace`: writes a workload trace (docs/trace-format.md) from what a cluster
 * already recorded, so `simulate` can replay your own history. Exit codes: 0 written, 1 failed
 * import (unreachable Prometheus, nothing importable), 2 bad flags.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CommandIO } from './command-io.js';
import { parseDuration } from '../config/duration.js';
import { progressBar } from './progress.js';
import { formatTrace } from '../../sim/trace-write.js';
import { importFromEventLogs } from '../../sim/import/event-log.js';
import { importFromPrometheus } from '../../sim/import/prometheus.js';
import type { ImportResult } from '../../sim/import/types.js';

export const IMPORT_USAGE = `usage: nodecast import-trace --out FILE (--prometheus URL [--since 14d] [--until ISO] [--step 1m]
                             | --event-logs PATH [--event-logs PATH ...]) [--queue NAME] [--queue-label L]
  --prometheus URL   Prometheus (HTTP query API) with kube-state-metrics series of the Spark pods
  --since DURATION   how far back from --until to import (default 14d)
  --until ISO        end of the range (default now)
  --step DURATION    query resolution (default 1m)
  --queue-label L    pod label naming the YuniKorn queue (default queue)
  --event-logs PATH  Spark event log file or directory (plain, .gz, .zst, rolling eventlog_v2_*)
  --queue NAME       queue of applications that name none (default "default")
  --out FILE         trace CSV to write`;

class UsageError extends Error {}

function seconds(text: string, flag: string): number {
  const s = parseDuration(text);
  if (s === undefined || s <= 0)
    throw new UsageError(`${flag}: expected a duration like 14d, 1m or 90s, got "${text}"`);
  return s;
}

/** The summary on stderr: what was found, what was written, every skip reason with examples. */
export function formatSummary(result: ImportResult, out: string): string {
  const found = Object.entries(result.found)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [`found: ${found}`, `wrote ${result.jobs.length} jobs to ${out}`];
  const byReason = new Map<string, string[]>();
  for (const s of result.skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.where]);
  if (byReason.size > 0) lines.push(`skipped ${result.skipped.length}:`);
  for (const [reason, where] of byReason) {
    const more = where.length > 3 ? `, ... ${where.length - 3} more` : '';
    lines.push(`  ${where.length} x ${reason} (${where.slice(0, 3).join(', ')}${more})`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runImportTraceCommand(argv: string[], io: CommandIO): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        prometheus: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        step: { type: 'string' },
        'queue-label': { type: 'string' },
        'event-logs': { type: 'string', multiple: true },
        queue: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
    if (values.help) {
      io.stdout.write(`${IMPORT_USAGE}\n`);
      return 0;
    }
    if (!values.out) throw new UsageError('--out FILE is required');
    if (Boolean(values.prometheus) === Boolean(values['event-logs']))
      throw new UsageError('give exactly one source: --prometheus URL or --event-logs PATH');
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const bar = progressBar(io.stderr, { enabled: io.isTTY });
  const progress = (done: number, total: number) =>
    bar.update(total > 0 ? done / total : 1, `${done}/${total}`);
  try {
    let result: ImportResult;
    if (values.prometheus) {
      const end = values.until ? Date.parse(values.until) : Date.now();
      if (!Number.isFinite(end)) throw new UsageError(`--until: not an ISO 8601 time: "${values.until}"`);
      const since = seconds(values.since ?? '14d', '--since');
      const step = seconds(values.step ?? '1m', '--step');
      result = await importFromPrometheus(
        {
          url: values.prometheus,
          start: end - since * 1000,
          end,
          stepSeconds: step,
          ...(values['queue-label'] ? { queueLabel: values['queue-label'] } : {}),
          ...(values.queue ? { defaultQueue: values.queue } : {}),
        },
        progress,
      );
    } else {
      result = importFromEventLogs(
        { paths: values['event-logs']!, ...(values.queue ? { defaultQueue: values.queue } : {}) },
        progress,
      );
    }
    bar.done();
    if (result.jobs.length === 0) {
      io.stderr.write(formatSummary(result, values.out!));
      io.stderr.write('error: nothing to import: no complete application was found\n');
      return 1;
    }
    writeFileSync(values.out!, formatTrace(result.jobs));
    io.stderr.write(formatSummary(result, values.out!));
    return 0;
  } catch (error) {
    bar.done();
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n${IMPORT_USAGE}\n`);
      return 2;
    }
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}
