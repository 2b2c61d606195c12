/**
 * Decoding checks the real API server makes and clients get wrong. MicroTime fields
 * (Lease spec.acquireTime/renewTime, Event eventTime and series.lastObservedTime) must carry
 * exactly six fractional digits: Go parses them with layout 2006-01-02T15:04:05.000000Z07:00, so
 * a JavaScript Date's toISOString() ("...05.678Z") is rejected. client-node's V1MicroTime
 * serializes correctly; a plain Date does not. Custom resources are also checked against their
 * CRD's schema (crds.ts).
 */
import type { ResourceDef } from './resources.js';
import type { KubeObject } from './selectors.js';
import { badRequest } from './status.js';
import { schemaInvalid } from './crds.js';

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

const MICRO_TIME_FIELDS: Record<string, string[]> = {
  'coordination.k8s.io/leases': ['spec.acquireTime', 'spec.renewTime'],
  events: ['eventTime', 'series.lastObservedTime'],
  'events.k8s.io/events': ['eventTime', 'series.lastObservedTime'],
};

function read(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((cur, part) => {
    return cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
  }, obj);
}

/** Throw 400 BadRequest, as the server's decoder would, for a malformed MicroTime. */
export function validateObject(def: ResourceDef, obj: KubeObject): void {
  // A custom resource must satisfy its CRD's openAPIV3Schema (422 naming each field).
  const causes = def.validate?.(obj);
  if (causes && causes.length > 0) throw schemaInvalid(def, obj, causes);
  const fields = MICRO_TIME_FIELDS[def.group ? `${def.group}/${def.plural}` : def.plural] ?? [];
  for (const field of fields) {
    const value = read(obj, field);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !MICRO_TIME.test(value)) {
      throw badRequest(
        `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${field}: ` +
          `parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05.000000Z07:00": ` +
          'a MicroTime needs exactly 6 fractional digits (use V1MicroTime, not Date)',
      );
    }
  }
}
