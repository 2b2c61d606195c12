/** Map a request path onto (resource, namespace, name, subresource), as the API server's URL scheme does. */
import type { ResourceDef, ResourceRegistry } from './resources.js';
import { ApiError } from './status.js';

export interface ResourceRoute {
  readonly def: ResourceDef;
  /** Set for namespaced paths; undefined for cluster-scoped types and all-namespaces collections. */
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

function splitPrefix(segments: string[]): { group: string; version: string; rest: string[] } | undefined {
  if (segments[0] === 'api' && segments.length >= 2) {
    return { group: '', version: segments[1], rest: segments.slice(2) };
  }
  if (segments[0] === 'apis' && segments.length >= 3) {
    return { group: segments[1], version: segments[2], rest: segments.slice(3) };
  }
  return undefined;
}

/** Undefined when the path is not under a resource (discovery and friends handle it). */
export function parseResourcePath(pathname: string, registry: ResourceRegistry): ResourceRoute | undefined {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const prefix = splitPrefix(segments);
  if (!prefix || prefix.rest.length === 0) return undefined;
  const { group, version, rest } = prefix;
  const lookup = (plural: string): ResourceDef => {
    const def = registry.lookup(group, version, plural);
    if (!def) {
      const gv = group ? `${group}/${version}` : version;
      throw new ApiError(
        404,
        'NotFound',
        `the server could not find the requested resource (${plural} ${gv})`,
      );
    }
    return def;
  };
  // namespaces/{ns}/{plural}[/{name}[/{sub}]] for namespaced types
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const candidate = registry.lookup(group, version, rest[2]);
    if (candidate?.namespaced) {
      return { def: candidate, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
  }
  const def = lookup(rest[0]);
  if (rest.length > 3)
    throw new ApiError(404, 'NotFound', `the server could not find the requested resource`);
  return { def, name: rest[1], subresource: rest[2] };
}
