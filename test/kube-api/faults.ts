/** Fault injection and request accounting for the test API server. */
import { statusForCode, type ApiError } from './status.js';

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly watch: boolean;
  /** HTTP status sent (200 for a watch that started streaming). */
  status: number;
}

export interface RequestFilter {
  /** HTTP method, case-insensitive; omit for any. */
  readonly method?: string;
  /** Path glob (`*` = one segment's characters, `**` = anything) or a RegExp on the path. */
  readonly path?: string | RegExp;
  readonly watch?: boolean;
}

interface Fault {
  readonly method: string;
  readonly pattern: RegExp;
  readonly status: number;
  readonly message: string;
  remaining: number;
}

/** `/api/v1/namespaces/*\/pods` -> a RegExp matching the whole path. */
export function globToRegExp(glob: string | RegExp): RegExp {
  if (glob instanceof RegExp) return glob;
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('^' + escaped.replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*') + '$');
}

export class FaultInjector {
  private faults: Fault[] = [];
  private readonly log: RequestRecord[] = [];
  latencyMs = 0;

  /**
   * The next `times` (default 1) requests matching `method` ('*' for any) and `path` fail with
   * `status` and a Status body. Faults are consumed in the order they were added.
   */
  failNext(method: string, path: string | RegExp, status: number, opts: { times?: number; message?: string } = {}) {
    this.faults.push({
      method: method.toUpperCase(),
      pattern: globToRegExp(path),
      status,
      message: opts.message ?? `injected fault: ${status}`,
      remaining: opts.times ?? 1,
    });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The injected error for this request, if one is armed (and consume it). */
  take(method: string, path: string): ApiError | undefined {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.method === '*' || f.method === method) && f.pattern.test(path),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return statusForCode(fault.status, fault.message);
  }

  record(entry: RequestRecord): RequestRecord {
    this.log.push(entry);
    return entry;
  }

  requests(filter: RequestFilter = {}): RequestRecord[] {
    const pattern = filter.path === undefined ? undefined : globToRegExp(filter.path);
    return this.log.filter(
      (r) =>
        (filter.method === undefined || r.method === filter.method.toUpperCase()) &&
        (pattern === undefined || pattern.test(r.path)) &&
        (filter.watch === undefined || r.watch === filter.watch),
    );
  }

  resetCounters(): void {
    this.log.length = 0;
  }
}
