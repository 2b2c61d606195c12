/**
 * `nodecast start`: runs the agent. Against a real cluster only when told to (`--in-cluster`,
 * `--kubeconfig`, or KUBECONFIG; see docs/adr/0002); otherwise against the embedded simulator
 * behind a local Kubernetes API server, through the same code path.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import type { CommandIO } from './command-io.js';
import { FlagError, numberFlag } from './number-flag.js';
import { shutdown, untilSignal } from './process-lifetime.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { startAgent, type RunningAgent } from '../runtime/agent.js';
import { consoleLogger } from '../runtime/console-logger.js';
import { loadApiAuth, StartupError } from '../runtime/startup-checks.js';
import { startTelemetry } from '../telemetry/tracing.js';
import { VERSION } from '../version.js';

export const START_USAGE = `usage: nodecast start [options]

  --config FILE        configuration file (default: NODECAST_CONFIG, else the embedded default)
  --host HOST          HTTP listen address (default 127.0.0.1; config server.host)
  --port PORT          HTTP port (default 8080; config server.port)
  --in-cluster         use the pod's service account (running inside Kubernetes)
  --kubeconfig FILE    use this kubeconfig (KUBECONFIG is honoured too)
 simulator (when no cluster is given):
  --speed N            simulated seconds per wall second (default 60)
  --days N             days of generated workload (default 14)
  --seed N             workload seed (default 1)
  --warmup-days N      days of simulated history replayed first so forecasts start at once (default 7; 0: none)
  --verbose            log info lines too (default: warnings and errors)
`;

interface StartFlags {
  config?: string;
  host?: string;
  port?: string;
  'in-cluster'?: boolean;
  kubeconfig?: string;
  speed?: string;
  days?: string;
  seed?: string;
  'warmup-days'?: string;
  verbose?: boolean;
  help?: boolean;
}

export async function runStartCommand(argv: string[], io: CommandIO): Promise<number> {
  let flags: StartFlags;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'in-cluster': { type: 'boolean' },
        kubeconfig: { type: 'string' },
        speed: { type: 'string' },
        days: { type: 'string' },
        seed: { type: 'string' },
        'warmup-days': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values as StartFlags;
  } catch (err) {
    io.stderr.write(`nodecast start: ${(err as Error).message}\n\n${START_USAGE}`);
    return 2;
  }
  if (flags.help) {
    io.stdout.write(START_USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = withListen(loadConfig({ file: flags.config }), flags);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof FlagError) {
      io.stderr.write(`nodecast start: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  try {
    return await runAgent(config, flags, io);
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    io.stderr.write(`nodecast start: ${err.message}\n`);
    return 1;
  }
}

async function runAgent(config: Config, flags: StartFlags, io: CommandIO): Promise<number> {
  const kubeconfigPath = flags.kubeconfig ?? process.env.KUBECONFIG;
  if (flags['in-cluster'] || kubeconfigPath) {
    return runAgainstCluster(config, loadKubeConfig(flags, kubeconfigPath), flags, io);
  }
  // The demo starts its simulator and local API server before the agent: refuse a bad tokens
  // file before any of them runs (the demo brings its own data directory).
  loadApiAuth(config);
  const { runDemo } = await import('../../sim/demo.js');
  return runDemo(config, flags, io);
}

function loadKubeConfig(flags: StartFlags, path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  const source = flags['in-cluster'] ? '--in-cluster' : flags.kubeconfig ? '--kubeconfig' : 'KUBECONFIG';
  try {
    if (flags['in-cluster']) kc.loadFromCluster();
    else kc.loadFromFile(path!);
  } catch (err) {
    throw new StartupError(source, (err as Error).message);
  }
  return kc;
}

function withListen(config: Config, flags: StartFlags): Config {
  const port = flags.port === undefined ? config.server.port : numberFlag(flags.port, 'port', 8080);
  if (!Number.isInteger(port) || port > 65535)
    throw new FlagError(`--port: must be an integer 1-65535, got "${flags.port}"`);
  return { ...config, server: { host: flags.host ?? config.server.host, port } };
}

async function runAgainstCluster(
  config: Config,
  kubeConfig: KubeConfig,
  flags: StartFlags,
  io: CommandIO,
): Promise<number> {
  const logger = consoleLogger(io.stderr, flags.verbose ? 'info' : 'warn');
  const telemetry = startTelemetry({ serviceVersion: VERSION, clusterName: config.clusterName });
  logger.info('tracing', { exporter: telemetry.choice.exporter, reason: telemetry.choice.reason });
  let agent: RunningAgent;
  try {
    agent = await startAgent({
      config,
      kubeConfig,
      clock: systemClock,
      identity: process.env.POD_NAME ?? `${hostname()}-${process.pid}`,
      logger,
      tracer: telemetry.tracer,
      version: VERSION,
      decisionsOut: io.stdout,
    });
  } catch (err) {
    await telemetry.shutdown();
    throw err;
  }
  logger.info('nodecast started', { api: agent.address, cluster: config.clusterName });
  await untilSignal();
  await shutdown(agent, telemetry.shutdown, logger);
  return 0;
}
