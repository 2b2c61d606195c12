/** Kubernetes objects for simulated nodes and Spark pods, shaped as a real cluster shows them. */
import type { NodeGroupConfig } from '../agent/config/types.js';
import type { NodeView, PodView } from '../agent/state/snapshot.js';
import { formatBytes } from '../agent/quantity.js';

export const DELETE_MACHINE_ANNOTATION = 'cluster.x-k8s.io/delete-machine';

/** RFC 3339 without fractional seconds, as metav1.Time serialises. */
export const kubeTime = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function nodeObject(node: NodeView, group: NodeGroupConfig, now: number, memory: string): object {
  const allocatable = { cpu: String(node.allocatable.cpu), memory, pods: String(node.allocatable.pods) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        ...group.nodeSelector,
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': `sim-${group.shape.cpu}x${formatBytes(group.shape.memoryBytes)}`,
      },
    },
    spec: { providerID: `sim://${node.name}` },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'simulated kubelet is ready',
          lastTransitionTime: kubeTime(now),
        },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.30.0-sim',
        osImage: 'nodecast simulator',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
    },
  };
}

export function podObject(pod: PodView, group: NodeGroupConfig | undefined): object {
  const role = pod.sparkRole ?? 'executor';
  const labels: Record<string, string> = { 'spark-role': role };
  if (pod.app) labels['spark-app-selector'] = pod.app;
  if (pod.queue) labels.queue = pod.queue;
  const requests = { cpu: String(pod.requests.cpu), memory: formatBytes(pod.requests.memoryBytes) };
  const scheduled = pod.nodeName !== null;
  const conditions = scheduled
    ? [{ type: 'PodScheduled', status: 'True', lastTransitionTime: kubeTime(pod.unschedulableSince ?? 0) }]
    : pod.unschedulableSince !== null
      ? [
          {
            type: 'PodScheduled',
            status: 'False',
            // YuniKorn's reason for a pod its queue quota holds back; the default scheduler's otherwise.
            reason: pod.quotaHeld ? 'SchedulingSkipped' : 'Unschedulable',
            message: pod.quotaHeld
              ? 'queue quota exceeded'
              : '0/0 nodes are available: insufficient cpu, memory',
            lastTransitionTime: kubeTime(pod.unschedulableSince),
          },
        ]
      : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      labels,
      annotations: pod.queue ? { 'yunikorn.apache.org/queue': `root.${pod.queue}` } : {},
    },
    spec: {
      schedulerName: 'yunikorn',
      nodeSelector: { ...(group?.nodeSelector ?? {}) },
      ...(scheduled ? { nodeName: pod.nodeName } : {}),
      containers: [
        {
          name: role === 'driver' ? 'spark-kubernetes-driver' : 'spark-kubernetes-executor',
          image: 'apache/spark:3.5.1',
          resources: { requests, limits: { memory: requests.memory } },
        },
      ],
    },
    status: {
      phase: pod.phase,
      conditions,
      ...(pod.phase === 'Running'
        ? {
            containerStatuses: [
              {
                name: containerName(role),
                ready: true,
                restartCount: 0,
                image: 'apache/spark:3.5.1',
                state: { running: {} },
              },
            ],
          }
        : {}),
    },
  };
}

const containerName = (role: string): string =>
  role === 'driver' ? 'spark-kubernetes-driver' : 'spark-kubernetes-executor';
