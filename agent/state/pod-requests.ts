/**
 * A pod's effective resource requests by the rules the scheduler uses (component-helpers
 * `PodRequests`, Kubernetes 1.29+ sidecar semantics), per resource:
 *
 *   running  = sum(app containers) + sum(sidecars)          sidecar = init container with restartPolicy Always
 *   init_i   = requests(init_i) + sum(sidecars started before init_i)   (a sidecar's own entry includes itself)
 *   pod      = max(running, max_i init_i) + spec.overhead
 *
 * A container with limits but no request for a resource requests its limit (the API server's
 * defaulting rule; applied here too, so objects that skipped admission count right).
 * Malformed quantities never throw: the field counts as 0 and a problem naming it is returned.
 */
import type { Resources } from './snapshot.js';
import { QuantityError, parseQuantity } from '../quantity.js';
import { asArray, asObject, asString } from './object-fields.js';

export interface PodRequestsResult {
  readonly requests: Resources;
  /** One entry per malformed field, e.g. `spec.containers[0].resources.requests.cpu: not a Kubernetes quantity: "x"`. */
  readonly problems: readonly string[];
}

interface Acc {
  cpu: number;
  memoryBytes: number;
}

const RESOURCES = [
  ['cpu', 'cpu'],
  ['memory', 'memoryBytes'],
] as const;

// Pods repeat the same few quantity strings ("4", "18022Mi"): memoise parsing (bounded).
const parsed = new Map<string, number>();

function parseCached(raw: string | number): number {
  if (typeof raw === 'number') return parseQuantity(raw);
  let value = parsed.get(raw);
  if (value === undefined) {
    value = parseQuantity(raw);
    if (parsed.size >= 4096) parsed.clear();
    parsed.set(raw, value);
  }
  return value;
}

function quantity(raw: unknown, field: string, problems: string[]): number {
  if (raw === undefined || raw === null) return 0;
  try {
    if (typeof raw !== 'string' && typeof raw !== 'number')
      throw new QuantityError(`not a quantity: ${JSON.stringify(raw)}`);
    const value = parseCached(raw);
    if (value < 0) throw new QuantityError(`negative quantity: "${raw}"`);
    return value;
  } catch (err) {
    problems.push(`${field}: ${(err as Error).message}`);
    return 0;
  }
}

/** Requests of one container, defaulting each missing request to its limit. */
function containerRequests(container: unknown, path: string, problems: string[]): Acc {
  const resources = asObject(asObject(container)?.resources);
  const requests = asObject(resources?.requests);
  const limits = asObject(resources?.limits);
  const out: Acc = { cpu: 0, memoryBytes: 0 };
  for (const [name, key] of RESOURCES) {
    if (requests?.[name] !== undefined) {
      out[key] = quantity(requests[name], `${path}.resources.requests.${name}`, problems);
    } else if (limits?.[name] !== undefined) {
      out[key] = quantity(limits[name], `${path}.resources.limits.${name}`, problems);
    }
  }
  return out;
}

function addInto(acc: Acc, r: Acc): void {
  acc.cpu += r.cpu;
  acc.memoryBytes += r.memoryBytes;
}

function maxInto(acc: Acc, r: Acc): void {
  acc.cpu = Math.max(acc.cpu, r.cpu);
  acc.memoryBytes = Math.max(acc.memoryBytes, r.memoryBytes);
}

/** Effective requests of a pod spec (raw JSON or a client-node V1PodSpec). */
export function podRequests(spec: unknown): PodRequestsResult {
  const problems: string[] = [];
  const s = asObject(spec);
  const running: Acc = { cpu: 0, memoryBytes: 0 };
  asArray(s?.containers).forEach((c, i) =>
    addInto(running, containerRequests(c, `spec.containers[${i}]`, problems)),
  );

  const sidecars: Acc = { cpu: 0, memoryBytes: 0 };
  const initPeak: Acc = { cpu: 0, memoryBytes: 0 };
  asArray(s?.initContainers).forEach((c, i) => {
    const own = containerRequests(c, `spec.initContainers[${i}]`, problems);
    if (asString(asObject(c)?.restartPolicy) === 'Always') {
      addInto(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      maxInto(initPeak, { cpu: own.cpu + sidecars.cpu, memoryBytes: own.memoryBytes + sidecars.memoryBytes });
    }
  });
  addInto(running, sidecars);
  maxInto(running, initPeak);

  const overhead = asObject(s?.overhead);
  running.cpu += quantity(overhead?.cpu, 'spec.overhead.cpu', problems);
  running.memoryBytes += quantity(overhead?.memory, 'spec.overhead.memory', problems);
  return { requests: { cpu: running.cpu, memoryBytes: running.memoryBytes }, problems };
}
