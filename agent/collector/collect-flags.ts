/** Flags of `nodecast collect`, parsed and checked (bad values name the flag). */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/duration.js';
import { SERVICE_ACCOUNT_TOKEN } from './kubelet-client.js';
import { DEFAULT_GROUP_LABEL } from './node-group.js';

export const DEFAULT_COLLECTOR_PORT = 9102;

export const COLLECT_USAGE = `usage: nodecast collect [--node-name NODE] [--kubelet-url URL] [--port ${DEFAULT_COLLECTOR_PORT}] [options]
Reads this node's kubelet Summary API and serves /metrics (Prometheus) and /usage (JSON per pod).
  --node-name NODE            node to read (default: env NODE_NAME)
  --kubelet-url URL           read the kubelet directly, e.g. https://$(HOST_IP):10250, with the
                              service-account token (RBAC: get nodes/stats). Without it the summary
                              comes through the API server proxy (RBAC: get nodes/proxy).
  --insecure-skip-tls-verify  do not verify the kubelet's serving certificate (self-signed certs)
  --kubelet-ca-file FILE      CA bundle for the kubelet's serving certificate
  --token-file FILE           bearer token for the kubelet (default: the service-account token)
  --kubeconfig FILE           API server access (default: in-cluster, or $KUBECONFIG)
  --config FILE               nodecast config: its node-group selectors name the group label
  --group NAME                fixed group label (skips reading the node's labels)
  --group-label KEY           node label holding the group, without --config (default ${DEFAULT_GROUP_LABEL})
  --port N                    listen port (default ${DEFAULT_COLLECTOR_PORT}; 0 picks a free one)
  --host ADDR                 listen address (default 0.0.0.0)
  --interval DURATION         time between kubelet reads (default 15s)
  --timeout DURATION          kubelet request timeout (default 10s)`;

export class CollectUsageError extends Error {}

export interface CollectFlags {
  readonly nodeName: string;
  readonly kubeletUrl?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly kubeletCaFile?: string;
  readonly tokenFile?: string;
  readonly kubeconfig?: string;
  readonly configFile?: string;
  readonly group?: string;
  readonly groupLabel: string;
  readonly port: number;
  readonly host: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

const OPTIONS = {
  'node-name': { type: 'string' },
  'kubelet-url': { type: 'string' },
  'insecure-skip-tls-verify': { type: 'boolean' },
  'kubelet-ca-file': { type: 'string' },
  'token-file': { type: 'string' },
  kubeconfig: { type: 'string' },
  config: { type: 'string' },
  group: { type: 'string' },
  'group-label': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  interval: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function milliseconds(flag: string, text: string | undefined, fallbackSeconds: number): number {
  if (text === undefined) return fallbackSeconds * 1000;
  const s = parseDuration(text);
  if (s === undefined || s <= 0)
    throw new CollectUsageError(`--${flag} must be a duration like 15s, got "${text}"`);
  return s * 1000;
}

function port(text: string | undefined): number {
  if (text === undefined) return DEFAULT_COLLECTOR_PORT;
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new CollectUsageError(`--port must be a port number 0-65535, got "${text}"`);
  return Number(text);
}

function kubeletUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CollectUsageError(`--kubelet-url must be an http(s) URL, got "${text}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new CollectUsageError(`--kubelet-url must be an http(s) URL, got "${text}"`);
  return text;
}

/** 'help' for --help; throws CollectUsageError on bad flags. */
export function parseCollectFlags(argv: string[], env: NodeJS.ProcessEnv): CollectFlags | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new CollectUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const str = (k: keyof typeof OPTIONS) => values[k] as string | undefined;
  const nodeName = str('node-name') ?? env.NODE_NAME;
  if (!nodeName)
    throw new CollectUsageError('--node-name is required (or set NODE_NAME, e.g. from spec.nodeName)');
  const url = kubeletUrl(str('kubelet-url'));
  const defaultToken = url && existsSync(SERVICE_ACCOUNT_TOKEN) ? SERVICE_ACCOUNT_TOKEN : undefined;
  return {
    nodeName,
    kubeletUrl: url,
    insecureSkipTlsVerify: values['insecure-skip-tls-verify'] === true,
    kubeletCaFile: str('kubelet-ca-file'),
    tokenFile: str('token-file') ?? defaultToken,
    kubeconfig: str('kubeconfig'),
    configFile: str('config'),
    group: str('group'),
    groupLabel: str('group-label') ?? DEFAULT_GROUP_LABEL,
    port: port(str('port')),
    host: str('host') ?? '0.0.0.0',
    intervalMs: milliseconds('interval', str('interval'), 15),
    timeoutMs: milliseconds('timeout', str('timeout'), 10),
  };
}
