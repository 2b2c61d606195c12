/** How a long-running command (start, the demo) waits for its end and stops cleanly. */
import type { RunningAgent } from '../runtime/agent.js';

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function shutdown(
  agent: RunningAgent,
  stopTelemetry: () => Promise<void>,
  logger: { info(m: string): void },
): Promise<void> {
  logger.info('shutting down');
  await agent.stop();
  await stopTelemetry();
}
