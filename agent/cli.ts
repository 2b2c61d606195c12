/**
 * The `nodecast` command line. Each command lives in its own module, loaded on demand so that a
 * quick command (`generate-trace`) does not pay for the agent's start-up.
 */
import { pathToFileURL } from 'node:url';

import type { CommandIO } from './cli/command-io.js';

export type { CommandIO };

type Command = (argv: string[], io: CommandIO) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: {
    summary: 'run the agent (against the embedded simulator when no cluster is configured)',
    load: async () => (await import('./cli/start-command.js')).runStartCommand,
  },
  simulate: {
    summary: 'replay a workload trace under a policy and report cost and delay',
    load: async () => (await import('./cli/simulate-command.js')).runSimulateCommand,
  },
  'generate-trace': {
    summary: 'write a synthetic Spark workload trace (CSV)',
    load: async () => (await import('./cli/simulate-command.js')).runGenerateTraceCommand,
  },
  'import-trace': {
    summary: 'write a workload trace from Prometheus (kube-state-metrics) or Spark event logs',
    load: async () => (await import('./cli/import-trace-command.js')).runImportTraceCommand,
  },
  backtest: {
    summary: 'rolling-origin backtest of every forecasting model on a timestamp,value CSV',
    load: async () => (await import('./cli/backtest-command.js')).runBacktestCommand,
  },
  overrides: {
    summary: 'list, add or delete forecast overrides through the API',
    load: async () => (await import('./cli/api-commands.js')).runOverridesCommand,
  },
  collect: {
    summary: 'node usage collector (run as a DaemonSet): kubelet stats on /metrics and /usage',
    load: async () => (await import('./cli/collect-command.js')).runCollectCommand,
  },
  status: {
    summary: 'show node groups, targets and the reasons of the last plan',
    load: async () => (await import('./cli/api-commands.js')).runStatusCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: nodecast <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "nodecast <command> --help" for a command's options.\n`;
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`nodecast: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest, io);
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
/** Runs the CLI on this process's arguments and sets the exit code. */
export function runCli(): void {
  const io: CommandIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`nodecast: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

if (invokedDirectly) runCli();
