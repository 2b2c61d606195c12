import { describe, expect, it } from 'vitest';
import { parseSubmitTime, parseTrace, TraceError } from '../../sim/trace-parse.js';
import { GiB } from '../../sim/trace-types.js';

const HEADER =
  'submit_time,app,queue,driver_cpu,driver_memory_gib,executors,executor_cpu,executor_memory_gib,duration_seconds';

function issues(text: string, queues?: string[]): string[] {
  try {
    parseTrace(text, { source: 'trace.csv', ...(queues ? { queues } : {}) });
  } catch (error) {
    if (error instanceof TraceError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('parseTrace', () => {
  it('reads rows into base units, sorted by submit time', () => {
    const jobs = parseTrace(
      [
        HEADER,
        '1704067260,b,adhoc,1,4,10,4,28,600',
        '# a comment',
        '',
        '2024-01-01T00:00:00Z,a,etl,2,8,3,4.5,27.5,60',
      ].join('\n'),
    );
    expect(jobs.map((j) => j.app)).toEqual(['a', 'b']);
    expect(jobs[0]).toEqual({
      submitTime: Date.UTC(2024, 0, 1),
      app: 'a',
      queue: 'etl',
      driverCpu: 2,
      driverMemoryBytes: 8 * GiB,
      executors: 3,
      executorCpu: 4.5,
      executorMemoryBytes: 27.5 * GiB,
      durationSeconds: 60,
    });
    expect(jobs[1]?.submitTime).toBe(1_704_067_260_000);
  });

  it('accepts columns in any order', () => {
    const header = HEADER.split(',').reverse().join(',');
    const row = '2024-01-01T00:00:00Z,a,etl,1,4,2,4,28,60'.split(',').reverse().join(',');
    expect(parseTrace(`${header}\n${row}`)[0]?.executors).toBe(2);
  });

  it('names the line and column of a bad value', () => {
    const text = [HEADER, '2024-01-01T00:00:00Z,a,etl,1,4,x,4,28,60'].join('\n');
    expect(issues(text)).toEqual(['trace.csv:2: column executors: must be a positive integer, got "x"']);
  });

  it('collects every problem of every kind', () => {
    const text = [
      HEADER,
      'yesterday,a,etl,1,4,2,4,28,60',
      '2024-01-01T00:00:00Z,b,nightly,-1,4,2.5,4,28,0',
      '2024-01-01T00:00:00Z,a,etl,1,4,2,4,28,60',
      '2024-01-01T00:00:00Z,c,etl,1,4',
      '2024-01-01T00:00:00Z,,etl,1,4,2,4,28,60',
    ].join('\n');
    expect(issues(text, ['etl', 'adhoc'])).toEqual([
      'trace.csv:2: column submit_time: must be ISO 8601 or unix seconds, got "yesterday"',
      'trace.csv:3: column queue: unknown queue (known: etl, adhoc), got "nightly"',
      'trace.csv:3: column driver_cpu: must be a positive number, got "-1"',
      'trace.csv:3: column executors: must be a positive integer, got "2.5"',
      'trace.csv:3: column duration_seconds: must be a positive number, got "0"',
      'trace.csv:4: column app: duplicate app "a" (first on line 2)',
      'trace.csv:5: expected 9 fields, got 5',
      'trace.csv:6: column app: must not be empty, got ""',
    ]);
  });

  it('reports a missing or unknown header column', () => {
    const header = HEADER.replace('executors,', 'executor_count,');
    expect(issues(`${header}\n`)).toEqual([
      'trace.csv:1: column executor_count: unknown column in header',
      'trace.csv:1: column executors: missing from header',
    ]);
    expect(issues('')).toEqual([
      'trace.csv:1: missing header (submit_time,app,queue,driver_cpu,driver_memory_gib,executors,executor_cpu,executor_memory_gib,duration_seconds)',
    ]);
  });

  it('accepts any queue when no queue list is given', () => {
    expect(parseTrace(`${HEADER}\n0,a,whatever,1,4,1,4,28,60`)).toHaveLength(1);
  });
});

describe('parseSubmitTime', () => {
  it('reads ISO 8601 (UTC without offset) and unix seconds', () => {
    expect(parseSubmitTime('2024-01-01T02:00:00Z')).toBe(Date.UTC(2024, 0, 1, 2));
    expect(parseSubmitTime('2024-01-01T02:00:00')).toBe(Date.UTC(2024, 0, 1, 2));
    expect(parseSubmitTime('2024-01-01 02:00')).toBe(Date.UTC(2024, 0, 1, 2));
    expect(parseSubmitTime('2024-01-01T04:00:00+02:00')).toBe(Date.UTC(2024, 0, 1, 2));
    expect(parseSubmitTime('2024-01-01')).toBe(Date.UTC(2024, 0, 1));
    expect(parseSubmitTime('1704074400.5')).toBe(Date.UTC(2024, 0, 1, 2) + 500);
    expect(parseSubmitTime('2024-13-01T00:00:00Z')).toBeNull();
    expect(parseSubmitTime('soon')).toBeNull();
  });
});
