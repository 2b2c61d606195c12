/**
 * Legacy (unaggregated) discovery: /version, /api, /api/v1, /apis, /apis/<group>[/<version>].
 * Aggregated discovery requests (Accept: ...;as=APIGroupDiscoveryList) get these plain documents
 * with Content-Type application/json, which client-go (kubectl) takes as "not aggregated" and
 * falls back to per-group discovery.
 */
import { ALL_VERBS, apiVersionOf, type ResourceDef, type ResourceRegistry } from './resources.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-nodecast-test',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function resourceEntries(def: ResourceDef): object[] {
  const main = {
    name: def.plural,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: [...ALL_VERBS, 'deletecollection'],
    ...(def.shortNames.length ? { shortNames: def.shortNames } : {}),
    ...(def.categories ? { categories: def.categories } : {}),
  };
  const subs = def.subresources.map((sub) =>
    sub === 'scale'
      ? {
          name: `${def.plural}/scale`,
          singularName: '',
          namespaced: def.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        }
      : {
          name: `${def.plural}/status`,
          singularName: '',
          namespaced: def.namespaced,
          kind: def.kind,
          verbs: ['get', 'patch', 'update'],
        },
  );
  return [main, ...subs];
}

function groupVersions(registry: ResourceRegistry): Map<string, { group: string; versions: string[] }> {
  const out = new Map<string, { group: string; versions: string[] }>();
  for (const def of registry.all) {
    if (def.group === '') continue;
    const entry = out.get(def.group) ?? { group: def.group, versions: [] };
    if (!entry.versions.includes(def.version)) entry.versions.push(def.version);
    out.set(def.group, entry);
  }
  return out;
}

function apiGroup(group: string, versions: string[]): object {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

/** The discovery document for a path, or undefined when the path is not a discovery path. */
export function discoveryDocument(
  pathname: string,
  registry: ResourceRegistry,
  host: string,
): object | undefined {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/version') return SERVER_VERSION;
  if (path === '/api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
    };
  }
  const groups = groupVersions(registry);
  if (path === '/apis') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups.values()].map((g) => apiGroup(g.group, g.versions)),
    };
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)(?:\/([^/]+))?)$/.exec(path);
  if (!m) return undefined;
  const [, coreVersion, group, version] = m;
  if (group !== undefined && version === undefined) {
    const g = groups.get(group);
    return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.group, g.versions) } : undefined;
  }
  const groupVersion = coreVersion ?? `${group}/${version}`;
  const defs = registry.all.filter((d) => apiVersionOf(d) === groupVersion);
  if (defs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: defs.flatMap(resourceEntries),
  };
}
