/**
 * `nodecast collect`: the node collector a DaemonSet runs on every Spark node. Reads the node's
 * kubelet Summary on an interval and serves /metrics and /usage until SIGTERM or SIGINT, then stops
 * polling, closes the server and returns 0. Exit codes: 0 clean stop, 1 cannot start (bad config
 * file, port in use, no API access in proxy mode), 2 bad flags.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type { CommandIO } from './command-io.js';
import { loadConfig } from '../config/load.js';
import type { Logger } from '../logger.js';
import {
  COLLECT_USAGE,
  CollectUsageError,
  parseCollectFlags,
  type CollectFlags,
} from '../collector/collect-flags.js';
import { NodeCollector } from '../collector/collector.js';
import { CollectorMetrics } from '../collector/collector-metrics.js';
import { buildCollectorServer } from '../collector/collector-server.js';
import { apiProxyFetcher, directKubeletFetcher, type SummaryFetcher } from '../collector/kubelet-client.js';
import { kubeNodeLabels, type GroupRule } from '../collector/node-group.js';
import { streamLogger } from '../collector/stream-logger.js';

export type CollectCommandIO = CommandIO & {
  readonly env?: NodeJS.ProcessEnv;
  /** Stops the collector like SIGTERM does (tests). */
  readonly signal?: AbortSignal;
};

/** The kubeconfig to reach the API server with, or undefined when there is none to find. */
function kubeConfigFor(flags: CollectFlags, env: NodeJS.ProcessEnv): KubeConfig | undefined {
  const kc = new KubeConfig();
  if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
  else if (env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else if (env.KUBECONFIG && existsSync(env.KUBECONFIG)) kc.loadFromFile(env.KUBECONFIG);
  else return undefined;
  return kc;
}

function fetcherFor(flags: CollectFlags, kc: KubeConfig | undefined): SummaryFetcher {
  if (flags.kubeletUrl)
    return directKubeletFetcher({
      url: flags.kubeletUrl,
      tokenFile: flags.tokenFile,
      caFile: flags.kubeletCaFile,
      insecureSkipTlsVerify: flags.insecureSkipTlsVerify,
      timeoutMs: flags.timeoutMs,
    });
  if (!kc)
    throw new CollectUsageError(
      'no API server access for the proxy path: pass --kubelet-url, --kubeconfig, or run in a cluster',
    );
  return apiProxyFetcher(kc, flags.nodeName, flags.timeoutMs);
}

function groupRuleFor(flags: CollectFlags): GroupRule {
  if (flags.group) return { fixed: flags.group };
  if (flags.configFile) return { config: loadConfig({ file: flags.configFile, env: {} }) };
  return { groupLabel: flags.groupLabel };
}

function waitForStop(signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      signal?.removeEventListener('abort', onAbort);
      resolve(why);
    };
    const onTerm = () => done('SIGTERM');
    const onInt = () => done('SIGINT');
    const onAbort = () => done('abort');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
    if (signal?.aborted) done('abort');
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function serve(flags: CollectFlags, io: CollectCommandIO, logger: Logger): Promise<number> {
  const env = io.env ?? process.env;
  const kc = kubeConfigFor(flags, env);
  const fetcher = fetcherFor(flags, kc);
  const groupRule = groupRuleFor(flags);
  const metrics = new CollectorMetrics();
  const collector = new NodeCollector({
    fetcher,
    nodeName: flags.nodeName,
    metrics,
    groupRule,
    nodeLabels: kc && !groupRule.fixed ? kubeNodeLabels(kc) : undefined,
    intervalMs: flags.intervalMs,
    logger,
  });
  const app = buildCollectorServer({ latest: () => collector.latest(), metrics });
  await app.listen({ port: flags.port, host: flags.host });
  // Signal handlers only once listening: a failed start must not leave SIGTERM swallowed.
  const stopped = waitForStop(io.signal);
  const { address, port } = app.server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  io.stdout.write(
    `nodecast collect: node ${flags.nodeName}, reading ${fetcher.describe} every ${flags.intervalMs / 1000}s, serving http://${host}:${port}/usage and /metrics\n`,
  );
  collector.start();
  const why = await stopped;
  logger.info('stopping', { signal: why });
  await collector.stop();
  await app.close();
  return 0;
}

export async function runCollectCommand(argv: string[], io: CollectCommandIO): Promise<number> {
  const env = io.env ?? process.env;
  let flags: CollectFlags | 'help';
  try {
    flags = parseCollectFlags(argv, env);
  } catch (err) {
    io.stderr.write(`nodecast collect: ${(err as Error).message}\n\n${COLLECT_USAGE}\n`);
    return 2;
  }
  if (flags === 'help') {
    io.stdout.write(`${COLLECT_USAGE}\n`);
    return 0;
  }
  const logger = streamLogger(io.stderr, { component: 'collector', node: flags.nodeName });
  try {
    return await serve(flags, io, logger);
  } catch (err) {
    io.stderr.write(`nodecast collect: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
