/**
 * The embedded default configuration: the production layout nodecast was built for (see
 * /docs/configuration.md). Kept as a TypeScript string so it ships inside the compiled module
 * (dist/) with no file to copy; `nodecast` uses it when no configuration file is given.
 */
export const DEFAULT_CONFIG_YAML = `# nodecast default configuration: one Spark-on-Kubernetes cluster, three node groups.
clusterName: spark
tickSeconds: 10
eventDebounceMs: 500
server:
  host: 127.0.0.1
  port: 8080
dataDir: .nodecast

nodeGroups:
  # Shared system services (operator, YuniKorn, gateway, nodecast itself): static size.
  - name: spark-system
    role: system
    nodeSelector: { nodecast.io/node-group: spark-system }
    min: 3
    max: 3
    shape: { cpu: 8, memory: 32Gi, pods: 110 }
    provider: { kind: sim }
    pricePerNodeHour: 0.38

  # Drivers: scale out only, so a driver can always start and is never evicted by scale-in.
  - name: spark-driver
    role: driver
    nodeSelector: { nodecast.io/node-group: spark-driver }
    min: 2
    max: 40
    shape: { cpu: 8, memory: 32Gi, pods: 110 }
    scaleIn: { enabled: false }
    scaleOutCooldown: 30s
    provider: { kind: sim }
    pricePerNodeHour: 0.38

  # Executors: scale in and out; the forecast keeps a floor ahead of predictable load.
  - name: spark-executor
    role: executor
    nodeSelector: { nodecast.io/node-group: spark-executor }
    min: 2
    max: 200
    shape: { cpu: 16, memory: 128Gi, pods: 110 }
    scaleIn: { enabled: true, unneededTime: 10m, maxNodesPerTick: 20 }
    scaleOutCooldown: 30s
    provider: { kind: sim }
    pricePerNodeHour: 1.01
    forecast: { mode: active, quantile: 0.8 }

# YuniKorn queues: each caps its share of the executor group (200 nodes = 3200 cpu, 25600Gi).
# Caps overlap on purpose: a queue may borrow what the others leave idle, up to its max.
queues:
  - { name: etl, executorGroup: spark-executor, maxCpu: 1600, maxMemory: 12800Gi }
  - { name: adhoc, executorGroup: spark-executor, maxCpu: 640, maxMemory: 5120Gi }
  - { name: ml, executorGroup: spark-executor, maxCpu: 960, maxMemory: 7680Gi }
  - { name: backfill, executorGroup: spark-executor, maxCpu: 800, maxMemory: 6400Gi }

forecast:
  step: 60s
  refitInterval: 1h
  maxTrustedError: 1.5

# Known recurring jobs (optional), e.g.:
#   - { name: nightly-etl, cron: "0 2 * * *", queue: etl, executors: 100,
#       executorCpu: 4, executorMemory: 28Gi, duration: 45m }
scheduledJobs: []

history:
  source: local
  retentionDays: 35

api: {}

# Deadline of each Kubernetes API request (lists, scale, Leases, Events, overrides).
kubeRequestTimeout: 10s

# Where human overrides live: local (SQLite in dataDir) or kubernetes (ForecastOverride objects,
# deploy/forecastoverride-crd.yaml; shared by every replica). Default: kubernetes when leader
# election is enabled, else local.
# overrides: { store: kubernetes, namespace: nodecast, timeout: 5s }

leaderElection:
  enabled: false
  namespace: nodecast
  leaseName: nodecast-leader
  leaseDuration: 15s
  renewDeadline: 10s
  retryPeriod: 2s
`;
