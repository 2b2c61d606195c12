/**
 * Parses the kubelet Summary API (`GET /stats/summary`, k8s.io/kubelet/pkg/apis/stats/v1alpha1)
 * into what nodecast needs: the node's cpu (usageNanoCores) and memory (workingSetBytes), and the
 * same per pod (podRef name and namespace).
 *
 * Structure errors (no node, no pods list, a pod without podRef) throw a UsageFieldError naming the
 * field. A pod without cpu or memory stats is skipped and listed with the missing field instead:
 * the kubelet leaves them out for pods that just started (a rate needs two samples), and one new
 * pod must not blank out the whole node.
 */
import { FieldReader, UsageFieldError } from '../usage/fields.js';
import type { PodUsageSample, Usage } from '../usage/types.js';

export interface SkippedPod {
  /** namespace/name */
  readonly pod: string;
  /** The missing or malformed field, e.g. "pods[4].cpu.usageNanoCores is missing". */
  readonly reason: string;
}

export interface KubeletSummary {
  readonly node: string;
  readonly usage: Usage;
  readonly pods: readonly PodUsageSample[];
  readonly skippedPods: readonly SkippedPod[];
}

const NANO = 1e-9;

function cpuAndMemory(r: FieldReader, stats: Record<string, unknown>, at: string): Usage {
  const cpu = r.object(stats.cpu, `${at}.cpu`);
  const memory = r.object(stats.memory, `${at}.memory`);
  return {
    cpu: r.amount(cpu.usageNanoCores, `${at}.cpu.usageNanoCores`) * NANO,
    memoryBytes: r.amount(memory.workingSetBytes, `${at}.memory.workingSetBytes`),
  };
}

export function parseKubeletSummary(json: unknown, document = 'kubelet summary'): KubeletSummary {
  const r = new FieldReader(document);
  const root = r.object(json, '(root)');
  const node = r.object(root.node, 'node');
  const nodeName = r.string(node.nodeName, 'node.nodeName');
  const usage = cpuAndMemory(r, node, 'node');
  const pods: PodUsageSample[] = [];
  const skippedPods: SkippedPod[] = [];
  r.array(root.pods, 'pods').forEach((raw, i) => {
    const at = `pods[${i}]`;
    const pod = r.object(raw, at);
    const ref = r.object(pod.podRef, `${at}.podRef`);
    const name = r.string(ref.name, `${at}.podRef.name`);
    const namespace = r.string(ref.namespace, `${at}.podRef.namespace`);
    try {
      pods.push({ namespace, name, ...cpuAndMemory(r, pod, at) });
    } catch (err) {
      if (!(err instanceof UsageFieldError)) throw err;
      skippedPods.push({ pod: `${namespace}/${name}`, reason: `${err.field} ${err.problem}` });
    }
  });
  return { node: nodeName, usage, pods, skippedPods };
}
