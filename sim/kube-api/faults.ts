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

export interface FaultOptions {
  /** How many matching requests fail (default 1). */
  times?: number;
  message?: string;
  watch?: boolean;
}

interface Fault {
  readonly method: string;
  /** Only watch requests (true), only non-watch ones (false), or both (undefined). */
  readonly watch?: boolean;
  readonly pattern: RegExp;
  readonly status: number;
  readonly message: string;
  remaining: number;
}

/** `/api/v1/namespaces/*\/pods` -> a RegExp matching the whole path. */
export function globToRegExp(glob: string | RegExp): RegExp {
  if (glob instanceof RegExp) return glob;
  const escape = (part: string) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const body = glob
    .split('**')
    .map((chunk) => chunk.split('*').map(escape).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

export class FaultInjector {
  private faults: Fault[] = [];
  private readonly log: RequestRecord[] = [];
  latencyMs = 0;

  /**
   * The next `times` (default 1) requests matching `method` ('*' for any) and `path` fail with
   * `status` and a Status body. `watch` narrows to watch (true) or non-watch (false) requests.
   * Faults are consumed in the order they were added.
   */
  failNext(method: string, path: string | RegExp, status: number, opts: FaultOptions = {}): void {
    this.faults.push({
      method: method.toUpperCase(),
      watch: opts.watch,
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
  take(method: string, path: string, watch: boolean): ApiError | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.method === '*' || f.method === method) &&
        (f.watch === undefined || f.watch === watch) &&
        f.pattern.test(path),
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
