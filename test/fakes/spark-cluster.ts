/**
 * Builders for the Kubernetes objects and config the state/actuator tests use: a Spark cluster
 * with a driver group, an executor group and queues. Objects are raw JSON as a watch delivers.
 */
import type { Config, NodeGroupConfig, QueueConfig } from '../../agent/config/types.js';

export const GiB = 2 ** 30;

export function group(
  name: string,
  role: NodeGroupConfig['role'],
  over: Partial<NodeGroupConfig> = {},
): NodeGroupConfig {
  return {
    name,
    role,
    nodeSelector: { 'nodecast.io/node-group': name },
    min: 0,
    max: 100,
    shape: { cpu: 16, memoryBytes: 64 * GiB, pods: 110 },
    scaleIn: { enabled: role === 'executor', unneededSeconds: 600, maxNodesPerTick: 10 },
    scaleOutCooldownSeconds: 0,
    provider: { kind: 'dry-run' },
    pricePerNodeHour: 1,
    forecast: { mode: 'off', quantile: 0.9 },
    ...over,
  };
}

export function testConfig(over: { nodeGroups?: NodeGroupConfig[]; queues?: QueueConfig[] } = {}): Config {
  return {
    clusterName: 'test',
    tickSeconds: 10,
    eventDebounceMs: 100,
    nodeGroups: over.nodeGroups ?? [
      group('spark-system', 'system'),
      group('spark-driver', 'driver'),
      group('spark-executor', 'executor'),
    ],
    queues: over.queues ?? [
      { name: 'root.etl', executorGroup: 'spark-executor', maxCpu: Infinity, maxMemoryBytes: Infinity },
    ],
    server: { host: '127.0.0.1', port: 0 },
    forecast: { stepSeconds: 60, refitSeconds: 3600, maxTrustedError: 1.5 },
    scheduledJobs: [],
    history: { source: 'local', retentionDays: 7 },
    dataDir: '.nodecast-test',
    api: {},
    leaderElection: {
      enabled: false,
      namespace: 'nodecast',
      leaseName: 'nodecast',
      leaseDurationSeconds: 15,
      renewDeadlineSeconds: 10,
      retryPeriodSeconds: 2,
    },
  };
}

type Json = Record<string, unknown>;

export interface PodOptions {
  namespace?: string;
  uid?: string;
  role?: 'driver' | 'executor';
  app?: string;
  queue?: string;
  node?: string;
  phase?: string;
  cpu?: string;
  memory?: string;
  /** PodScheduled=False with this reason (e.g. Unschedulable, SchedulingSkipped) since `since`. */
  pending?: { reason: string; since?: string };
  nodeSelector?: Record<string, string>;
  labels?: Record<string, string>;
  resourceVersion?: string;
}

let counter = 0;

export function pod(name: string, o: PodOptions = {}): Json {
  const labels: Record<string, string> = { ...o.labels };
  if (o.role) labels['spark-role'] = o.role;
  if (o.app) labels['spark-app-selector'] = o.app;
  if (o.queue) labels.queue = o.queue;
  const conditions = o.pending
    ? [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: o.pending.reason,
          lastTransitionTime: o.pending.since ?? '2024-05-01T10:00:00Z',
        },
      ]
    : o.node
      ? [{ type: 'PodScheduled', status: 'True' }]
      : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'spark',
      uid: o.uid ?? `uid-${name}-${++counter}`,
      resourceVersion: o.resourceVersion ?? String(++counter),
      labels,
      creationTimestamp: '2024-05-01T09:59:00Z',
    },
    spec: {
      nodeName: o.node,
      nodeSelector: o.nodeSelector,
      containers: [
        {
          name: 'spark',
          image: 'spark:3.5',
          resources: { requests: { cpu: o.cpu ?? '1', memory: o.memory ?? '4Gi' } },
        },
      ],
    },
    status: { phase: o.phase ?? (o.node ? 'Running' : 'Pending'), conditions },
  };
}

export interface NodeOptions {
  group?: string;
  labels?: Record<string, string>;
  ready?: boolean;
  unschedulable?: boolean;
  cpu?: string;
  memory?: string;
  createdAt?: string;
}

export function node(name: string, o: NodeOptions = {}): Json {
  const labels = { ...(o.group ? { 'nodecast.io/node-group': o.group } : {}), ...o.labels };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `node-uid-${name}`,
      resourceVersion: String(++counter),
      labels,
      creationTimestamp: o.createdAt ?? '2024-05-01T08:00:00Z',
    },
    spec: { unschedulable: o.unschedulable },
    status: {
      allocatable: { cpu: o.cpu ?? '16', memory: o.memory ?? '64Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}
