import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSimulateCommand } from '../agent/cli/simulate-command.js';
import { generateTrace } from './trace-generate.js';
import { spanProblem } from './trace-span.js';
import { formatTrace } from './trace-write.js';

const DAY_S = 86_400;
const start = Date.UTC(2024, 0, 2);
const [a, b, c] = generateTrace({ days: 1, seed: 3, start });

describe('spanProblem', () => {
  it('accepts a span up to the bound, counting the last app to end (its run-out)', () => {
    const early = { ...a!, app: 'early', submitTime: start, durationSeconds: 60 };
    const long = { ...b!, app: 'long', submitTime: start + 1000, durationSeconds: 2 * DAY_S };
    const span = (long.submitTime + long.durationSeconds * 1000 - early.submitTime) / 1000;
    expect(spanProblem([long, early], span)).toBeUndefined();
    const msg = spanProblem([long, early], span - 1);
    expect(msg).toContain('--max-span');
    expect(msg).toContain('from early submitted 2024-01-02T00:00:00.000Z');
    // The last submit is not the last to end: the long app that ends later makes the span.
    expect(msg).toContain('to long ending 2024-01-04T00:00:01.000Z');
  });

  it('accepts an empty trace', () => {
    expect(spanProblem([], 1)).toBeUndefined();
  });
});

describe('simulate --max-span', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodecast-span-'));
  const io = () => {
    const stderr = new PassThrough();
    const err: string[] = [];
    stderr.on('data', (d: Buffer) => err.push(d.toString()));
    return { io: { stdout: new PassThrough(), stderr, isTTY: false }, err: () => err.join('') };
  };
  const century = 100 * 365 * DAY_S * 1000;
  const tracePath = join(dir, 'century.csv');
  writeFileSync(
    tracePath,
    formatTrace([
      { ...a!, app: 'first', submitTime: start },
      { ...c!, app: 'hundred-years-later', submitTime: start + century, durationSeconds: 600 },
    ]),
  );

  it('refuses by default a trace whose jobs are 100 years apart, naming the flag and both apps', async () => {
    const out = io();
    const code = await runSimulateCommand(['--trace', tracePath, '--policy', 'reactive'], out.io);
    expect(code).toBe(2);
    expect(out.err()).toMatch(/--max-span: the trace spans \S+, more than 400d/);
    expect(out.err()).toContain('from first submitted 2024-01-02T00:00:00.000Z');
    expect(out.err()).toContain('to hundred-years-later ending');
  });

  it('refuses a bound that is not a duration', async () => {
    const out = io();
    const code = await runSimulateCommand(['--trace', tracePath, '--max-span', 'soon'], out.io);
    expect(code).toBe(2);
    expect(out.err()).toContain('--max-span: expected a duration such as 90d or 12h, got "soon"');
  });
});
