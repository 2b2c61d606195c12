/**
 * Raw YAML data -> the normalised Config: defaults filled in, quantities in base units, durations
 * in seconds. Tolerant by design: a value of the wrong type (already reported by the schema) falls
 * back to its default so semantic checks can still run over the rest and report everything at once.
 */
import { parseQuantity } from '../quantity.js';
import { parseDuration } from './duration.js';
import type {
  Config,
  ForecastMode,
  NodeGroupConfig,
  ProviderConfig,
  ProviderKind,
  QueueConfig,
  Role,
  ScheduledJobConfig,
} from './types.js';

type Raw = Record<string, unknown>;

/** Defaults that a platform engineer can look up in one place (docs/configuration.md lists them). */
export const DEFAULTS = {
  tickSeconds: 10,
  eventDebounceMs: 500,
  host: '127.0.0.1',
  port: 8080,
  unneededSeconds: 600,
  maxNodesPerTick: 10,
  scaleOutCooldownSeconds: 30,
  providerKind: 'dry-run' as ProviderKind,
  quantile: 0.8,
  stepSeconds: 60,
  refitSeconds: 3600,
  maxTrustedError: 1.5,
  retentionDays: 35,
  dataDir: '.nodecast',
  leaseNamespace: 'nodecast',
  leaseName: 'nodecast-leader',
  leaseDurationSeconds: 15,
  renewDeadlineSeconds: 10,
  retryPeriodSeconds: 2,
} as const;

const obj = (value: unknown): Raw =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
const str = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
const optStr = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function qty(value: unknown, fallback: number): number {
  if (typeof value !== 'number' && typeof value !== 'string') return fallback;
  try {
    return parseQuantity(value);
  } catch {
    return fallback;
  }
}

function dur(value: unknown, fallback: number): number {
  if (typeof value !== 'number' && typeof value !== 'string') return fallback;
  return parseDuration(value) ?? fallback;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(obj(value))) if (typeof entry === 'string') out[key] = entry;
  return out;
}

function provider(value: unknown): ProviderConfig {
  const raw = obj(value);
  const kind = oneOf(raw.kind, ['sim', 'dry-run', 'clusterapi', 'headroom'] as const, DEFAULTS.providerKind);
  const out: { -readonly [K in keyof ProviderConfig]: ProviderConfig[K] } = { kind };
  if (typeof raw.namespace === 'string') out.namespace = raw.namespace;
  if (kind === 'clusterapi')
    out.resource = oneOf(raw.resource, ['MachineDeployment', 'MachineSet'] as const, 'MachineDeployment');
  if (typeof raw.name === 'string') out.name = raw.name;
  if (typeof raw.priorityClassName === 'string') out.priorityClassName = raw.priorityClassName;
  return out;
}

function nodeGroup(value: unknown): NodeGroupConfig {
  const raw = obj(value);
  const role: Role = oneOf(raw.role, ['system', 'driver', 'executor'] as const, 'executor');
  const shape = obj(raw.shape);
  const scaleIn = obj(raw.scaleIn);
  const forecast = obj(raw.forecast);
  // Executors scale in by default; drivers only scale out (a driver must always find room);
  // system groups are static.
  const defaultMode: ForecastMode = role === 'executor' ? 'shadow' : 'off';
  return {
    name: str(raw.name, ''),
    role,
    nodeSelector: stringMap(raw.nodeSelector),
    min: num(raw.min, 0),
    max: num(raw.max, num(raw.min, 0)),
    shape: { cpu: qty(shape.cpu, 1), memoryBytes: qty(shape.memory, 1), pods: num(shape.pods, 110) },
    scaleIn: {
      enabled: bool(scaleIn.enabled, role === 'executor'),
      unneededSeconds: dur(scaleIn.unneededTime, DEFAULTS.unneededSeconds),
      maxNodesPerTick: num(scaleIn.maxNodesPerTick, DEFAULTS.maxNodesPerTick),
    },
    scaleOutCooldownSeconds: dur(raw.scaleOutCooldown, DEFAULTS.scaleOutCooldownSeconds),
    provider: provider(raw.provider),
    pricePerNodeHour: num(raw.pricePerNodeHour, 0),
    forecast: {
      mode: oneOf(forecast.mode, ['off', 'shadow', 'active'] as const, defaultMode),
      quantile: num(forecast.quantile, DEFAULTS.quantile),
    },
  };
}

function queue(value: unknown): QueueConfig {
  const raw = obj(value);
  return {
    name: str(raw.name, ''),
    executorGroup: str(raw.executorGroup, ''),
    maxCpu: qty(raw.maxCpu, Infinity),
    maxMemoryBytes: qty(raw.maxMemory, Infinity),
  };
}

function scheduledJob(value: unknown): ScheduledJobConfig {
  const raw = obj(value);
  return {
    name: str(raw.name, ''),
    cron: str(raw.cron, ''),
    queue: str(raw.queue, ''),
    executors: num(raw.executors, 1),
    executorCpu: qty(raw.executorCpu, 1),
    executorMemoryBytes: qty(raw.executorMemory, 1),
    durationSeconds: dur(raw.duration, 0),
  };
}

export function normalise(value: unknown): Config {
  const raw = obj(value);
  const server = obj(raw.server);
  const forecast = obj(raw.forecast);
  const history = obj(raw.history);
  const api = obj(raw.api);
  const election = obj(raw.leaderElection);
  const overrides = obj(raw.overrides);
  const electionOn = bool(election.enabled, false);
  const prometheusUrl = optStr(history.prometheusUrl);
  const tokensFile = optStr(api.tokensFile);
  return {
    clusterName: str(raw.clusterName, ''),
    tickSeconds: num(raw.tickSeconds, DEFAULTS.tickSeconds),
    eventDebounceMs: num(raw.eventDebounceMs, DEFAULTS.eventDebounceMs),
    server: { host: str(server.host, DEFAULTS.host), port: num(server.port, DEFAULTS.port) },
    nodeGroups: list(raw.nodeGroups).map(nodeGroup),
    queues: list(raw.queues).map(queue),
    forecast: {
      stepSeconds: dur(forecast.step, DEFAULTS.stepSeconds),
      refitSeconds: dur(forecast.refitInterval, DEFAULTS.refitSeconds),
      maxTrustedError: num(forecast.maxTrustedError, DEFAULTS.maxTrustedError),
    },
    scheduledJobs: list(raw.scheduledJobs).map(scheduledJob),
    history: {
      source: oneOf(history.source, ['local', 'prometheus'] as const, 'local'),
      ...(prometheusUrl === undefined ? {} : { prometheusUrl }),
      retentionDays: num(history.retentionDays, DEFAULTS.retentionDays),
    },
    dataDir: str(raw.dataDir, DEFAULTS.dataDir),
    api: tokensFile === undefined ? {} : { tokensFile },
    kubeRequestTimeoutSeconds: dur(raw.kubeRequestTimeout, 10),
    overrides: {
      // With several replicas only objects in the API server are shared: SQLite is per pod.
      store: oneOf(overrides.store, ['local', 'kubernetes'] as const, electionOn ? 'kubernetes' : 'local'),
      namespace: str(overrides.namespace, str(election.namespace, DEFAULTS.leaseNamespace)),
      timeoutSeconds: dur(overrides.timeout, 5),
    },
    leaderElection: {
      enabled: electionOn,
      namespace: str(election.namespace, DEFAULTS.leaseNamespace),
      leaseName: str(election.leaseName, DEFAULTS.leaseName),
      leaseDurationSeconds: dur(election.leaseDuration, DEFAULTS.leaseDurationSeconds),
      renewDeadlineSeconds: dur(election.renewDeadline, DEFAULTS.renewDeadlineSeconds),
      retryPeriodSeconds: dur(election.retryPeriod, DEFAULTS.retryPeriodSeconds),
    },
  };
}
