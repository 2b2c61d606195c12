/**
 * `npm start` without a cluster: a generated Spark workload in the simulator, behind a local
 * Kubernetes API server, driven by the real agent (informers, clusterapi provider, leader
 * election, Events, API, metrics) on an accelerated clock. Writes a kubeconfig so people can
 * watch the simulated cluster with kubectl.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { CommandIO } from '../agent/cli/command-io.js';
import type { Config, NodeGroupConfig } from '../agent/config/types.js';
import { startAgent, type RunningAgent } from '../agent/runtime/agent.js';
import type { Logger } from '../agent/logger.js';
import type { Tracer } from '@opentelemetry/api';
import { consoleLogger } from '../agent/runtime/console-logger.js';
import { numberFlag } from '../agent/cli/number-flag.js';
import { untilSignal } from '../agent/cli/process-lifetime.js';
import { startTelemetry } from '../agent/telemetry/tracing.js';
import { VERSION } from '../agent/version.js';
import { startKubeApiServer } from './kube-api/server.js';
import { KubeBridge, SIM_CAPI_NAMESPACE } from './kube-bridge.js';
import type { SimPolicy } from './policies/policy.js';
import { Simulation } from './simulation.js';
import { generateTrace } from './trace-generate.js';
import { warmUpHistory } from './warmup.js';
import { openStore } from '../agent/store/index.js';

const STATE_DIR = '.nodecast';
const HOUR_MS = 3_600_000;

/** A clock that runs `speed` times faster than the wall clock from `start`. */
export class AcceleratedClock {
  private readonly wallStart = performance.now();
  constructor(
    readonly start: number,
    readonly speed: number,
  ) {}
  now(): number {
    return Math.floor(this.start + (performance.now() - this.wallStart) * this.speed);
  }
}

/** The agent decides; the simulator only runs the cluster (no policy of its own). */
function agentDrivenPolicy(): SimPolicy {
  return { name: 'agent', tickSeconds: null, eventDebounceMs: null, tick: () => Promise.resolve() };
}

/** Every group behind a MachineDeployment of the local API server; leader election on. */
export function demoConfig(base: Config, dataDir: string): Config {
  const nodeGroups: NodeGroupConfig[] = base.nodeGroups.map((g) => ({
    ...g,
    provider: {
      kind: 'clusterapi',
      namespace: SIM_CAPI_NAMESPACE,
      resource: 'MachineDeployment',
      name: g.name,
    },
  }));
  return {
    ...base,
    clusterName: base.clusterName || 'nodecast-sim',
    nodeGroups,
    dataDir,
    history: { ...base.history, source: 'local' },
    leaderElection: { ...base.leaderElection, enabled: true, namespace: SIM_CAPI_NAMESPACE },
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const simTime = (ms: number): string => {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.toISOString().slice(0, 16).replace('T', ' ')}`;
};

export interface DemoOptions {
  readonly speed: number;
  readonly days: number;
  readonly seed: number;
  readonly logger: Logger;
  readonly tracer: Tracer;
  /** Fresh directory for the store (wiped first). */
  readonly dataDir: string;
  readonly kubeconfigPath: string;
  readonly decisionsOut?: NodeJS.WritableStream;
  /** Days of demand history replayed into the store first, so forecasts start at once (0: none). */
  readonly warmupDays?: number;
  /** Simulated start time (epoch ms); default the current hour, so simulated time of day is real. */
  readonly start?: number;
}

export interface RunningDemo {
  readonly agent: RunningAgent;
  readonly jobs: number;
  stop(): Promise<void>;
}

/** Starts simulator, local API server and agent; `stop` tears all three down. */
export async function startDemo(base: Config, o: DemoOptions): Promise<RunningDemo> {
  // A fresh data directory: history from an earlier demo run is on another simulated timeline.
  rmSync(o.dataDir, { recursive: true, force: true });
  mkdirSync(o.dataDir, { recursive: true });
  const config = demoConfig(base, o.dataDir);

  const start = o.start ?? Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  if (o.warmupDays) {
    const rows = await warmUpHistory(config, { days: o.warmupDays, seed: o.seed, end: start });
    const store = openStore(o.dataDir);
    store.appendHistoryMany(rows);
    store.close();
  }
  const clock = new AcceleratedClock(start, o.speed);
  const jobs = generateTrace({ days: o.days, seed: o.seed, start });
  const sim = new Simulation(jobs, agentDrivenPolicy(), { config, seed: o.seed, start });
  await sim.runUntil(start);

  const kube = await startKubeApiServer({ clock });
  kube.writeKubeconfig(o.kubeconfigPath);
  const bridge = new KubeBridge(kube, sim, config, clock);
  bridge.install();

  let stepping = true;
  let timer: NodeJS.Timeout | undefined;
  const step = async (): Promise<void> => {
    try {
      await sim.runUntil(clock.now());
      bridge.sync();
    } catch (err) {
      o.logger.error('simulator step failed', { error: err instanceof Error ? err.message : String(err) });
    }
    if (stepping) timer = setTimeout(() => void step(), 100);
  };
  void step();

  const agent = await startAgent({
    config,
    kubeConfig: kube.kubeConfig(),
    clock,
    speed: o.speed,
    identity: `nodecast-${hostname()}-${process.pid}`,
    logger: o.logger,
    tracer: o.tracer,
    version: VERSION,
    decisionsOut: o.decisionsOut,
    formatTime: simTime,
    simProvider: sim.provider,
    usage: simUsage(sim),
  });
  return {
    agent,
    jobs: jobs.length,
    async stop() {
      stepping = false;
      clearTimeout(timer);
      await agent.stop();
      await kube.close();
    },
  };
}

export async function runDemo(
  base: Config,
  flags: { speed?: string; days?: string; seed?: string; 'warmup-days'?: string; verbose?: boolean },
  io: CommandIO,
): Promise<number> {
  const speed = numberFlag(flags.speed, 'speed', 60);
  const days = numberFlag(flags.days, 'days', 14);
  const seed = numberFlag(flags.seed, 'seed', 1);
  const warmupDays = flags['warmup-days'] === '0' ? 0 : numberFlag(flags['warmup-days'], 'warmup-days', 7);
  const logger = consoleLogger(io.stderr, flags.verbose ? 'info' : 'warn');
  io.stdout.write(`replaying ${warmupDays} days of history for the forecaster...\n`);
  const telemetry = startTelemetry({ serviceVersion: VERSION, clusterName: base.clusterName });
  const kubeconfig = resolve(STATE_DIR, 'kubeconfig');
  const demo = await startDemo(base, {
    speed,
    days,
    seed,
    logger,
    tracer: telemetry.tracer,
    dataDir: resolve(STATE_DIR, 'sim-data'),
    kubeconfigPath: kubeconfig,
    decisionsOut: io.stdout,
    warmupDays,
  });
  const address = demo.agent.address;
  io.stdout.write(
    [
      `nodecast ${VERSION}: simulated Spark cluster (${demo.jobs} jobs over ${days} days, seed ${seed}) at ${speed}x`,
      `  API, /metrics, /healthz: ${address}`,
      `  watch it:  kubectl --kubeconfig ${kubeconfig} get pods -A -w`,
      `  status:    npm run nodecast -- status --url ${address}`,
      `  Ctrl-C stops.`,
      '',
    ].join('\n'),
  );
  await untilSignal();
  logger.info('shutting down');
  await demo.stop();
  await telemetry.shutdown();
  return 0;
}

function simUsage(sim: Simulation) {
  const pick = (m: ReadonlyMap<string, { usedCpu: number; usedMemoryBytes: number }>) =>
    new Map([...m].map(([k, v]) => [k, { cpu: v.usedCpu, memoryBytes: v.usedMemoryBytes }]));
  return { groups: () => pick(sim.usage().groups), queues: () => pick(sim.usage().queues) };
}
