/**
 * The logging seam the state, provider, actuator and event modules write through. Structured:
 * a message plus fields. Any logger with these three methods fits (console adapters included).
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** A logger that keeps entries in memory, for tests that assert what was logged. */
export class MemoryLogger implements Logger {
  readonly entries: {
    level: 'info' | 'warn' | 'error';
    message: string;
    fields?: Record<string, unknown>;
  }[] = [];
  info(message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'error', message, fields });
  }
}
