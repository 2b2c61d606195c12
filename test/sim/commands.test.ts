import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runGenerateTraceCommand, runSimulateCommand } from '../../agent/cli/simulate-command.js';
import { progressBar } from '../../agent/cli/progress.js';
import { generateTrace } from '../../sim/trace-generate.js';
import { formatTrace } from '../../sim/trace-write.js';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  return { io: { stdout, stderr, isTTY: false }, out: () => out.join(''), err: () => err.join('') };
}

const dir = mkdtempSync(join(tmpdir(), 'nodecast-sim-'));
// Two early-morning hours: small and quick to simulate.
const day = Date.UTC(2024, 0, 2);
const tracePath = join(dir, 'trace.csv');
writeFileSync(
  tracePath,
  formatTrace(
    generateTrace({ days: 1, seed: 2, start: day }).filter((j) => j.submitTime < day + 2 * 3_600_000),
  ),
);

describe('simulate command', () => {
  it('prints exactly one JSON report with --json', async () => {
    const c = capture();
    expect(await runSimulateCommand(['--trace', tracePath, '--policy', 'reactive', '--json'], c.io)).toBe(0);
    const report = JSON.parse(c.out());
    expect(report.policy).toBe('reactive');
    expect(report.jobsCompleted).toBe(report.jobs);
    expect(c.err()).toBe('');
  });

  it('runs every policy side by side with --policy all', async () => {
    const json = capture();
    expect(await runSimulateCommand(['--trace', tracePath, '--policy', 'all', '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out()).policies.map((r: { policy: string }) => r.policy)).toEqual([
      'static',
      'ca',
      'reactive',
      'predictive',
      'oracle',
    ]);
    const table = capture();
    expect(await runSimulateCommand(['--trace', tracePath], table.io)).toBe(0);
    expect(table.out()).toMatch(/^\s+static\s+ca\s+reactive\s+predictive\s+oracle\n/);
    expect(table.out()).toMatch(/node-hours vs static/);
  });

  it('exits 2 with a clear message for bad flags', async () => {
    for (const argv of [
      ['--policy', 'reactive'],
      ['--trace', tracePath, '--policy', 'magic'],
      ['--trace', tracePath, '--nope'],
      ['--trace', tracePath, '--seed', 'x'],
      ['--trace', tracePath, '--history-days', 'x'],
    ]) {
      const c = capture();
      expect(await runSimulateCommand(argv, c.io)).toBe(2);
      expect(c.err()).toMatch(/^error: .+\nusage: nodecast simulate/);
      expect(c.out()).toBe('');
    }
  });

  it('exits 1 naming line and column for a bad trace', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      `${readFileSync(tracePath, 'utf8').split('\n')[0]}\n2024-01-01T00:00:00Z,a,etl,1,4,x,4,28,60\n`,
    );
    const c = capture();
    expect(await runSimulateCommand(['--trace', bad], c.io)).toBe(1);
    expect(c.err()).toContain(`${bad}:2: column executors: must be a positive integer, got "x"`);
  });
});

describe('generate-trace command', () => {
  it('writes CSV to stdout, or to --out', async () => {
    const c = capture();
    expect(await runGenerateTraceCommand(['--days', '1', '--seed', '4'], c.io)).toBe(0);
    expect(c.out()).toBe(formatTrace(generateTrace({ days: 1, seed: 4 })));
    const out = join(dir, 'out.csv');
    const f = capture();
    expect(
      await runGenerateTraceCommand(
        ['--days', '1', '--seed', '4', '--out', out, '--start', '2024-03-04T00:00:00Z'],
        f.io,
      ),
    ).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[1]).toMatch(/^2024-03-04T/);
    expect(f.out()).toBe('');
  });

  it('exits 2 when --days or --seed is missing or bad', async () => {
    for (const argv of [
      ['--seed', '1'],
      ['--days', '1'],
      ['--days', '0', '--seed', '1'],
      ['--days', '1', '--seed', '1', '--start', 'soon'],
    ]) {
      const c = capture();
      expect(await runGenerateTraceCommand(argv, c.io)).toBe(2);
      expect(c.err()).toMatch(/usage: nodecast generate-trace/);
    }
  });
});

describe('progress bar', () => {
  function stream() {
    const s = new PassThrough();
    const chunks: string[] = [];
    s.on('data', (c: Buffer) => chunks.push(c.toString()));
    return { s, text: () => chunks.join('') };
  }

  it('draws only on a TTY and only after the first second, then clears itself', () => {
    let now = 0;
    const tty = stream();
    const bar = progressBar(tty.s, { enabled: true, now: () => now, width: 10 });
    bar.update(0.1, 'reactive');
    expect(tty.text()).toBe('');
    now = 1500;
    bar.update(0.5, 'reactive');
    expect(tty.text()).toContain('[#####.....]  50% reactive');
    bar.done();
    expect(tty.text().endsWith('\r\x1b[K')).toBe(true);
    const pipe = stream();
    const silent = progressBar(pipe.s, { enabled: false, now: () => now });
    now = 10_000;
    silent.update(0.9);
    silent.done();
    expect(pipe.text()).toBe('');
  });
});
