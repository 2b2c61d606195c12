/** The shipped manifests agree with the code: the ConfigMap's config loads, RBAC covers what we call. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../agent/config/load.js';
import { OVERRIDE_GROUP, OVERRIDE_PLURAL, OVERRIDE_VERSION } from '../../agent/overrides/override-object.js';
import { OVERRIDE_KINDS, OVERRIDE_LIMITS } from '../../agent/store/override-model.js';

const deploy = (file: string) => readFileSync(join(import.meta.dirname, '..', '..', 'deploy', file), 'utf8');

describe('deploy/', () => {
  it('the ConfigMap holds a valid configuration with leader election and Prometheus history', () => {
    const cm = parse(deploy('configmap.yaml')) as { data: Record<string, string> };
    const config = loadConfig({ yamlText: cm.data['config.yaml'], env: {} });
    expect(config.leaderElection.enabled).toBe(true);
    expect(config.history.source).toBe('prometheus');
    expect(config.nodeGroups.find((g) => g.role === 'executor')?.provider.kind).toBe('clusterapi');
  });

  it('runs two replicas as a non-root user with a read-only root filesystem', () => {
    const d = parse(deploy('deployment.yaml')) as {
      spec: {
        replicas: number;
        template: {
          spec: {
            securityContext: { runAsNonRoot: boolean };
            containers: { securityContext: { readOnlyRootFilesystem: boolean } }[];
          };
        };
      };
    };
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(d.spec.template.spec.containers[0]!.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it('RBAC grants exactly the verbs the agent uses, and no wildcard', () => {
    type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
    const rules = parseAllDocuments(deploy('rbac.yaml')).flatMap(
      (d) => (d.toJS() as { rules?: Rule[] }).rules ?? [],
    );
    const allowed = (group: string, resource: string, verb: string) =>
      rules.some(
        (r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb),
      );
    for (const r of rules) {
      expect(r.verbs).not.toContain('*');
      expect(r.resources).not.toContain('*');
    }
    expect(allowed('', 'pods', 'watch')).toBe(true);
    expect(allowed('', 'nodes', 'list')).toBe(true);
    expect(allowed('', 'events', 'create')).toBe(true);
    expect(allowed('coordination.k8s.io', 'leases', 'update')).toBe(true);
    expect(allowed('nodecast.io', 'forecastoverrides', 'watch')).toBe(true);
    expect(allowed('nodecast.io', 'forecastoverrides', 'create')).toBe(true);
    expect(allowed('nodecast.io', 'forecastoverrides/status', 'update')).toBe(true);
    // The API soft-deletes (an update); only people delete ForecastOverride objects outright.
    expect(allowed('nodecast.io', 'forecastoverrides', 'delete')).toBe(false);
    // Never delete pods or nodes: nodecast removes capacity through the provider only.
    expect(allowed('', 'pods', 'delete')).toBe(false);
    expect(allowed('', 'nodes', 'delete')).toBe(false);
  });

  it('grants Cluster API scale rights only in the namespace where the MachineDeployments live', () => {
    type Doc = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[] };
    type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
    const docs = parseAllDocuments(deploy('rbac.yaml')).map((d) => d.toJS() as Doc);
    const capiRules = (d: Doc) => (d.rules ?? []).filter((r) => r.apiGroups.includes('cluster.x-k8s.io'));
    expect(docs.filter((d) => d.kind === 'ClusterRole').flatMap(capiRules)).toEqual([]);
    const cm = parse(deploy('configmap.yaml')) as { data: Record<string, string> };
    const config = loadConfig({ yamlText: cm.data['config.yaml'], env: {} });
    const namespaces = new Set(
      config.nodeGroups.filter((g) => g.provider.kind === 'clusterapi').map((g) => g.provider.namespace),
    );
    for (const ns of namespaces) {
      const role = docs.find((d) => d.kind === 'Role' && d.metadata.namespace === ns);
      expect(role, `a Role in ${ns}`).toBeDefined();
      expect(
        capiRules(role!).some(
          (r) => r.resources.includes('machinedeployments/scale') && r.verbs.includes('patch'),
        ),
      ).toBe(true);
      expect(docs.some((d) => d.kind === 'RoleBinding' && d.metadata.namespace === ns)).toBe(true);
    }
    expect(config.overrides?.store).toBe('kubernetes');
  });

  it('the ForecastOverride CRD agrees with the override limits the API enforces', () => {
    const crd = parse(deploy('forecastoverride-crd.yaml')) as {
      metadata: { name: string };
      spec: {
        group: string;
        names: { plural: string; kind: string };
        versions: {
          name: string;
          additionalPrinterColumns: { name: string; jsonPath: string }[];
          schema: {
            openAPIV3Schema: {
              properties: {
                spec: { required: string[]; properties: Record<string, Record<string, unknown>> };
              };
            };
          };
        }[];
      };
    };
    expect(crd.metadata.name).toBe(`${OVERRIDE_PLURAL}.${OVERRIDE_GROUP}`);
    const version = crd.spec.versions.find((v) => v.name === OVERRIDE_VERSION)!;
    const spec = version.schema.openAPIV3Schema.properties.spec;
    expect(spec.properties.kind!.enum).toEqual([...OVERRIDE_KINDS]);
    expect(spec.properties.value!.maximum).toBe(OVERRIDE_LIMITS.maxValue);
    expect(spec.properties.durationSeconds).toMatchObject({
      minimum: OVERRIDE_LIMITS.minDurationSeconds,
      maximum: OVERRIDE_LIMITS.maxDurationSeconds,
    });
    expect(spec.properties.reason!.maxLength).toBe(OVERRIDE_LIMITS.maxReasonLength);
    expect(spec.properties.cron!.maxLength).toBe(OVERRIDE_LIMITS.maxCronLength);
    expect(spec.required).toEqual(['group', 'kind', 'reason']);
    expect(version.additionalPrinterColumns.map((c) => c.name).slice(0, 3)).toEqual([
      'Group',
      'Kind',
      'Value',
    ]);
  });

  it('editors and viewers of ForecastOverrides aggregate into edit and view', () => {
    type Doc = {
      metadata: { name: string; labels: Record<string, string> };
      rules: { resources: string[]; verbs: string[] }[];
    };
    const [editor, viewer] = parseAllDocuments(deploy('forecastoverride-rbac.yaml')).map(
      (d) => d.toJS() as Doc,
    );
    expect(editor!.metadata.labels['rbac.authorization.k8s.io/aggregate-to-edit']).toBe('true');
    expect(viewer!.metadata.labels['rbac.authorization.k8s.io/aggregate-to-view']).toBe('true');
    expect(editor!.rules[0]!.verbs).toContain('delete');
    // Nobody but the agent writes the audit trail.
    expect(editor!.rules.find((r) => r.resources.includes('forecastoverrides/status'))!.verbs).toEqual([
      'get',
    ]);
    expect(viewer!.rules.flatMap((r) => r.verbs).every((v) => ['get', 'list', 'watch'].includes(v))).toBe(
      true,
    );
  });

  it('the NetworkPolicy admits only Prometheus and labelled API clients, on the API port', () => {
    const np = parse(deploy('networkpolicy.yaml')) as {
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        ingress: { from: Record<string, unknown>[]; ports: { port: number }[] }[];
      };
    };
    const d = parse(deploy('deployment.yaml')) as {
      spec: {
        template: {
          metadata: { labels: Record<string, string> };
          spec: { containers: { ports: { containerPort: number }[] }[] };
        };
      };
    };
    expect(d.spec.template.metadata.labels).toMatchObject(np.spec.podSelector.matchLabels);
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    const port = d.spec.template.spec.containers[0]!.ports[0]!.containerPort;
    for (const rule of np.spec.ingress) {
      expect(rule.ports.map((p) => p.port)).toEqual([port]);
      // Every source is selected: an empty `from` would admit everyone.
      expect(rule.from.length).toBeGreaterThan(0);
      for (const f of rule.from) expect(Object.keys(f).length).toBeGreaterThan(0);
    }
  });
});
