import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../../agent/cli.js';
import { importFromEventLogs } from '../../sim/import/event-log.js';
import { readTraceFile } from '../../sim/trace-parse.js';
import { GiB } from '../../sim/trace-types.js';

const MiB = 2 ** 20;

/** One application's events, named and shaped as Spark's JsonProtocol writes them. */
function sparkLog(app: {
  id: string;
  start: number;
  end?: number;
  executors: { id: string; added: number; removed?: number }[];
  conf?: Record<string, string>;
}): string {
  const events: object[] = [
    { Event: 'SparkListenerLogStart', 'Spark Version': '3.5.1' },
    {
      Event: 'SparkListenerResourceProfileAdded',
      'Resource Profile Id': 0,
      'Executor Resource Requests': { cores: { 'Resource Name': 'cores', Amount: 4 } },
    },
    {
      Event: 'SparkListenerEnvironmentUpdate',
      'JVM Information': { 'Java Version': '17' },
      'Spark Properties': Object.entries({
        'spark.executor.cores': '4',
        'spark.executor.memory': '8g',
        'spark.driver.cores': '1',
        'spark.driver.memory': '2g',
        'spark.kubernetes.executor.label.queue': 'etl',
        ...app.conf,
      }),
      'System Properties': [],
      'Classpath Entries': [],
    },
    {
      Event: 'SparkListenerApplicationStart',
      'App Name': 'nightly',
      'App ID': app.id,
      Timestamp: app.start,
      User: 'spark',
    },
  ];
  for (const e of app.executors) {
    events.push({
      Event: 'SparkListenerExecutorAdded',
      Timestamp: e.added,
      'Executor ID': e.id,
      'Executor Info': { Host: `10.0.0.${e.id}`, 'Total Cores': 4, 'Log Urls': {}, 'Resource Profile Id': 0 },
    });
  }
  events.push({
    Event: 'SparkListenerJobStart',
    'Job ID': 0,
    'Submission Time': app.start + 5000,
    'Stage Infos': [],
  });
  for (const e of app.executors) {
    if (e.removed !== undefined)
      events.push({
        Event: 'SparkListenerExecutorRemoved',
        Timestamp: e.removed,
        'Executor ID': e.id,
        'Removed Reason': 'idle',
      });
  }
  if (app.end !== undefined) events.push({ Event: 'SparkListenerApplicationEnd', Timestamp: app.end });
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

const T0 = Date.parse('2024-03-04T02:00:00Z');
const complete = {
  id: 'spark-0001',
  start: T0,
  end: T0 + 3_600_000,
  executors: [
    { id: '1', added: T0 + 20_000 },
    { id: '2', added: T0 + 30_000 },
    { id: '3', added: T0 + 60_000, removed: T0 + 600_000 },
  ],
};

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'nodecast-eventlog-'));
}

describe('import from Spark event logs', () => {
  it('rebuilds an application: submit, peak executors, sizes as Spark on Kubernetes requests them', () => {
    const d = dir();
    writeFileSync(join(d, 'spark-0001'), sparkLog(complete));
    const result = importFromEventLogs({ paths: [d] });
    expect(result.skipped).toEqual([]);
    expect(result.jobs).toHaveLength(1);
    const job = result.jobs[0]!;
    expect(job).toMatchObject({
      app: 'spark-0001',
      submitTime: T0,
      queue: 'etl',
      executors: 3,
      executorCpu: 4,
    });
    // 8g heap + max(0.1 x 8192 MiB, 384 MiB) overhead, in whole MiB as Spark sizes the container.
    expect(job.executorMemoryBytes).toBe((8192 + 819) * MiB);
    expect(job.driverMemoryBytes).toBe((2048 + 384) * MiB);
    // From the moment all three ran (t0 + 60 s) to the end.
    expect(job.durationSeconds).toBe(3540);
  });

  it('honours spark.kubernetes.executor.request.cores and an explicit overhead', () => {
    const d = dir();
    const conf = { 'spark.kubernetes.executor.request.cores': '3.5', 'spark.executor.memoryOverhead': '1g' };
    writeFileSync(join(d, 'a'), sparkLog({ ...complete, conf }));
    const [job] = importFromEventLogs({ paths: [d] }).jobs;
    expect(job!.executorCpu).toBe(3.5);
    expect(job!.executorMemoryBytes).toBe(9 * GiB);
  });

  it('reads gzip files and rolling logs, and sorts applications by submit time', () => {
    const d = dir();
    writeFileSync(
      join(d, 'spark-0002.gz'),
      gzipSync(sparkLog({ ...complete, id: 'spark-0002', start: T0 + 5000, end: T0 + 99_000 })),
    );
    const rolling = join(d, 'eventlog_v2_spark-0003');
    mkdirSync(rolling);
    const lines = sparkLog({ ...complete, id: 'spark-0003', start: T0 - 5000 }).split('\n');
    // Spark rolls by size; the parts must be read in index order (10 sorts before 2 as text).
    writeFileSync(join(rolling, 'events_10_spark-0003'), lines.slice(6).join('\n'));
    writeFileSync(join(rolling, 'events_2_spark-0003'), lines.slice(0, 6).join('\n') + '\n');
    writeFileSync(join(rolling, 'appstatus_spark-0003'), '');
    const result = importFromEventLogs({ paths: [d] });
    expect(result.skipped).toEqual([]);
    expect(result.jobs.map((j) => j.app)).toEqual(['spark-0003', 'spark-0002']);
  });

  it('reports a truncated file and an unfinished application, and keeps the others', () => {
    const d = dir();
    writeFileSync(join(d, 'ok'), sparkLog(complete));
    const cut = sparkLog({ ...complete, id: 'spark-cut', end: undefined });
    writeFileSync(join(d, 'spark-cut.inprogress'), cut + '{"Event":"SparkListenerExecutorAdded","Timest');
    const result = importFromEventLogs({ paths: [d] });
    expect(result.jobs.map((j) => j.app)).toEqual(['spark-0001']);
    expect(result.found.truncatedLines).toBe(1);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      'truncated last line (file cut mid-write)',
      'no SparkListenerApplicationEnd: still running or the log is incomplete',
    ]);
    expect(result.skipped[0]!.where).toBe(`${join(d, 'spark-cut.inprogress')}:${cut.split('\n').length}`);
  });

  it('names the file and line of a malformed line, and counts unknown events without failing', () => {
    const d = dir();
    const lines = sparkLog(complete).split('\n');
    lines.splice(2, 0, 'not json', JSON.stringify({ Event: 'com.example.CustomListenerEvent', x: 1 }));
    writeFileSync(join(d, 'app'), lines.join('\n'));
    const result = importFromEventLogs({ paths: [d] });
    expect(result.jobs).toHaveLength(1);
    expect(result.skipped).toEqual([{ where: `${join(d, 'app')}:3`, reason: 'not a JSON event line' }]);
    expect(result.found.eventsUnknown).toBe(1);
    expect(result.found.eventsIgnored).toBeGreaterThan(1);
  });

  it('skips a codec it cannot read with the reason, and an app without executors', () => {
    const d = dir();
    writeFileSync(join(d, 'spark-9.lz4'), 'binary');
    writeFileSync(join(d, 'spark-10'), sparkLog({ ...complete, id: 'spark-10', executors: [] }));
    const result = importFromEventLogs({ paths: [d] });
    expect(result.jobs).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      // Undecodable files are found while listing, before any application is read.
      expect.stringContaining('codec lz4 is not supported'),
      'no executor was ever added',
    ]);
  });
});

describe('nodecast import-trace', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      io: {
        stdout: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream,
        stderr: { write: (s: string) => err.push(s) } as unknown as NodeJS.WritableStream,
        isTTY: false,
      },
      err: () => err.join(''),
    };
  }

  it('writes a trace that simulate reads back, with a summary of what was found and skipped', async () => {
    const d = dir();
    writeFileSync(join(d, 'spark-0001'), sparkLog(complete));
    writeFileSync(join(d, 'spark-run'), sparkLog({ ...complete, id: 'spark-run', end: undefined }));
    const out = join(d, 'trace.csv');
    const t = io();
    expect(await main(['import-trace', '--event-logs', d, '--out', out], t.io)).toBe(0);
    const jobs = readTraceFile(out, { queues: ['etl'] });
    expect(jobs.map((j) => [j.app, j.executors, j.submitTime])).toEqual([['spark-0001', 3, T0]]);
    expect(t.err()).toContain('wrote 1 jobs');
    expect(t.err()).toContain('1 x no SparkListenerApplicationEnd');
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain('submit_time');
  });

  it('fails without writing when nothing is importable, and refuses bad flags', async () => {
    const d = dir();
    const out = join(d, 'trace.csv');
    writeFileSync(join(d, 'spark-run'), sparkLog({ ...complete, end: undefined }));
    const t = io();
    expect(await main(['import-trace', '--event-logs', d, '--out', out], t.io)).toBe(1);
    expect(t.err()).toContain('nothing to import');
    expect(() => readFileSync(out)).toThrow();
    const u = io();
    expect(await main(['import-trace', '--out', out], u.io)).toBe(2);
    expect(u.err()).toContain('exactly one source');
    const v = io();
    expect(
      await main(
        ['import-trace', '--prometheus', 'http://127.0.0.1:1', '--since', 'soon', '--out', out],
        v.io,
      ),
    ).toBe(2);
    expect(v.err()).toContain('--since: expected a duration');
    const w = io();
    expect(await main(['import-trace', '--event-logs', join(d, 'missing'), '--out', out], w.io)).toBe(1);
    expect(w.err()).toContain('--event-logs: cannot read');
  });
});
