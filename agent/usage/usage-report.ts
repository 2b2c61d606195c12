/**
 * The collector's `/usage` document: what one node and each of its pods use right now. Written by
 * the collector (toUsageReportJson), read by the agent's collector source (parseUsageReport),
 * which attributes pods to queues through its cluster snapshot. Pod names appear here, never in
 * metric labels.
 *
 *   { "apiVersion": "nodecast.io/v1alpha1", "kind": "NodeUsage",
 *     "node": "ip-10-0-12-34.ec2.internal", "group": "spark-executor" | null,
 *     "collectedAt": "2024-05-14T09:30:12.000Z",
 *     "usage": { "cpu": 6.69, "memoryBytes": 28907812864 },
 *     "pods": [ { "namespace": "spark-etl", "name": "...-exec-1", "cpu": 3.12, "memoryBytes": 12025908428 } ],
 *     "skippedPods": [ { "pod": "spark-adhoc/...-exec-4", "reason": "pods[3].cpu.usageNanoCores is missing" } ] }
 */
import { FieldReader } from './fields.js';
import type { SkippedPod } from '../collector/summary.js';
import type { PodUsageSample, Usage } from './types.js';

export const USAGE_API_VERSION = 'nodecast.io/v1alpha1';
export const USAGE_KIND = 'NodeUsage';

export interface NodeUsageReport {
  readonly node: string;
  /** The node group the collector resolved for its node; null when none matched. */
  readonly group: string | null;
  /** Epoch ms when the kubelet summary was read. */
  readonly collectedAt: number;
  readonly usage: Usage;
  readonly pods: readonly PodUsageSample[];
  readonly skippedPods: readonly SkippedPod[];
}

export function toUsageReportJson(report: NodeUsageReport): object {
  return {
    apiVersion: USAGE_API_VERSION,
    kind: USAGE_KIND,
    node: report.node,
    group: report.group,
    collectedAt: new Date(report.collectedAt).toISOString(),
    usage: { cpu: report.usage.cpu, memoryBytes: report.usage.memoryBytes },
    pods: report.pods.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      cpu: p.cpu,
      memoryBytes: p.memoryBytes,
    })),
    skippedPods: report.skippedPods,
  };
}

/** Throws UsageFieldError naming the field when `json` is not a NodeUsage document. */
export function parseUsageReport(json: unknown, document = 'collector /usage'): NodeUsageReport {
  const r = new FieldReader(document);
  const root = r.object(json, '(root)');
  if (root.kind !== USAGE_KIND) r.fail('kind', `must be "${USAGE_KIND}", got ${JSON.stringify(root.kind)}`);
  const collectedAt = Date.parse(r.string(root.collectedAt, 'collectedAt'));
  if (Number.isNaN(collectedAt)) r.fail('collectedAt', 'must be an RFC 3339 time');
  const group = root.group === null || root.group === undefined ? null : r.string(root.group, 'group');
  const usage = r.object(root.usage, 'usage');
  const pods = r.array(root.pods, 'pods').map((raw, i) => {
    const p = r.object(raw, `pods[${i}]`);
    return {
      namespace: r.string(p.namespace, `pods[${i}].namespace`),
      name: r.string(p.name, `pods[${i}].name`),
      cpu: r.amount(p.cpu, `pods[${i}].cpu`),
      memoryBytes: r.amount(p.memoryBytes, `pods[${i}].memoryBytes`),
    };
  });
  const skipped = root.skippedPods === undefined ? [] : r.array(root.skippedPods, 'skippedPods');
  return {
    node: r.string(root.node, 'node'),
    group,
    collectedAt,
    usage: {
      cpu: r.amount(usage.cpu, 'usage.cpu'),
      memoryBytes: r.amount(usage.memoryBytes, 'usage.memoryBytes'),
    },
    pods,
    skippedPods: skipped.map((raw, i) => {
      const s = r.object(raw, `skippedPods[${i}]`);
      return {
        pod: r.string(s.pod, `skippedPods[${i}].pod`),
        reason: r.string(s.reason, `skippedPods[${i}].reason`),
      };
    }),
  };
}
