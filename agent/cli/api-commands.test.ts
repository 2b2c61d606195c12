import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, READ_TOKEN, WRITE_TOKEN, type ApiHarness } from '../../test/fakes/api-harness.js';
import { runOverridesCommand, runStatusCommand, type ApiCommandIO } from './api-commands.js';
import { formatTable } from './table.js';

let h: ApiHarness;
let url: string;

beforeAll(async () => {
  h = apiHarness();
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await h.close();
});

function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _enc, cb) {
        into.push(String(chunk));
        cb();
      },
    });
  const io: ApiCommandIO = { stdout: sink(out), stderr: sink(err), isTTY: false, env };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const writer = () => capture({ NODECAST_URL: url, NODECAST_TOKEN: WRITE_TOKEN });

describe('formatTable', () => {
  it('pads every column to its widest cell', () => {
    expect(
      formatTable(
        ['A', 'LONGER'],
        [
          ['xxxx', 'y'],
          ['z', 'w'],
        ],
      ),
    ).toBe('A     LONGER\nxxxx  y\nz     w\n');
  });
});

describe('nodecast status', () => {
  it('prints an aligned table of groups and the reasons behind each target', async () => {
    h.agent.groupViews[2] = {
      ...h.agent.groupViews[2]!,
      current: 4,
      target: 9,
      lastReasons: [{ code: 'pending-pods', message: '12 executors pending need 5 more nodes' }],
      nodes: { ready: 4, provisioning: 5 },
    };
    const c = capture();
    expect(await runStatusCommand(['--url', url, '--token', READ_TOKEN], c.io)).toBe(0);
    const lines = c.out().split('\n');
    expect(lines[0]).toMatch(
      /^GROUP +ROLE +CURRENT +TARGET +MIN +MAX +DEMAND +READY +PROVISIONING +FORECAST +REASONS$/,
    );
    const exec = lines.find((l) => l.startsWith('spark-executor'))!;
    expect(exec.split(/ +/)).toEqual([
      'spark-executor',
      'executor',
      '4',
      '9',
      '2',
      '200',
      '2',
      '4',
      '5',
      'active',
      'pending-pods',
    ]);
    // Columns line up: every row's ROLE starts where the header's does.
    const col = lines[0]!.indexOf('ROLE');
    for (const l of lines.slice(1, 4)) expect(l.slice(col, col + 1)).not.toBe(' ');
    expect(c.out()).toContain('spark-executor: 12 executors pending need 5 more nodes');
  });

  it('exits 1 with the API message when the token is missing', async () => {
    const c = capture();
    expect(await runStatusCommand(['--url', url], c.io)).toBe(1);
    expect(c.err()).toMatch(/^nodecast: 401 unauthorized: a bearer token is required/);
  });

  it('exits 1 naming the URL when the API is unreachable', async () => {
    const c = capture();
    expect(await runStatusCommand(['--url', 'http://127.0.0.1:1', '--token', READ_TOKEN], c.io)).toBe(1);
    expect(c.err()).toMatch(/cannot reach the nodecast API at http:\/\/127.0.0.1:1/);
  });
});

describe('nodecast overrides', () => {
  it('adds, lists and deletes an override', async () => {
    const add = writer();
    const code = await runOverridesCommand(
      [
        'add',
        '--group',
        'spark-executor',
        '--kind',
        'floor',
        '--value',
        '12',
        '--for',
        '2h',
        '--reason',
        'month-end close',
      ],
      add.io,
    );
    expect(add.err()).toBe('');
    expect(code).toBe(0);
    const id = /created override (\S+)/.exec(add.out())![1]!;
    const stored = h.store.getOverride(id)!;
    expect(stored).toMatchObject({ group: 'spark-executor', kind: 'floor', value: 12, createdBy: 'writer' });
    expect(Date.parse(stored.end!) - Date.now()).toBeGreaterThan(7100_000);

    const list = writer();
    expect(await runOverridesCommand(['list', '--group', 'spark-executor'], list.io)).toBe(0);
    const lines = list.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +GROUP +KIND +VALUE +STATE +WHEN +BY +REASON$/);
    expect(lines.find((l) => l.startsWith(id))).toMatch(
      /spark-executor +floor +12 +\S+ .*writer +month-end close$/,
    );

    const del = writer();
    expect(await runOverridesCommand(['delete', id], del.io)).toBe(0);
    expect(del.out()).toBe(`deleted override ${id}\n`);
    expect(h.store.getOverride(id)?.deletedAt).toBeDefined();
  });

  it('adds a recurring override and prints JSON on request', async () => {
    const c = writer();
    const args = [
      'add',
      '--group',
      'spark-executor',
      '--kind',
      'pin',
      '--value',
      '20',
      '--cron',
      '0 8 * * 1-5',
    ];
    expect(
      await runOverridesCommand([...args, '--duration', '90m', '--reason', 'weekday batch', '--json'], c.io),
    ).toBe(0);
    expect(JSON.parse(c.out())).toMatchObject({ cron: '0 8 * * 1-5', durationSeconds: 5400, kind: 'pin' });
  });

  it('prints the API error with its field', async () => {
    const c = writer();
    const code = await runOverridesCommand(
      ['add', '--group', 'spark-executor', '--kind', 'floor', '--value', '999', '--reason', 'x'],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.err()).toMatch(
      /^nodecast: 400 bad-request: .*outside group spark-executor's bounds \[2, 200\] \(field: body.value\)\n$/,
    );
  });

  it.each([
    [[], /missing subcommand/],
    [['remove', 'x'], /unknown or malformed subcommand/],
    [['delete'], /unknown or malformed subcommand/],
    [['add', '--group', 'g'], /needs --group, --kind and --reason/],
    [
      ['add', '--group', 'g', '--kind', 'floor', '--reason', 'r', '--value', 'ten'],
      /--value must be a whole number/,
    ],
    [
      ['add', '--group', 'g', '--kind', 'floor', '--reason', 'r', '--for', 'soon'],
      /--for must be a duration/,
    ],
    [['list', '--kind', 'floor'], /--kind is not an option of overrides list/],
    [['list', '--bogus'], /Unknown option '--bogus'/],
  ])('exits 2 with usage for %j', async (argv, message) => {
    const c = writer();
    expect(await runOverridesCommand(argv as string[], c.io)).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.err()).toContain('usage:');
  });
});
