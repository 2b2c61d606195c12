/**
 * Assembles a running agent from its parts: watches -> cluster state, forecasts, the loop and its
 * scheduler, the provider and actuator, leader election, the store, metrics and the HTTP API.
 * The same assembly runs against a real cluster and against the simulator behind the local
 * Kubernetes-API server (`npm start`), so the demo exercises what production runs.
 */
import { CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Tracer } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Config } from '../config/types.js';
import { ControlLoop, type TickListener } from '../loop.js';
import { LoopScheduler } from '../loop-scheduler.js';
import { Actuator } from '../actuate/actuator.js';
import { traceScaleAction } from '../telemetry/tick-trace.js';
import { ClusterState } from '../state/cluster-state.js';
import { startKubeObserver, type KubeObserver } from '../state/kube-observer.js';
import type { Logger } from '../logger.js';
import { KubeEventRecorder } from '../events/kube-event-recorder.js';
import { LeaderElector } from '../leader/leader-elector.js';
import { openStore, type Store } from '../store/index.js';
import { buildServer } from '../api/server.js';
import type { TokenAuth } from '../api/auth.js';
import { acceptRenderer, createMetrics, type Metrics } from '../telemetry/metrics.js';
import { recordLeader } from '../telemetry/record.js';
import { TelemetryListener, type UsageSource } from '../export/telemetry-listener.js';
import { ConsoleReporter } from '../export/console-reporter.js';
import type { Provider } from '../providers/provider.js';
import { buildProvider } from './providers.js';
import { createUsageSource } from '../usage/select-source.js';
import { knownNamesOf } from '../usage/aggregate.js';
import { LeadTime } from './lead-time.js';
import { ForecastHub } from './forecast-hub.js';
import { WorkerFitter } from '../../forecast/worker-fitter.js';
import { DecisionLog } from '../export/decision-log-listener.js';
import { LoopAgentView } from './agent-view.js';
import { WatchHealthListener } from '../export/watch-health-listener.js';
import { loadHistory } from './history.js';
import { openOverrides } from './overrides.js';
import { withRequestTimeout } from '../kube/request-timeout.js';
import { checkDataDir, fsReason, loadApiAuth, OpenedResources, StartupError } from './startup-checks.js';

export interface AgentOptions {
  readonly config: Config;
  readonly kubeConfig: KubeConfig;
  /** The loop's clock: wall time on a cluster, the simulator's accelerated clock in the demo. */
  readonly clock: Clock;
  /** Simulated seconds per wall second (1 on a real cluster); scales the tick period. */
  readonly speed?: number;
  readonly identity: string;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly version: string;
  /** Where each scale decision is printed (omit for none). */
  readonly decisionsOut?: NodeJS.WritableStream;
  readonly formatTime?: (ms: number) => string;
  readonly simProvider?: Provider;
  /** Usage from the simulator; on a cluster it comes from metrics-server or the node collectors. */
  readonly usage?: UsageSource;
  /** Extra export-stage listeners (tests, the demo). */
  readonly listeners?: readonly TickListener[];
}

export interface RunningAgent {
  readonly loop: ControlLoop;
  readonly state: ClusterState;
  readonly metrics: Metrics;
  readonly store: Store;
  readonly server: FastifyInstance;
  readonly forecasts: ForecastHub;
  /** http://host:port the API listens on. */
  readonly address: string;
  isLeader(): boolean;
  /** `release: false` leaves the Lease held, as a crashed process would (for failover tests). */
  stop(opts?: { release?: boolean }): Promise<void>;
}

/**
 * Starts the agent, or rejects with a StartupError naming the config field at fault (tokens file,
 * data dir, listen address) having closed whatever it had opened: nothing half-started stays.
 */
export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  // Checked before anything opens: no watch, socket or timer exists yet when these fail.
  const auth = loadApiAuth(opts.config);
  checkDataDir(opts.config);
  const opened = new OpenedResources();
  try {
    return await assembleAgent(opts, auth, opened);
  } catch (err) {
    await opened.closeAll((e) => opts.logger.warn('start-up cleanup failed', { error: String(e) }));
    throw err;
  }
}

function openAgentStore(config: Config, clock: Clock): Store {
  try {
    return openStore(config.dataDir, { clock, retentionDays: config.history.retentionDays });
  } catch (err) {
    throw new StartupError('dataDir', `cannot open the store in "${config.dataDir}": ${fsReason(err)}`);
  }
}

async function listenOrFail(server: FastifyInstance, config: Config): Promise<string> {
  const { host, port } = config.server;
  try {
    return await server.listen({ host, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? 'address already in use' : fsReason(err);
    throw new StartupError('server.port', `cannot listen on ${host}:${port}: ${reason}`);
  }
}

async function assembleAgent(
  opts: AgentOptions,
  auth: TokenAuth | null,
  opened: OpenedResources,
): Promise<RunningAgent> {
  const { config, clock, logger } = opts;
  const kubeConfig = withRequestTimeout(opts.kubeConfig, (config.kubeRequestTimeoutSeconds ?? 10) * 1000);
  const speed = opts.speed ?? 1;
  const store = openAgentStore(config, clock);
  opened.add(() => store.close());
  const metrics = createMetrics({ buildInfo: { version: opts.version }, clock, cluster: config.clusterName });
  const state = new ClusterState({ config, clock, logger, staleAfterMs: 30_000 * speed });
  const observer: KubeObserver = await startKubeObserver(kubeConfig, state, { logger });
  opened.add(() => observer.stop());

  const provider = buildProvider({
    config,
    kubeConfig,
    clock,
    logger,
    observedNodes: (g) => state.groupNodeCount(g.name),
    sim: opts.simProvider,
  });
  const events = new KubeEventRecorder({ kubeConfig, clock, logger, instance: opts.identity });
  const actuator = new Actuator({
    provider,
    config,
    clock,
    events,
    logger,
    traceAction: (action, fn) => traceScaleAction(opts.tracer, action, fn),
  });

  const lead = new LeadTime(config.tickSeconds);
  // Refits (seconds of CPU per group) run on a worker thread so the loop, watches and API keep going.
  const fitter = new WorkerFitter();
  opened.add(() => fitter.close());
  const forecasts = new ForecastHub(config, lead, store, { fitter, warn: (m) => logger.warn(m) });
  await loadHistory({ config, store, forecasts, now: clock.now(), logger });

  let leading = !config.leaderElection.enabled;
  const elector = config.leaderElection.enabled
    ? new LeaderElector({
        api: kubeConfig.makeApiClient(CoordinationV1Api),
        namespace: config.leaderElection.namespace,
        name: config.leaderElection.leaseName,
        identity: opts.identity,
        leaseDurationSeconds: config.leaderElection.leaseDurationSeconds,
        renewDeadlineSeconds: config.leaderElection.renewDeadlineSeconds,
        retryPeriodSeconds: config.leaderElection.retryPeriodSeconds,
        clock: { now: () => Date.now() },
        logger,
        // The gauge follows the elector at once, not at the next tick (a tick may be stuck on a
        // slow API server exactly when leadership is lost).
        onStartedLeading: () => {
          leading = true;
          recordLeader(metrics, true);
          logger.info('became leader', { identity: opts.identity });
        },
        onStoppedLeading: () => {
          leading = false;
          recordLeader(metrics, false);
          logger.warn('lost leadership: standing by', { identity: opts.identity });
        },
      })
    : undefined;

  const usage = opts.usage
    ? { source: opts.usage, stop: async () => {} }
    : await clusterUsage(opts, state, metrics);
  opened.add(() => usage.stop());
  const telemetry = new TelemetryListener(metrics, config, usage.source);
  const listeners: TickListener[] = [
    telemetry,
    new WatchHealthListener(
      metrics,
      () => state.health(),
      () => clock.now(),
    ),
    new DecisionLog(store),
    ...(opts.decisionsOut ? [new ConsoleReporter(opts.decisionsOut, opts.formatTime)] : []),
    ...(opts.listeners ?? []),
  ];
  const overrideStore = await openOverrides(config, { kubeConfig, clock, logger, store, opened });
  const overrides = (now: number) => overrideStore.active(now);
  const loop = new ControlLoop({
    config,
    source: {
      health: () => {
        const h = state.health();
        const down = Object.entries(h.sources).find(([, s]) => s.required && !s.connected);
        return {
          synced: h.synced,
          stale: h.stale,
          ...(h.stale && down
            ? { reason: `${down[0]} watch down: ${down[1].lastError ?? 'disconnected'}` }
            : {}),
        };
      },
      snapshot: (now, groups) => state.snapshot(now, groups.values()),
      // ScheduledSparkApplications (when the Spark Operator is installed) feed the forecaster.
      scheduledJobs: () => state.scheduledJobs(),
    },
    provider,
    actuator,
    forecasts,
    overrides,
    isLeader: () => leading,
    listeners,
    tracer: opts.tracer,
    logger: {
      error: (msg, err) => logger.error(msg, { error: err instanceof Error ? err.message : String(err) }),
    },
  });
  const scheduler = new LoopScheduler(loop, clock, {
    tickMs: (config.tickSeconds * 1000) / speed,
    debounceMs: Math.max(20, config.eventDebounceMs / speed),
  });
  const unsubscribe = state.onUrgent(() => scheduler.trigger());
  opened.add(unsubscribe);

  const server = buildServer({
    store,
    overrides: overrideStore,
    agent: new LoopAgentView({ config, loop, clock, forecasts, overrides, facts: () => telemetry.lastFacts }),
    auth,
    metrics: acceptRenderer(metrics),
    clock,
    config,
    accessLog: (entry) => logger.info('api request', { ...entry }),
    onAuthFailure: (reason) => metrics.apiAuthFailures.inc({ reason }),
  });
  opened.add(() => server.close());
  const address = await listenOrFail(server, config);

  elector?.start();
  scheduler.start();

  let stopped = false;
  return {
    loop,
    state,
    metrics,
    store,
    server,
    forecasts,
    address,
    isLeader: () => leading,
    async stop(stopOpts = {}) {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      await scheduler.stop();
      await fitter.close();
      await elector?.stop({ release: stopOpts.release ?? true });
      await observer.stop();
      await usage.stop();
      await server.close();
      store.close();
    },
  };
}

/** metrics-server when the cluster serves it, else the node collectors, else none (logged). */
async function clusterUsage(
  opts: AgentOptions,
  state: ClusterState,
  metrics: Metrics,
): Promise<{ source?: UsageSource; stop(): Promise<void> }> {
  const { source, reason } = await createUsageSource({
    kc: opts.kubeConfig,
    snapshot: () => state.snapshot(opts.clock.now()),
    known: knownNamesOf(opts.config),
    logger: opts.logger,
  });
  opts.logger.info('usage source', { reason });
  if (!source) return { stop: async () => {} };
  source.start();
  let errorsSeen = 0;
  const timer = setInterval(() => {
    const { errors, kind } = source.status();
    if (errors > errorsSeen) metrics.usageSourceErrors.inc({ kind }, errors - errorsSeen);
    errorsSeen = errors;
  }, 10_000);
  timer.unref();
  return {
    source,
    async stop() {
      clearInterval(timer);
      await source.stop();
    },
  };
}
