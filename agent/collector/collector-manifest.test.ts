/**
 * deploy/collector-daemonset.yaml against the code it deploys: the label and port the agent's
 * discovery looks for, flags the collector accepts, least-privilege RBAC and a locked-down pod.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseCollectFlags } from './collect-flags.js';
import { COLLECTOR_LABEL_SELECTOR } from '../usage/collector-source.js';

type Doc = { kind: string; metadata: { name: string }; [k: string]: unknown } & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const docs = parseAllDocuments(
  readFileSync(new URL('../../deploy/collector-daemonset.yaml', import.meta.url), 'utf8'),
).map((d) => {
  if (d.errors.length) throw new Error(`collector-daemonset.yaml: ${d.errors[0]!.message}`);
  return d.toJS() as Doc;
});
const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name)!;
const ds = find('DaemonSet', 'nodecast-collector');
const pod = ds.spec.template.spec;
const container = pod.containers[0];

describe('collector DaemonSet manifest', () => {
  it('labels pods the way the agent discovers them and names the port "http"', () => {
    const [key, value] = COLLECTOR_LABEL_SELECTOR.split('=');
    expect(ds.spec.template.metadata.labels[key!]).toBe(value);
    expect(ds.spec.selector.matchLabels[key!]).toBe(value);
    expect(container.ports).toContainEqual({ name: 'http', containerPort: 9102 });
  });

  it('passes flags the collector accepts, reading its own kubelet directly', () => {
    const [command, ...args] = container.args as string[];
    expect(command).toBe('collect');
    const flags = parseCollectFlags(
      args.map((a) => a.replace('$(HOST_IP)', '10.0.0.7')),
      { NODE_NAME: 'n1' },
    );
    expect(flags).not.toBe('help');
    expect(flags).toMatchObject({ kubeletUrl: 'https://10.0.0.7:10250', port: 9102 });
    const env = Object.fromEntries(
      container.env.map((e: { name: string; valueFrom: { fieldRef: { fieldPath: string } } }) => [
        e.name,
        e.valueFrom.fieldRef.fieldPath,
      ]),
    );
    expect(env).toEqual({ NODE_NAME: 'spec.nodeName', HOST_IP: 'status.hostIP' });
  });

  it('runs as non-root on a read-only root filesystem without host networking', () => {
    expect(pod.hostNetwork).toBe(false);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('grants the collector only nodes/stats and nodes get; nodes/proxy exists but is not bound', () => {
    expect(find('ClusterRole', 'nodecast-collector').rules).toEqual([
      { apiGroups: [''], resources: ['nodes/stats'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
    ]);
    const bindings = docs.filter((d) => d.kind === 'ClusterRoleBinding');
    expect(bindings.map((b) => b.roleRef.name)).not.toContain('nodecast-collector-proxy');
    expect(find('ClusterRoleBinding', 'nodecast-collector').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'nodecast-collector', namespace: 'nodecast' },
    ]);
  });

  it('lands on the Spark node groups', () => {
    const terms = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms[0].matchExpressions[0]).toMatchObject({ key: 'nodecast.io/node-group', operator: 'In' });
    expect(terms[0].matchExpressions[0].values.sort()).toEqual(['spark-driver', 'spark-executor']);
  });
});
