/**
 * `npm start` without a cluster: a generated Spark workload in the simulator, behind a local
 * Kubernetes API server, driven by the real agent (informers, clusterapi provider, leader
 * election, Events, API, metrics) on an accelerated clock. Writes a kubeconfig so people can
 * watch the simulated cluster with kubectl.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { CommandIO } from '../agent/cli.js';
import type { Config, NodeGroupConfig } from '../agent/config/types.js';
import { startAgent } from '../agent/runtime/agent.js';
import { consoleLogger } from '../agent/runtime/console-logger.js';
import { numberFlag, shutdown, untilSignal } from '../agent/start.js';
import { startTelemetry } from '../agent/telemetry/tracing.js';
import { VERSION } from '../agent/version.js';
import { startKubeApiServer } from '../test/kube-api/server.js';
import { KubeBridge, SIM_CAPI_NAMESPACE } from './kube-bridge.js';
import { steadyPlan, type SimPolicy } from './policies/policy.js';
import { Simulation } from './simulation.js';
import { generateTrace } from './trace-generate.js';

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
function agentDrivenPolicy(config: Config): SimPolicy {
  return {
    name: 'agent',
    tickSeconds: null,
    eventDebounceMs: null,
    onTick: (snapshot, now) => ({ plan: steadyPlan(snapshot, config.nodeGroups, now) }),
  };
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

export async function runDemo(
  base: Config,
  flags: { speed?: string; days?: string; seed?: string; verbose?: boolean },
  io: CommandIO,
): Promise<number> {
  const speed = numberFlag(flags.speed, 'speed', 60);
  const days = numberFlag(flags.days, 'days', 14);
  const seed = numberFlag(flags.seed, 'seed', 1);
  const logger = consoleLogger(io.stderr, flags.verbose ? 'info' : 'warn');

  // A fresh data directory: history from an earlier demo run is on another simulated timeline.
  const dataDir = resolve(STATE_DIR, 'sim-data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const config = demoConfig(base, dataDir);

  const start = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const clock = new AcceleratedClock(start, speed);
  const jobs = generateTrace({ days, seed, start });
  const sim = new Simulation(jobs, agentDrivenPolicy(config), { config, seed, start });
  await sim.runUntil(start);

  const kube = await startKubeApiServer({ clock });
  const kubeconfig = resolve(STATE_DIR, 'kubeconfig');
  kube.writeKubeconfig(kubeconfig);
  const bridge = new KubeBridge(kube, sim, config, clock);
  bridge.install();

  let stepping = true;
  const step = async (): Promise<void> => {
    if (!stepping) return;
    try {
      await sim.runUntil(clock.now());
      bridge.sync();
    } catch (err) {
      logger.error('simulator step failed', { error: err instanceof Error ? err.message : String(err) });
    }
    if (stepping) setTimeout(() => void step(), 100);
  };
  void step();

  const telemetry = startTelemetry({ serviceVersion: VERSION, clusterName: config.clusterName });
  const agent = await startAgent({
    config,
    kubeConfig: kube.kubeConfig(),
    clock,
    speed,
    identity: `nodecast-${hostname()}-${process.pid}`,
    logger,
    tracer: telemetry.tracer,
    version: VERSION,
    decisionsOut: io.stdout,
    formatTime: simTime,
    simProvider: sim.provider,
    usage: simUsage(sim),
  });

  io.stdout.write(
    [
      `nodecast ${VERSION}: simulated Spark cluster (${jobs.length} jobs over ${days} days, seed ${seed}) at ${speed}x`,
      `  API, /metrics, /healthz: ${agent.address}`,
      `  watch it:  kubectl --kubeconfig ${kubeconfig} get pods -A -w`,
      `  status:    npm run nodecast -- status --url ${agent.address}`,
      `  Ctrl-C stops.`,
      '',
    ].join('\n'),
  );
  await untilSignal();
  stepping = false;
  await shutdown(agent, telemetry.shutdown, logger);
  await kube.close();
  return 0;
}

function simUsage(sim: Simulation) {
  const pick = (m: ReadonlyMap<string, { usedCpu: number; usedMemoryBytes: number }>) =>
    new Map([...m].map(([k, v]) => [k, { cpu: v.usedCpu, memoryBytes: v.usedMemoryBytes }]));
  return { groups: () => pick(sim.usage().groups), queues: () => pick(sim.usage().queues) };
}
