import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_NAMES } from '../../forecast/catalog.js';
import { parseHorizon, runBacktestCommand } from './backtest-command.js';
import { MINUTE_MS } from '../../forecast/series.js';
import { syntheticDemand } from '../../forecast/testing/synthetic.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function run(argv: string[], isTTY = false) {
  const out = capture();
  const err = capture();
  const code = await runBacktestCommand(argv, { stdout: out.stream, stderr: err.stream, isTTY });
  return { code, stdout: out.text(), stderr: err.text() };
}

let dir: string;
let good: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nodecast-backtest-'));
  good = join(dir, 'good.csv');
  const s = syntheticDemand({ days: 5, stepMs: 30 * MINUTE_MS, noise: 1, seed: 3 });
  const rows = Array.from(
    s.values,
    (v, i) => `${new Date(s.start + i * s.stepMs).toISOString()},${v.toFixed(3)}`,
  );
  writeFileSync(good, `timestamp,value\n${rows.join('\n')}\n`);
});

const FAST = 'persistence,seasonal-naive-daily,auto';

describe('nodecast backtest', () => {
  it('--json prints exactly one object {models: [{name, mase, smape, coverageP90, seconds}], best}', async () => {
    const r = await run(['--series', good, '--models', FAST, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const doc = JSON.parse(r.stdout) as { models: Record<string, unknown>[]; best: string };
    expect(Object.keys(doc).sort()).toEqual(['best', 'models']);
    expect(doc.models.map((m) => m.name)).toEqual(FAST.split(','));
    for (const m of doc.models) {
      for (const k of ['mase', 'smape', 'coverageP90', 'seconds']) expect(typeof m[k]).toBe('number');
    }
    expect(FAST.split(',')).toContain(doc.best);
    const best = doc.models.find((m) => m.name === doc.best)!;
    expect(Math.min(...doc.models.map((m) => m.mase as number))).toBe(best.mase);
    expect(typeof doc.models.find((m) => m.name === 'auto')!.chosen).toBe('string');
  });

  it('prints a table with every model and the best one', async () => {
    const r = await run([
      '--series',
      good,
      '--models',
      'persistence,seasonal-persistence',
      '--horizon',
      '1h',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/horizon: 2 step\(s\) = 60 min/);
    expect(r.stdout).toMatch(/^persistence\s+\d+\.\d{3}\s+\d+\.\d{2}\s+\d+\.\d%/m);
    expect(r.stdout).toMatch(/^seasonal-persistence\s+\d/m);
    expect(r.stdout).toMatch(/^best: (persistence|seasonal-persistence)$/m);
  });

  it('draws progress on stderr only on a terminal', async () => {
    const tty = await run(['--series', good, '--models', 'persistence', '--json'], true);
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/\[#*\.*\]\s+\d+% persistence/);
    expect(JSON.parse(tty.stdout).best).toBe('persistence');
  });

  it('fails with exit 2 and a clear message on an empty file', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const r = await run(['--series', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${empty}:1:1: no data rows`);
    expect(r.stdout).toBe('');
  });

  it('fails with exit 2 naming line and column of a bad row', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:30:00Z,n/a\n');
    const r = await run(['--series', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:3:22: value "n/a" is not a number`);
  });

  it('fails with exit 2 on a series too short to backtest', async () => {
    const short = join(dir, 'short.csv');
    writeFileSync(short, '0,1\n60,2\n120,3\n');
    const r = await run(['--series', short]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('series too short to backtest');
  });

  it('rejects unknown models, listing the valid ones', async () => {
    const r = await run(['--series', good, '--models', 'persistence,prophet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown model "prophet"');
    expect(r.stderr).toContain(`valid models: ${MODEL_NAMES.join(', ')}`);
  });

  it('rejects a missing --series, unknown flags and bad durations; --help exits 0', async () => {
    expect((await run([])).stderr).toContain('--series FILE is required');
    expect((await run(['--series', good, '--frobnicate'])).code).toBe(2);
    expect((await run(['--series', good, '--horizon', '30'])).stderr).toContain('"30" is not a duration');
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: nodecast backtest');
  });

  it('parses durations', () => {
    expect(parseHorizon('30m')).toBe(30 * MINUTE_MS);
    expect(parseHorizon('1h30m')).toBe(90 * MINUTE_MS);
    expect(parseHorizon('90s')).toBe(90_000);
    expect(() => parseHorizon('0m')).toThrow(/positive/);
    expect(() => parseHorizon('5 m')).toThrow(/not a duration/);
  });
});
