/**
 * The resource types the test API server serves: what discovery advertises and how URLs map to
 * stores. One table, so adding a type is one entry.
 */

export type Subresource = 'status' | 'scale';

/** One field a custom resource's schema refuses (a metav1.StatusCause). */
export interface FieldCause {
  readonly reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported';
  readonly field: string;
  readonly message: string;
}

/** A CRD's additionalPrinterColumns entry (`kubectl get` columns). */
export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
}

export interface ResourceDef {
  /** '' for the core (legacy /api/v1) group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories?: readonly string[];
  readonly subresources: readonly Subresource[];
  /** Custom resources: problems by field under the CRD's schema, or undefined when valid. */
  readonly validate?: (obj: import('./selectors.js').KubeObject) => FieldCause[] | undefined;
  /** Custom resources: the CRD's additionalPrinterColumns. */
  readonly printerColumns?: readonly PrinterColumn[];
}

export const ALL_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] as const;

function def(
  group: string,
  version: string,
  kind: string,
  plural: string,
  opts: {
    namespaced?: boolean;
    shortNames?: string[];
    subresources?: Subresource[];
    categories?: string[];
  } = {},
): ResourceDef {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    subresources: opts.subresources ?? [],
    categories: opts.categories,
  };
}

const CORE: ResourceDef[] = [
  def('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status'],
  }),
  def('', 'v1', 'Node', 'nodes', { namespaced: false, shortNames: ['no'], subresources: ['status'] }),
  def('', 'v1', 'Pod', 'pods', { shortNames: ['po'], subresources: ['status'], categories: ['all'] }),
  def('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  def('', 'v1', 'Service', 'services', {
    shortNames: ['svc'],
    subresources: ['status'],
    categories: ['all'],
  }),
  def('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  def('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
];

const APPS: ResourceDef[] = [
  def('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    subresources: ['status', 'scale'],
    categories: ['all'],
  }),
];

const RBAC: ResourceDef[] = [
  def('rbac.authorization.k8s.io', 'v1', 'Role', 'roles'),
  def('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'),
  def('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', { namespaced: false }),
  def('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', { namespaced: false }),
];

const COORDINATION: ResourceDef[] = [def('coordination.k8s.io', 'v1', 'Lease', 'leases')];

/** What nodecast's deploy/ manifests use besides the above, so `kubectl apply` can check them. */
const DEPLOYMENT_KINDS: ResourceDef[] = [
  def('apps', 'v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    subresources: ['status'],
    categories: ['all'],
  }),
  def('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', {
    shortNames: ['pdb'],
    subresources: ['status'],
  }),
  def('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', { shortNames: ['netpol'] }),
  def('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', {
    namespaced: false,
    shortNames: ['pc'],
  }),
  // prometheus-operator's CRDs, as on a cluster that runs it.
  def('monitoring.coreos.com', 'v1', 'ServiceMonitor', 'servicemonitors', { shortNames: ['smon'] }),
  def('monitoring.coreos.com', 'v1', 'PrometheusRule', 'prometheusrules', { shortNames: ['promrule'] }),
];

const APIEXTENSIONS: ResourceDef[] = [
  def('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', {
    namespaced: false,
    shortNames: ['crd', 'crds'],
    subresources: ['status'],
  }),
];

const EVENTS_V1: ResourceDef[] = [def('events.k8s.io', 'v1', 'Event', 'events', { shortNames: ['ev'] })];

const CLUSTER_API: ResourceDef[] = [
  def('cluster.x-k8s.io', 'v1beta1', 'MachineDeployment', 'machinedeployments', {
    shortNames: ['md'],
    subresources: ['status', 'scale'],
    categories: ['cluster-api'],
  }),
  def('cluster.x-k8s.io', 'v1beta1', 'MachineSet', 'machinesets', {
    shortNames: ['ms'],
    subresources: ['status', 'scale'],
    categories: ['cluster-api'],
  }),
  def('cluster.x-k8s.io', 'v1beta1', 'Machine', 'machines', {
    shortNames: ['ma'],
    subresources: ['status'],
    categories: ['cluster-api'],
  }),
];

const SPARK: ResourceDef[] = [
  def('sparkoperator.k8s.io', 'v1beta2', 'SparkApplication', 'sparkapplications', {
    shortNames: ['sparkapp'],
    subresources: ['status'],
  }),
  def('sparkoperator.k8s.io', 'v1beta2', 'ScheduledSparkApplication', 'scheduledsparkapplications', {
    shortNames: ['scheduledsparkapp'],
    subresources: ['status'],
  }),
];

export interface ResourceSetOptions {
  /** Serve sparkoperator.k8s.io (default true): false models a cluster without the Spark CRDs. */
  readonly sparkCrds?: boolean;
  /** Serve cluster.x-k8s.io (default true). */
  readonly clusterApi?: boolean;
}

/** API groups a cluster may or may not have installed (CRDs). */
export const OPTIONAL_GROUPS = {
  'sparkoperator.k8s.io': SPARK,
  'cluster.x-k8s.io': CLUSTER_API,
} as const satisfies Record<string, ResourceDef[]>;

export type OptionalGroup = keyof typeof OPTIONAL_GROUPS;

export function resourceSet(opts: ResourceSetOptions = {}): ResourceDef[] {
  return [
    ...CORE,
    ...APPS,
    ...RBAC,
    ...COORDINATION,
    ...DEPLOYMENT_KINDS,
    ...EVENTS_V1,
    ...APIEXTENSIONS,
    ...(opts.clusterApi === false ? [] : CLUSTER_API),
    ...(opts.sparkCrds === false ? [] : SPARK),
  ];
}

/** "apps/v1" or "v1" for the core group. */
export function apiVersionOf(def: ResourceDef): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}

/** Store key of a resource type: "pods", "apps/deployments". */
export function resourceKey(def: ResourceDef): string {
  return def.group === '' ? def.plural : `${def.group}/${def.plural}`;
}

/** Index for lookups by (group, version, plural) and by the names people type (kind, short names). */
export class ResourceRegistry {
  private readonly byPath = new Map<string, ResourceDef>();
  private defs: ResourceDef[] = [];

  constructor(defs: readonly ResourceDef[]) {
    this.add(defs);
  }

  get all(): readonly ResourceDef[] {
    return this.defs;
  }

  /** Serve more types from now on (a CRD being installed); already-known ones are ignored. */
  add(defs: readonly ResourceDef[]): void {
    for (const d of defs) {
      const key = `${d.group}/${d.version}/${d.plural}`;
      if (this.byPath.has(key)) continue;
      this.byPath.set(key, d);
      this.defs.push(d);
    }
  }

  lookup(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /**
   * Resolve a name the way a test writes it: "pods", "pod", "po", "Pod", "deployments.apps",
   * "machinedeployments.cluster.x-k8s.io", "apps/deployments".
   */
  resolve(name: string): ResourceDef {
    const [head, ...rest] = name.includes('/') ? name.split('/').reverse() : name.split('.');
    const group = name.includes('/') ? name.split('/').slice(0, -1).join('/') : rest.join('.');
    const lower = head.toLowerCase();
    const matches = this.all.filter(
      (d) =>
        (group === '' || d.group === group) &&
        (d.plural === lower || d.singular === lower || d.shortNames.includes(lower)),
    );
    // Prefer the core group when a name is ambiguous ("events" is in core and events.k8s.io).
    const found = matches.find((d) => d.group === '') ?? matches[0];
    if (!found) throw new Error(`kube-api: unknown resource "${name}"`);
    return found;
  }

  groups(): Map<string, ResourceDef[]> {
    const out = new Map<string, ResourceDef[]>();
    for (const d of this.all) {
      const key = apiVersionOf(d);
      out.set(key, [...(out.get(key) ?? []), d]);
    }
    return out;
  }
}
