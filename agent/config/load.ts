/**
 * Loads nodecast's configuration. (Early stub: the full YAML/schema loader replaces this body;
 * the exported signatures stay.)
 */
import type { Config } from './types.js';

const GiB = 2 ** 30;

export class ConfigError extends Error {
  constructor(
    readonly issues: readonly { path: string; message: string }[],
    source = 'config',
  ) {
    super(`${source}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function defaultConfig(): Config {
  const scaleInOff = { enabled: false, unneededSeconds: 600, maxNodesPerTick: 1 };
  return {
    clusterName: 'spark',
    tickSeconds: 10,
    eventDebounceMs: 500,
    server: { host: '127.0.0.1', port: 8080 },
    nodeGroups: [
      {
        name: 'spark-system',
        role: 'system',
        nodeSelector: { 'nodecast.io/node-group': 'spark-system' },
        min: 3,
        max: 3,
        shape: { cpu: 8, memoryBytes: 32 * GiB, pods: 110 },
        scaleIn: scaleInOff,
        scaleOutCooldownSeconds: 0,
        provider: { kind: 'sim' },
        pricePerNodeHour: 0.4,
        forecast: { mode: 'off', quantile: 0.9 },
      },
      {
        name: 'spark-driver',
        role: 'driver',
        nodeSelector: { 'nodecast.io/node-group': 'spark-driver' },
        min: 2,
        max: 40,
        shape: { cpu: 8, memoryBytes: 32 * GiB, pods: 110 },
        scaleIn: scaleInOff,
        scaleOutCooldownSeconds: 30,
        provider: { kind: 'sim' },
        pricePerNodeHour: 0.4,
        forecast: { mode: 'off', quantile: 0.9 },
      },
      {
        name: 'spark-executor',
        role: 'executor',
        nodeSelector: { 'nodecast.io/node-group': 'spark-executor' },
        min: 2,
        max: 200,
        shape: { cpu: 16, memoryBytes: 128 * GiB, pods: 110 },
        scaleIn: { enabled: true, unneededSeconds: 600, maxNodesPerTick: 20 },
        scaleOutCooldownSeconds: 30,
        provider: { kind: 'sim' },
        pricePerNodeHour: 1.2,
        forecast: { mode: 'active', quantile: 0.9 },
      },
    ],
    queues: [],
    forecast: { stepSeconds: 60, refitSeconds: 3600, maxTrustedError: 1.5 },
    scheduledJobs: [],
    history: { source: 'local', retentionDays: 35 },
    dataDir: '.nodecast',
    api: {},
    leaderElection: {
      enabled: false,
      namespace: 'nodecast',
      leaseName: 'nodecast-leader',
      leaseDurationSeconds: 15,
      renewDeadlineSeconds: 10,
      retryPeriodSeconds: 2,
    },
  };
}

export function parseConfig(_raw: unknown, _source?: string): Config {
  return defaultConfig();
}

export function loadConfig(_opts?: { file?: string; env?: NodeJS.ProcessEnv; yamlText?: string }): Config {
  return defaultConfig();
}
