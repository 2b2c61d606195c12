/**
 * `timestamp,value` CSV files (ISO 8601 or unix seconds), with errors that name the line and
 * column, so a bad file is fixed in one look.
 */
import { readFileSync } from 'node:fs';
import { alignPoints, inferStepMs } from './series.js';
import type { Series } from './types.js';

export class SeriesFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(line > 0 ? `${file}:${line}:${column}: ${detail}` : `${file}: ${detail}`);
    this.name = 'SeriesFormatError';
  }
}

export interface ParsedPoints {
  readonly times: Float64Array;
  readonly values: Float64Array;
}

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a timestamp cell to epoch ms, or undefined when it is not one. */
export function parseTimestamp(cell: string): number | undefined {
  if (NUMBER.test(cell)) {
    const seconds = Number(cell);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  const m = ISO.exec(cell);
  if (!m) return undefined;
  let text = cell.replace(' ', 'T');
  if (m[1] === undefined) text += 'T00:00:00';
  // A date-time without an offset is read as UTC, like the data files.
  if (m[4] === undefined) text += 'Z';
  const ms = Date.parse(text);
  // Date.parse rolls 2024-02-30 over to March; a UTC date must round-trip to be real.
  const utc = m[4] === undefined || m[4] === 'Z';
  if (utc && Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) !== cell.slice(0, 10))
    return undefined;
  return Number.isFinite(ms) ? ms : undefined;
}

export function parseSeriesCsv(text: string, file = '<input>'): ParsedPoints {
  const lines = text.split(/\r?\n/);
  const times: number[] = [];
  const values: number[] = [];
  let prevLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const lineNo = i + 1;
    const cells = splitCells(line);
    const first = cells[0]!;
    if (times.length === 0 && prevLine === 0 && isHeader(first.text)) {
      prevLine = -1;
      continue;
    }
    if (cells.length !== 2) {
      const col = cells.length > 2 ? cells[2]!.column : line.length + 1;
      throw new SeriesFormatError(
        file,
        lineNo,
        col,
        `expected 2 columns (timestamp,value), found ${cells.length}`,
      );
    }
    const t = parseTimestamp(first.text);
    if (t === undefined) {
      throw new SeriesFormatError(
        file,
        lineNo,
        first.column,
        `bad timestamp "${first.text}": use ISO 8601 (2024-01-31T12:00:00Z) or unix seconds`,
      );
    }
    const second = cells[1]!;
    const v = NUMBER.test(second.text) ? Number(second.text) : NaN;
    if (!Number.isFinite(v)) {
      throw new SeriesFormatError(file, lineNo, second.column, `value "${second.text}" is not a number`);
    }
    if (times.length > 0 && t <= times[times.length - 1]!) {
      throw new SeriesFormatError(
        file,
        lineNo,
        first.column,
        `timestamps must increase: ${first.text} is not after the row on line ${prevLine}`,
      );
    }
    times.push(t);
    values.push(v);
    prevLine = lineNo;
  }
  if (times.length === 0)
    throw new SeriesFormatError(file, 1, 1, 'no data rows (expected timestamp,value lines)');
  return { times: Float64Array.from(times), values: Float64Array.from(values) };
}

/** Reads a CSV file onto a regular grid (step inferred unless given); missing steps are NaN. */
export function loadSeriesFile(path: string, opts: { stepMs?: number } = {}): Series {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SeriesFormatError(path, 0, 0, `cannot read file: ${(err as Error).message}`);
  }
  const points = parseSeriesCsv(text, path);
  const stepMs = opts.stepMs ?? inferStepMs(points.times);
  return alignPoints(points.times, points.values, stepMs);
}

interface Cell {
  readonly text: string;
  /** 1-based column of the cell's first non-blank character. */
  readonly column: number;
}

function splitCells(line: string): Cell[] {
  const cells: Cell[] = [];
  let start = 0;
  for (const part of line.split(',')) {
    const lead = part.length - part.trimStart().length;
    cells.push({ text: part.trim().replace(/^"(.*)"$/, '$1'), column: start + lead + 1 });
    start += part.length + 1;
  }
  return cells;
}

function isHeader(cell: string): boolean {
  return /^[A-Za-z_"][A-Za-z0-9_ "]*$/.test(cell);
}
