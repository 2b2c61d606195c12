import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeriesFormatError, loadSeriesFile, parseSeriesCsv, parseTimestamp } from './series-csv.js';

function errorOf(text: string): SeriesFormatError {
  try {
    parseSeriesCsv(text, 'f.csv');
  } catch (err) {
    if (err instanceof SeriesFormatError) return err;
    throw err;
  }
  throw new Error('expected a SeriesFormatError');
}

describe('parseSeriesCsv', () => {
  it('reads ISO 8601 and unix seconds, with or without a header', () => {
    const a = parseSeriesCsv('timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:05:00Z,2.5\n');
    expect(Array.from(a.times)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 5)]);
    expect(Array.from(a.values)).toEqual([1, 2.5]);
    const b = parseSeriesCsv('1704067200,1\n1704067500,2\n');
    expect(Array.from(b.times)).toEqual([1704067200000, 1704067500000]);
  });

  it('reads a timestamp without offset as UTC and honours an explicit offset', () => {
    expect(parseTimestamp('2024-01-01 02:00:00')).toBe(Date.UTC(2024, 0, 1, 2));
    expect(parseTimestamp('2024-01-01T02:00:00+02:00')).toBe(Date.UTC(2024, 0, 1, 0));
    expect(parseTimestamp('2024-02-30T00:00:00Z')).toBeUndefined();
  });

  it('names line and column of a bad timestamp', () => {
    const e = errorOf('timestamp,value\n2024-01-01T00:00:00Z,1\nyesterday,2\n');
    expect([e.line, e.column]).toEqual([3, 1]);
    expect(e.message).toMatch(/^f\.csv:3:1: bad timestamp "yesterday"/);
  });

  it('names line and column of a non-numeric value', () => {
    const e = errorOf('2024-01-01T00:00:00Z,1\n2024-01-01T00:05:00Z, lots\n');
    expect([e.line, e.column]).toEqual([2, 23]);
    expect(e.message).toContain('value "lots" is not a number');
  });

  it('rejects an empty file and a header-only file', () => {
    expect(errorOf('').message).toContain('no data rows');
    expect(errorOf('timestamp,value\n\n').message).toContain('no data rows');
  });

  it('rejects unsorted or repeated timestamps, naming both lines', () => {
    const e = errorOf('2024-01-01T00:10:00Z,1\n2024-01-01T00:05:00Z,2\n');
    expect(e.line).toBe(2);
    expect(e.message).toContain('timestamps must increase');
    expect(e.message).toContain('line 1');
    expect(errorOf('100,1\n100,2\n').line).toBe(2);
  });

  it('rejects a row with the wrong number of columns', () => {
    const e = errorOf('2024-01-01T00:00:00Z,1,extra\n');
    expect([e.line, e.column]).toEqual([1, 24]);
    expect(errorOf('2024-01-01T00:00:00Z\n').message).toContain('expected 2 columns');
  });
});

describe('loadSeriesFile', () => {
  it('puts a file with a gap on a regular grid with NaN for the missing step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodecast-series-'));
    const file = join(dir, 's.csv');
    writeFileSync(file, 'timestamp,value\n1000,1\n1300,2\n1600,3\n2200,5\n');
    const s = loadSeriesFile(file);
    expect(s.stepMs).toBe(300_000);
    expect(s.values.length).toBe(5);
    expect(Number.isNaN(s.values[3]!)).toBe(true);
    expect(s.values[4]).toBe(5);
  });

  it('reports a missing file as a SeriesFormatError naming it', () => {
    expect(() => loadSeriesFile('/no/such/file.csv')).toThrow(/\/no\/such\/file\.csv: cannot read file/);
  });
});
