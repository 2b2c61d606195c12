/**
 * Where the collector reads its node's kubelet Summary from. Two paths:
 *
 * - direct: `GET <kubelet-url>/stats/summary` with the pod's service-account token. The kubelet
 *   authorizes it as `get nodes/stats` (webhook authz); only the node's own kubelet is called, at
 *   status.hostIP from the downward API, so the pod needs no hostNetwork.
 * - API server proxy: `GET /api/v1/nodes/<node>/proxy/stats/summary` with the kubeconfig's
 *   credentials. Works where pods cannot reach kubelets, but needs `get nodes/proxy`, which also
 *   allows exec-like kubelet calls: the deploy manifest defaults to direct for that reason.
 *
 * The token is read on every request: projected service-account tokens rotate on disk.
 */
import { readFile } from 'node:fs/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import type https from 'node:https';
import { getJson } from '../usage/http-json.js';

export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface SummaryFetcher {
  /** Human-readable source, for logs: "kubelet https://10.0.3.7:10250" or "API proxy ...". */
  readonly describe: string;
  fetchSummary(): Promise<unknown>;
}

export interface DirectKubeletOptions {
  /** Base URL of the kubelet, e.g. https://10.0.3.7:10250 (a trailing /stats/summary is accepted). */
  readonly url: string;
  /** Bearer token file; undefined sends no token (a kubelet on plain http in tests). */
  readonly tokenFile?: string;
  readonly caFile?: string;
  readonly insecureSkipTlsVerify?: boolean;
  readonly timeoutMs: number;
}

export function summaryUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/stats/summary') ? trimmed : `${trimmed}/stats/summary`;
}

export function directKubeletFetcher(opts: DirectKubeletOptions): SummaryFetcher {
  const url = summaryUrl(opts.url);
  return {
    describe: `kubelet ${url}`,
    async fetchSummary() {
      const token = opts.tokenFile ? (await readFile(opts.tokenFile, 'utf8')).trim() : undefined;
      return getJson(url, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        ca: opts.caFile ? await readFile(opts.caFile) : undefined,
        rejectUnauthorized: !opts.insecureSkipTlsVerify,
        timeoutMs: opts.timeoutMs,
      });
    },
  };
}

/** Request options (TLS material, Authorization) from the kubeconfig's current context. */
export async function kubeRequestOptions(kc: KubeConfig): Promise<{
  server: string;
  headers: Record<string, string>;
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  rejectUnauthorized?: boolean;
}> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = String(v);
  if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  return {
    server: cluster.server.replace(/\/+$/, ''),
    headers,
    ca: opts.ca as Buffer | string | undefined,
    cert: opts.cert as Buffer | string | undefined,
    key: opts.key as Buffer | string | undefined,
    rejectUnauthorized: opts.rejectUnauthorized,
  };
}

export function apiProxyFetcher(kc: KubeConfig, nodeName: string, timeoutMs: number): SummaryFetcher {
  const path = `/api/v1/nodes/${encodeURIComponent(nodeName)}/proxy/stats/summary`;
  return {
    describe: `API server proxy ${path}`,
    async fetchSummary() {
      const { server, ...tls } = await kubeRequestOptions(kc);
      return getJson(`${server}${path}`, { ...tls, timeoutMs });
    },
  };
}
