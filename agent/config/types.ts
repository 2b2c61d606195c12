/**
 * The validated, normalised configuration the rest of nodecast reads. The YAML schema and loader
 * (agent/config/load.ts) produce exactly this shape; quantities are already numbers in base units.
 */
import type { ConcurrencyPolicy } from '../../forecast/scheduled-jobs.js';
export type Role = 'system' | 'driver' | 'executor';

/** Allocatable resources of one node of a group (cpu in cores, memory in bytes). */
export interface NodeShape {
  readonly cpu: number;
  readonly memoryBytes: number;
  readonly pods: number;
}

export interface ScaleInConfig {
  readonly enabled: boolean;
  /** A node must stay unneeded this long before it is removed. */
  readonly unneededSeconds: number;
  /** Cap on nodes removed from the group in one tick. */
  readonly maxNodesPerTick: number;
}

export type ProviderKind = 'sim' | 'dry-run' | 'clusterapi' | 'headroom';

export interface ProviderConfig {
  readonly kind: ProviderKind;
  /** clusterapi: namespace and name of the MachineDeployment (or MachineSet) backing the group. */
  readonly namespace?: string;
  readonly resource?: 'MachineDeployment' | 'MachineSet';
  readonly name?: string;
  /** headroom: priority class of the placeholder pods. */
  readonly priorityClassName?: string;
}

export type ForecastMode = 'off' | 'shadow' | 'active';

export interface GroupForecastConfig {
  readonly mode: ForecastMode;
  /** Quantile of predicted demand the target must cover, e.g. 0.9. */
  readonly quantile: number;
}

export interface NodeGroupConfig {
  readonly name: string;
  readonly role: Role;
  /** Node labels that identify this group's nodes (and that pods select to land on it). */
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly min: number;
  readonly max: number;
  readonly shape: NodeShape;
  readonly scaleIn: ScaleInConfig;
  /** After a scale-out, wait this long before the next one may add more. */
  readonly scaleOutCooldownSeconds: number;
  readonly provider: ProviderConfig;
  /** Price of one node for one hour, for cost estimates. */
  readonly pricePerNodeHour: number;
  readonly forecast: GroupForecastConfig;
}

/** A YuniKorn queue: where its executors go and its max resources (Infinity when unbounded). */
export interface QueueConfig {
  readonly name: string;
  readonly executorGroup: string;
  readonly maxCpu: number;
  readonly maxMemoryBytes: number;
}

export interface ScheduledJobConfig {
  readonly name: string;
  /** Five-field cron expression, UTC. */
  readonly cron: string;
  readonly queue: string;
  readonly executors: number;
  readonly executorCpu: number;
  readonly executorMemoryBytes: number;
  readonly durationSeconds: number;
  /** Dynamic allocation's upper bound when above `executors` (the count at start). */
  readonly maxExecutors?: number;
  /** How overlapping runs behave (ScheduledSparkApplication); default Allow. */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /** IANA zone the cron is read in; default UTC. */
  readonly timeZone?: string;
}

/** Allow: runs may overlap; Forbid: a run due while one is going is skipped; Replace: it replaces it. */
export type { ConcurrencyPolicy };

export interface Config {
  readonly clusterName: string;
  /** Periodic decision interval. */
  readonly tickSeconds: number;
  /** Debounce for event-driven decisions after a new unschedulable pod. */
  readonly eventDebounceMs: number;
  readonly nodeGroups: readonly NodeGroupConfig[];
  readonly queues: readonly QueueConfig[];
  readonly server: { readonly host: string; readonly port: number };
  readonly forecast: {
    readonly stepSeconds: number;
    /** Refit models this often; cheap updates in between. */
    readonly refitSeconds: number;
    /** Forecast is not trusted while its recent MASE is above this. */
    readonly maxTrustedError: number;
  };
  readonly scheduledJobs: readonly ScheduledJobConfig[];
  readonly history: {
    readonly source: 'local' | 'prometheus';
    readonly prometheusUrl?: string;
    readonly retentionDays: number;
  };
  readonly dataDir: string;
  readonly api: { readonly tokensFile?: string };
  /**
   * Where human overrides live: `local` (SQLite in dataDir; the simulator and single replicas) or
   * `kubernetes` (ForecastOverride objects in `namespace`: shared by every replica, survive pod
   * loss). Absent: local. The loader defaults it to kubernetes when leader election is on.
   */
  readonly overrides?: {
    readonly store: 'local' | 'kubernetes';
    readonly namespace: string;
    /** Timeout of each Kubernetes call the store makes. */
    readonly timeoutSeconds: number;
  };
  /** Deadline of each Kubernetes API request (lists, scale, Leases, Events); absent: 10 s. */
  readonly kubeRequestTimeoutSeconds?: number;
  readonly leaderElection: {
    readonly enabled: boolean;
    readonly namespace: string;
    readonly leaseName: string;
    readonly leaseDurationSeconds: number;
    readonly renewDeadlineSeconds: number;
    readonly retryPeriodSeconds: number;
  };
}
