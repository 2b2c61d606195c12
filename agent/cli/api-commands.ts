/**
 * `nodecast overrides list|add|delete` and `nodecast status`: the API from a terminal.
 * Exit codes: 0 done, 1 the API refused or could not be reached, 2 bad usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandIO } from './command-io.js';
import { formatSeconds, parseDuration } from '../config/duration.js';
import type { GroupStatusView } from '../api/agent-view.js';
import type { OverrideDto } from '../api/override-dto.js';
import { ApiClientError, apiRequest, type ApiClientOptions } from './api-client.js';
import { formatTable } from './table.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

/** The CLI's IO, plus seams for tests: environment and fetch. */
export type ApiCommandIO = CommandIO & { readonly env?: NodeJS.ProcessEnv; readonly fetch?: typeof fetch };

class UsageError extends Error {}

const COMMON = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const OVERRIDES_USAGE = `usage:
  nodecast overrides list [--group G] [--status active|current|all] [--json]
  nodecast overrides add --group G --kind floor|ceiling|pin|forecast-off [--value N] --reason TEXT
                         [--start ISO] [--end ISO | --for 2h] [--cron "0 8 * * 1-5" --duration 2h]
  nodecast overrides delete ID
common: --url URL (default ${DEFAULT_API_URL}, or NODECAST_URL), --token T (or NODECAST_TOKEN)
`;

const STATUS_USAGE = `usage: nodecast status [--url URL] [--token T] [--json]
Shows every node group: size, target, bounds, demand, nodes, forecast mode and why.
`;

function parse<O extends ParseArgsConfig['options']>(argv: string[], options: O) {
  try {
    return parseArgs({
      args: argv,
      options: { ...COMMON, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function client(values: { url?: string; token?: string }, io: ApiCommandIO): ApiClientOptions {
  const env = io.env ?? process.env;
  return {
    url: values.url ?? env.NODECAST_URL ?? DEFAULT_API_URL,
    token: values.token ?? env.NODECAST_TOKEN,
    fetch: io.fetch,
  };
}

async function run(io: ApiCommandIO, usage: string, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`nodecast: ${err.message}\n\n${usage}`);
      return 2;
    }
    if (err instanceof ApiClientError) {
      io.stderr.write(`nodecast: ${err.message}${err.field ? ` (field: ${err.field})` : ''}\n`);
      return 1;
    }
    throw err;
  }
}

const time = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');

function when(o: OverrideDto): string {
  const bounds = o.start || o.end ? `${o.start ? time(o.start) : '…'} → ${o.end ? time(o.end) : '…'}` : '';
  if (o.cron)
    return `cron "${o.cron}" for ${formatSeconds(o.durationSeconds ?? 0)}${bounds ? `, ${bounds}` : ''}`;
  return bounds || 'always';
}

function overridesTable(items: readonly OverrideDto[]): string {
  if (items.length === 0) return 'no overrides\n';
  return formatTable(
    ['ID', 'GROUP', 'KIND', 'VALUE', 'STATE', 'WHEN', 'BY', 'REASON'],
    items.map((o) => [
      o.id,
      o.group,
      o.kind,
      o.value === undefined ? '-' : String(o.value),
      o.state,
      when(o),
      o.createdBy,
      o.reason,
    ]),
  );
}

function seconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = parseDuration(value);
  if (s === undefined || s <= 0)
    throw new UsageError(`--${flag} must be a duration like 90m or 2h, got ${JSON.stringify(value)}`);
  return Math.round(s);
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${flag} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

const ADD_OPTIONS = {
  group: { type: 'string' },
  kind: { type: 'string' },
  value: { type: 'string' },
  reason: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  for: { type: 'string' },
  cron: { type: 'string' },
  duration: { type: 'string' },
  status: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

function addBody(v: Partial<Record<keyof typeof ADD_OPTIONS, string>>, now: number): Record<string, unknown> {
  if (!v.group || !v.kind || !v.reason)
    throw new UsageError('overrides add needs --group, --kind and --reason');
  if (v.end && v.for) throw new UsageError('give --end or --for, not both');
  const forSeconds = seconds('for', v.for);
  const startMs = v.start ? Date.parse(v.start) : now;
  if (v.start && !Number.isFinite(startMs))
    throw new UsageError(`--start must be an ISO-8601 time, got ${JSON.stringify(v.start)}`);
  const body: Record<string, unknown> = {
    group: v.group,
    kind: v.kind,
    reason: v.reason,
    value: integer('value', v.value),
    start: v.start,
    end: forSeconds === undefined ? v.end : new Date(startMs + forSeconds * 1000).toISOString(),
    cron: v.cron,
    durationSeconds: seconds('duration', v.duration),
  };
  return Object.fromEntries(Object.entries(body).filter(([, x]) => x !== undefined));
}

const SUBCOMMAND_OPTIONS: Record<string, readonly string[]> = {
  list: ['group', 'status'],
  add: ['group', 'kind', 'value', 'reason', 'start', 'end', 'for', 'cron', 'duration'],
  delete: [],
};

function checkOptionsFor(sub: string | undefined, values: Record<string, unknown>): void {
  const allowed = SUBCOMMAND_OPTIONS[sub ?? ''];
  if (!allowed) return;
  const stray = Object.keys(values).find((k) => !(k in COMMON) && !allowed.includes(k));
  if (stray) throw new UsageError(`--${stray} is not an option of overrides ${sub}`);
}

export async function runOverridesCommand(argv: string[], io: ApiCommandIO): Promise<number> {
  return run(io, OVERRIDES_USAGE, async () => {
    const { values, positionals } = parse(argv, ADD_OPTIONS);
    const [sub, ...rest] = positionals;
    if (values.help) {
      io.stdout.write(OVERRIDES_USAGE);
      return;
    }
    checkOptionsFor(sub, values);
    const api = client(values, io);
    if (sub === 'list' && rest.length === 0) {
      const q = new URLSearchParams();
      if (values.group) q.set('group', values.group);
      if (values.status) q.set('status', values.status);
      const res = await apiRequest<{ items: OverrideDto[] }>(
        api,
        'GET',
        `/api/v1/overrides${q.size ? `?${q}` : ''}`,
      );
      io.stdout.write(values.json ? `${JSON.stringify(res.items, null, 2)}\n` : overridesTable(res.items));
    } else if (sub === 'add' && rest.length === 0) {
      const created = await apiRequest<OverrideDto>(
        api,
        'POST',
        '/api/v1/overrides',
        addBody(values, Date.now()),
      );
      io.stdout.write(
        values.json
          ? `${JSON.stringify(created, null, 2)}\n`
          : `created override ${created.id}\n${overridesTable([created])}`,
      );
    } else if (sub === 'delete' && rest.length === 1) {
      const deleted = await apiRequest<OverrideDto>(
        api,
        'DELETE',
        `/api/v1/overrides/${encodeURIComponent(rest[0]!)}`,
      );
      io.stdout.write(
        values.json ? `${JSON.stringify(deleted, null, 2)}\n` : `deleted override ${deleted.id}\n`,
      );
    } else {
      throw new UsageError(
        sub ? `unknown or malformed subcommand: overrides ${positionals.join(' ')}` : 'missing subcommand',
      );
    }
  });
}

type GroupJson = Omit<GroupStatusView, 'lastPlanAt'> & { lastPlanAt?: string };

function statusTable(groups: readonly GroupJson[]): string {
  if (groups.length === 0) return 'no node groups\n';
  const table = formatTable(
    [
      'GROUP',
      'ROLE',
      'CURRENT',
      'TARGET',
      'MIN',
      'MAX',
      'DEMAND',
      'READY',
      'PROVISIONING',
      'FORECAST',
      'REASONS',
    ],
    groups.map((g) => [
      g.name,
      g.role,
      String(g.current),
      String(g.target),
      String(g.min),
      String(g.max),
      String(Math.round(g.demandNodes * 10) / 10),
      String(g.nodes.ready),
      String(g.nodes.provisioning),
      g.forecastMode,
      g.lastReasons.map((r) => r.code).join(',') || '-',
    ]),
  );
  const why = groups.flatMap((g) => g.lastReasons.map((r) => `  ${g.name}: ${r.message}`));
  return why.length ? `${table}\nwhy:\n${why.join('\n')}\n` : table;
}

export async function runStatusCommand(argv: string[], io: ApiCommandIO): Promise<number> {
  return run(io, STATUS_USAGE, async () => {
    const { values, positionals } = parse(argv, {});
    if (values.help) {
      io.stdout.write(STATUS_USAGE);
      return;
    }
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const res = await apiRequest<{ items: GroupJson[] }>(client(values, io), 'GET', '/api/v1/nodegroups');
    io.stdout.write(values.json ? `${JSON.stringify(res.items, null, 2)}\n` : statusTable(res.items));
  });
}
