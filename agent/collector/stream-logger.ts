/** A Logger writing one JSON object per line (what log collectors on a node expect). */
import type { Logger } from '../logger.js';

export function streamLogger(stream: NodeJS.WritableStream, base: Record<string, unknown> = {}): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    stream.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...base, ...fields })}\n`,
    );
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
