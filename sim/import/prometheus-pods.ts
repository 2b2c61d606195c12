/**
 * Spark pods as kube-state-metrics describes them, assembled from the importer's answers window
 * by window: labels from /api/v1/series, times and requests from the instant queries. A pod seen
 * in several windows is merged (earliest first sighting, latest last sighting, and so on).
 */
import { APP_LABEL, ROLE_LABEL, type PodFact } from './prometheus-plan.js';
import type { InstantSample } from './prometheus-client.js';

export interface ContainerRequests {
  cpu?: number;
  memoryBytes?: number;
}

export interface SparkPod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  role: string;
  app?: string;
  queue?: string;
  /** Epoch ms, from kube_pod_created / kube_pod_start_time / kube_pod_completion_time. */
  created?: number;
  started?: number;
  completed?: number;
  /** Epoch ms of the first step at which the pod was Succeeded or Failed. */
  terminalPhase?: number;
  /** Epoch ms of the pod's first and last kube_pod_labels sample. */
  firstSeen?: number;
  lastSeen?: number;
  readonly containers: Map<string, ContainerRequests>;
  /** Requests in units the importer does not know (e.g. `cpu` in `millicore`), to report. */
  readonly unknownUnits: string[];
}

const CPU_UNITS = new Set(['core', '']);
const MEMORY_UNITS = new Set(['byte', '']);

export const podKey = (labels: Readonly<Record<string, string>>): string =>
  `${labels.namespace ?? ''}/${labels.pod ?? ''}/${labels.uid ?? ''}`;

export const podName = (pod: Pick<SparkPod, 'namespace' | 'name'>): string => `${pod.namespace}/${pod.name}`;

export class SparkPods {
  private readonly pods = new Map<string, SparkPod>();

  all(): SparkPod[] {
    return [...this.pods.values()];
  }

  get size(): number {
    return this.pods.size;
  }

  /** Adds the label sets of kube_pod_labels series; the first non-empty value of a label wins. */
  addLabels(series: readonly Readonly<Record<string, string>>[], queueLabel: string): void {
    for (const labels of series) {
      const key = podKey(labels);
      let pod = this.pods.get(key);
      if (!pod) {
        pod = {
          namespace: labels.namespace ?? '',
          name: labels.pod ?? '',
          uid: labels.uid ?? '',
          role: labels[ROLE_LABEL] ?? '',
          containers: new Map(),
          unknownUnits: [],
        };
        this.pods.set(key, pod);
      }
      pod.app ||= labels[APP_LABEL] || undefined;
      pod.queue ||= labels[queueLabel] || undefined;
    }
  }

  /** Folds one query's answer into the pods it names; answers for unknown pods are ignored. */
  addFact(fact: PodFact, samples: readonly InstantSample[]): void {
    for (const { labels, value } of samples) {
      const pod = this.pods.get(podKey(labels));
      if (!pod || !Number.isFinite(value)) continue;
      if (fact === 'requests') addRequest(pod, labels, value);
      else mergeTime(pod, fact, value * 1000);
    }
  }
}

function mergeTime(pod: SparkPod, fact: Exclude<PodFact, 'requests'>, ms: number): void {
  const earliest = fact === 'terminalPhase' || fact === 'firstSeen';
  const old = pod[fact];
  pod[fact] = old === undefined ? ms : earliest ? Math.min(old, ms) : Math.max(old, ms);
}

function addRequest(pod: SparkPod, labels: Readonly<Record<string, string>>, value: number): void {
  const container = labels.container ?? '';
  const unit = labels.unit ?? '';
  const requests = pod.containers.get(container) ?? {};
  pod.containers.set(container, requests);
  if (labels.resource === 'cpu' && CPU_UNITS.has(unit)) requests.cpu = Math.max(requests.cpu ?? 0, value);
  else if (labels.resource === 'memory' && MEMORY_UNITS.has(unit))
    requests.memoryBytes = Math.max(requests.memoryBytes ?? 0, value);
  else {
    const what = `${labels.resource ?? '?'} in ${JSON.stringify(unit)}`;
    if (!pod.unknownUnits.includes(what)) pod.unknownUnits.push(what);
  }
}

/** The pod's requests summed over its containers (what the scheduler reserves for it). */
export function podRequests(pod: SparkPod): { cpu?: number; memoryBytes?: number } {
  let cpu: number | undefined;
  let memoryBytes: number | undefined;
  for (const r of pod.containers.values()) {
    if (r.cpu !== undefined) cpu = (cpu ?? 0) + r.cpu;
    if (r.memoryBytes !== undefined) memoryBytes = (memoryBytes ?? 0) + r.memoryBytes;
  }
  return { cpu, memoryBytes };
}
