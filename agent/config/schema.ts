/**
 * JSON schema of the YAML configuration file (structure and types only). Field semantics that a
 * schema cannot express (min <= max, references between sections, per-role rules) live in
 * semantics.ts; defaults live in normalise.ts. Every object forbids unknown keys so a typo fails
 * loudly instead of silently falling back to a default.
 */

/** A Kubernetes quantity: a number or a string such as "16", "500m", "128Gi". */
const quantity = { type: ['number', 'string'], format: 'quantity', exclusiveMinimum: 0 } as const;
/** Seconds as a number, or a duration string such as "30s", "10m", "1h30m". */
const duration = { type: ['number', 'string'], format: 'duration', minimum: 0 } as const;
const name = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 63 } as const;
const count = { type: 'integer', minimum: 0 } as const;

function object(properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> {
  return { type: 'object', properties, required, additionalProperties: false };
}

const provider = object(
  {
    kind: { enum: ['sim', 'dry-run', 'clusterapi', 'headroom'] },
    namespace: { type: 'string', minLength: 1 },
    resource: { enum: ['MachineDeployment', 'MachineSet'] },
    name: { type: 'string', minLength: 1 },
    priorityClassName: { type: 'string', minLength: 1 },
  },
  ['kind'],
);

const nodeGroup = object(
  {
    name,
    role: { enum: ['system', 'driver', 'executor'] },
    nodeSelector: {
      type: 'object',
      minProperties: 1,
      additionalProperties: { type: 'string' },
    },
    min: count,
    max: count,
    shape: object({ cpu: quantity, memory: quantity, pods: { type: 'integer', minimum: 1 } }, [
      'cpu',
      'memory',
      'pods',
    ]),
    scaleIn: object({
      enabled: { type: 'boolean' },
      unneededTime: duration,
      maxNodesPerTick: { type: 'integer', minimum: 1 },
    }),
    scaleOutCooldown: duration,
    provider,
    pricePerNodeHour: { type: 'number', minimum: 0 },
    forecast: object({
      mode: { enum: ['off', 'shadow', 'active'] },
      quantile: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    }),
  },
  ['name', 'role', 'nodeSelector', 'min', 'max', 'shape'],
);

const queue = object({ name, executorGroup: { type: 'string' }, maxCpu: quantity, maxMemory: quantity }, [
  'name',
  'executorGroup',
]);

const scheduledJob = object(
  {
    name,
    cron: { type: 'string', minLength: 1 },
    queue: { type: 'string' },
    executors: { type: 'integer', minimum: 1 },
    executorCpu: quantity,
    executorMemory: quantity,
    duration,
  },
  ['name', 'cron', 'queue', 'executors', 'executorCpu', 'executorMemory', 'duration'],
);

export const configSchema = object(
  {
    clusterName: { type: 'string', minLength: 1 },
    tickSeconds: { type: 'number', exclusiveMinimum: 0 },
    eventDebounceMs: { type: 'integer', minimum: 0 },
    server: object({
      host: { type: 'string', minLength: 1 },
      port: { type: 'integer', minimum: 0, maximum: 65535 },
    }),
    nodeGroups: { type: 'array', minItems: 1, items: nodeGroup },
    queues: { type: 'array', items: queue },
    forecast: object({
      step: duration,
      refitInterval: duration,
      maxTrustedError: { type: 'number', exclusiveMinimum: 0 },
    }),
    scheduledJobs: { type: 'array', items: scheduledJob },
    history: object({
      source: { enum: ['local', 'prometheus'] },
      prometheusUrl: { type: 'string', minLength: 1 },
      retentionDays: { type: 'number', exclusiveMinimum: 0 },
    }),
    dataDir: { type: 'string', minLength: 1 },
    api: object({ tokensFile: { type: 'string', minLength: 1 } }),
    kubeRequestTimeout: duration,
    overrides: object({
      store: { enum: ['local', 'kubernetes'] },
      namespace: { type: 'string', minLength: 1, maxLength: 63 },
      timeout: duration,
    }),
    leaderElection: object({
      enabled: { type: 'boolean' },
      namespace: { type: 'string', minLength: 1 },
      leaseName: name,
      leaseDuration: duration,
      renewDeadline: duration,
      retryPeriod: duration,
    }),
  },
  ['clusterName', 'nodeGroups'],
);
