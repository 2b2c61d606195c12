/**
 * Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for with `as=Table`.
 * Columns follow the real server's printers for nodes, pods and deployments; every other type
 * gets NAME and AGE, like a CRD without additionalPrinterColumns.
 */
import type { ResourceDef } from './resources.js';
import { readField, type KubeObject } from './selectors.js';

interface Column {
  name: string;
  type: 'string' | 'integer';
  format?: string;
  priority?: number;
  cell: (obj: KubeObject, now: number) => string | number;
}

/** Go's duration.HumanDuration, which kubectl's AGE column uses. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (y < 8 && d % 365 !== 0) return `${y}y${d % 365}d`;
  return `${y}y`;
}

const nameCol: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata?.name ?? '' };
const ageCol: Column = {
  name: 'Age',
  type: 'string',
  cell: (o, now) => {
    const created = Date.parse(String(o.metadata?.creationTimestamp ?? ''));
    return Number.isNaN(created) ? '<unknown>' : humanDuration(now - created);
  },
};

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function podReady(o: KubeObject): string {
  const containers = arr((o.spec as Obj | undefined)?.containers);
  const statuses = arr((o.status as Obj | undefined)?.containerStatuses);
  return `${statuses.filter((s) => s.ready === true).length}/${containers.length}`;
}

function podStatus(o: KubeObject): string {
  if ((o.metadata as Obj | undefined)?.deletionTimestamp) return 'Terminating';
  const status = (o.status ?? {}) as Obj;
  if (typeof status.reason === 'string') return status.reason;
  for (const cs of arr(status.containerStatuses)) {
    const waiting = (cs.state as Obj | undefined)?.waiting as Obj | undefined;
    if (waiting && typeof waiting.reason === 'string') return waiting.reason;
  }
  return String(status.phase ?? 'Unknown');
}

function podRestarts(o: KubeObject): number {
  return arr((o.status as Obj | undefined)?.containerStatuses).reduce(
    (n, cs) => n + (typeof cs.restartCount === 'number' ? cs.restartCount : 0),
    0,
  );
}

function nodeStatus(o: KubeObject): string {
  const ready = arr((o.status as Obj | undefined)?.conditions).find((c) => c.type === 'Ready');
  const base = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  return (o.spec as Obj | undefined)?.unschedulable === true ? `${base},SchedulingDisabled` : base;
}

function nodeRoles(o: KubeObject): string {
  const roles = Object.keys(o.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : '<none>';
}

const field = (name: string, path: string, priority = 0): Column => ({
  name,
  type: 'string',
  priority,
  cell: (o) => readField(o, path) || '<none>',
});
const count = (name: string, path: string): Column => ({
  name,
  type: 'integer',
  cell: (o) => Number(readField(o, path) || 0),
});

const COLUMNS: Record<string, Column[]> = {
  pods: [
    nameCol,
    { name: 'Ready', type: 'string', cell: podReady },
    { name: 'Status', type: 'string', cell: podStatus },
    { name: 'Restarts', type: 'integer', cell: podRestarts },
    ageCol,
    field('IP', 'status.podIP', 1),
    field('Node', 'spec.nodeName', 1),
  ],
  nodes: [
    nameCol,
    { name: 'Status', type: 'string', cell: nodeStatus },
    { name: 'Roles', type: 'string', cell: nodeRoles },
    ageCol,
    field('Version', 'status.nodeInfo.kubeletVersion'),
  ],
  'apps/deployments': [
    nameCol,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) =>
        `${Number(readField(o, 'status.readyReplicas') || 0)}/${Number(readField(o, 'spec.replicas') || 0)}`,
    },
    count('Up-to-date', 'status.updatedReplicas'),
    count('Available', 'status.availableReplicas'),
    ageCol,
  ],
  'cluster.x-k8s.io/machinedeployments': [
    nameCol,
    field('Cluster', 'spec.clusterName'),
    count('Replicas', 'spec.replicas'),
    count('Ready', 'status.readyReplicas'),
    field('Phase', 'status.phase'),
    ageCol,
  ],
};

/** A CRD's printer column: `.spec.group` style jsonPath; `date` columns print as an age. */
function printerColumn(c: { name: string; type: string; jsonPath: string }): Column {
  const path = c.jsonPath.replace(/^\./, '');
  if (c.type === 'date') {
    return {
      name: c.name,
      type: 'string',
      format: 'date',
      cell: (o, now) => {
        const t = Date.parse(String(readField(o, path) ?? ''));
        return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
      },
    };
  }
  return {
    name: c.name,
    type: c.type === 'integer' ? 'integer' : 'string',
    cell: (o) => {
      const v = readField(o, path);
      return v !== '' && c.type === 'integer' ? Number(v) : v;
    },
  };
}

function columnsFor(def: ResourceDef): Column[] {
  if (def.printerColumns) return [nameCol, ...def.printerColumns.map(printerColumn)];
  return COLUMNS[def.group ? `${def.group}/${def.plural}` : def.plural] ?? [nameCol, ageCol];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(
  def: ResourceDef,
  objects: KubeObject[],
  opts: { now: number; resourceVersion?: string; includeObject: IncludeObject },
): KubeObject {
  const columns = columnsFor(def);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {},
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.name,
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, opts.now)),
      object: rowObject(o, opts.includeObject),
    })),
  };
}
