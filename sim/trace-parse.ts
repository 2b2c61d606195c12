/**
 * Parses workload trace CSV (docs/trace-format.md). Collects every problem instead of stopping at
 * the first, each naming the file, line and column.
 */
import { readFileSync } from 'node:fs';
import { GiB, TRACE_COLUMNS, type TraceColumn, type TraceJob } from './trace-types.js';

export interface TraceIssue {
  readonly line: number;
  readonly column: string | null;
  readonly message: string;
}

export class TraceError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly TraceIssue[],
  ) {
    const shown = issues.slice(0, 20).map((i) => formatIssue(source, i));
    if (issues.length > shown.length) shown.push(`... and ${issues.length - shown.length} more`);
    super(shown.join('\n'));
    this.name = 'TraceError';
  }
}

export function formatIssue(source: string, issue: TraceIssue): string {
  const column = issue.column === null ? '' : ` column ${issue.column}:`;
  return `${source}:${issue.line}:${column} ${issue.message}`;
}

export interface ParseTraceOptions {
  /** Name used in error messages (usually the file name). */
  readonly source?: string;
  /** Known queue names; when given and non-empty, any other queue is an error. */
  readonly queues?: readonly string[];
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const UNIX = /^\d+(?:\.\d+)?$/;
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^\d+$/;

/** Epoch ms from ISO 8601 (UTC when no offset is given) or unix seconds; null when neither. */
export function parseSubmitTime(text: string): number | null {
  if (UNIX.test(text)) return Math.round(Number(text) * 1000);
  const match = ISO.exec(text);
  if (!match) return null;
  const normalized = text.replace(' ', 'T');
  // No offset: UTC (Date.parse would read a date-time without offset as local time).
  const ms = Date.parse(match[1] === undefined && normalized.includes('T') ? `${normalized}Z` : normalized);
  return Number.isNaN(ms) ? null : ms;
}

type Cells = Record<TraceColumn, string>;

class RowReader {
  readonly issues: TraceIssue[] = [];
  constructor(
    private readonly cells: Cells,
    private readonly line: number,
  ) {}

  private fail(column: TraceColumn, message: string): number {
    this.issues.push({ line: this.line, column, message: `${message}, got "${this.cells[column]}"` });
    return NaN;
  }

  positive(column: TraceColumn): number {
    const text = this.cells[column];
    const value = Number(text);
    return NUMBER.test(text) && value > 0 ? value : this.fail(column, 'must be a positive number');
  }

  positiveInteger(column: TraceColumn): number {
    const text = this.cells[column];
    const value = Number(text);
    return INTEGER.test(text) && value > 0 ? value : this.fail(column, 'must be a positive integer');
  }

  time(column: TraceColumn): number {
    return parseSubmitTime(this.cells[column]) ?? this.fail(column, 'must be ISO 8601 or unix seconds');
  }

  name(column: TraceColumn, known?: ReadonlySet<string>): string {
    const text = this.cells[column];
    if (text === '') this.fail(column, 'must not be empty');
    else if (known && !known.has(text)) this.fail(column, `unknown queue (known: ${[...known].join(', ')})`);
    return text;
  }
}

interface Header {
  readonly index: Map<TraceColumn, number>;
  readonly width: number;
}

function parseHeader(line: string, lineNo: number, issues: TraceIssue[]): Header {
  const names = line.split(',').map((c) => c.trim());
  const index = new Map<TraceColumn, number>();
  names.forEach((name, i) => {
    if ((TRACE_COLUMNS as readonly string[]).includes(name)) index.set(name as TraceColumn, i);
    else issues.push({ line: lineNo, column: name, message: 'unknown column in header' });
  });
  for (const column of TRACE_COLUMNS) {
    if (!index.has(column)) issues.push({ line: lineNo, column, message: 'missing from header' });
  }
  return { index, width: names.length };
}

function parseRow(
  fields: string[],
  header: Header,
  lineNo: number,
  known: ReadonlySet<string> | undefined,
): { job: TraceJob; issues: TraceIssue[] } {
  const cells = {} as Cells;
  for (const column of TRACE_COLUMNS) cells[column] = fields[header.index.get(column) ?? -1]?.trim() ?? '';
  const r = new RowReader(cells, lineNo);
  const job: TraceJob = {
    submitTime: r.time('submit_time'),
    app: r.name('app'),
    queue: r.name('queue', known),
    driverCpu: r.positive('driver_cpu'),
    driverMemoryBytes: r.positive('driver_memory_gib') * GiB,
    executors: r.positiveInteger('executors'),
    executorCpu: r.positive('executor_cpu'),
    executorMemoryBytes: r.positive('executor_memory_gib') * GiB,
    durationSeconds: r.positive('duration_seconds'),
  };
  return { job, issues: r.issues };
}

/** Parses a trace; jobs come back sorted by submit time (stable). Throws TraceError listing every issue. */
export function parseTrace(text: string, options: ParseTraceOptions = {}): TraceJob[] {
  const source = options.source ?? 'trace';
  const known = options.queues && options.queues.length > 0 ? new Set(options.queues) : undefined;
  const lines = text.split(/\r?\n/);
  const issues: TraceIssue[] = [];
  const jobs: TraceJob[] = [];
  const firstLineOfApp = new Map<string, number>();
  let header: Header | null = null;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!header) {
      header = parseHeader(line, lineNo, issues);
      // Rows cannot be read against a broken header; report the header alone.
      if (issues.length > 0) break;
      continue;
    }
    const fields = line.split(',');
    if (fields.length !== header.width) {
      issues.push({
        line: lineNo,
        column: null,
        message: `expected ${header.width} fields, got ${fields.length}`,
      });
      continue;
    }
    const row = parseRow(fields, header, lineNo, known);
    issues.push(...row.issues);
    const first = firstLineOfApp.get(row.job.app);
    if (first !== undefined) {
      issues.push({
        line: lineNo,
        column: 'app',
        message: `duplicate app "${row.job.app}" (first on line ${first})`,
      });
    } else if (row.job.app !== '') {
      firstLineOfApp.set(row.job.app, lineNo);
    }
    if (row.issues.length === 0) jobs.push(row.job);
  }
  if (!header) issues.push({ line: 1, column: null, message: `missing header (${TRACE_COLUMNS.join(',')})` });
  if (issues.length > 0) throw new TraceError(source, issues);
  return jobs
    .map((job, order) => ({ job, order }))
    .sort((a, b) => a.job.submitTime - b.job.submitTime || a.order - b.order)
    .map((x) => x.job);
}

export function readTraceFile(path: string, options: Omit<ParseTraceOptions, 'source'> = {}): TraceJob[] {
  return parseTrace(readFileSync(path, 'utf8'), { ...options, source: path });
}
