/** The shipped manifests agree with the code: the ConfigMap's config loads, RBAC covers what we call. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../agent/config/load.js';

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
    expect(allowed('cluster.x-k8s.io', 'machinedeployments/scale', 'patch')).toBe(true);
    expect(allowed('cluster.x-k8s.io', 'machines', 'patch')).toBe(true);
    // Never delete pods or nodes: nodecast removes capacity through the provider only.
    expect(allowed('', 'pods', 'delete')).toBe(false);
    expect(allowed('', 'nodes', 'delete')).toBe(false);
  });
});
