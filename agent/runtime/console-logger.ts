/** A Logger for the terminal and for container logs: one line per entry, fields as JSON. */
import type { Logger } from '../logger.js';

const LEVELS = { info: 0, warn: 1, error: 2 } as const;
export type LogLevel = keyof typeof LEVELS;

export function consoleLogger(out: NodeJS.WritableStream, minLevel: LogLevel = 'info'): Logger {
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < LEVELS[minLevel]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    out.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}${extra}\n`);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
