/**
 * The collector's Prometheus series: one node, so labels stay bounded (node, group; never pod
 * names; per-pod numbers go to /usage instead). The difference between the node and pods series is
 * the node's own overhead (kubelet, runtime, kernel).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NodeUsageReport } from '../usage/usage-report.js';

export class CollectorMetrics {
  readonly registry = new Registry();
  private readonly nodeCpu = this.gauge(
    'nodecast_collector_node_used_cpu_cores',
    'CPU the node uses (kubelet summary usageNanoCores).',
  );
  private readonly nodeMemory = this.gauge(
    'nodecast_collector_node_used_memory_bytes',
    'Memory working set of the node (kubelet summary workingSetBytes).',
  );
  private readonly podsCpu = this.gauge(
    'nodecast_collector_pods_used_cpu_cores',
    'CPU used by all pods of the node.',
  );
  private readonly podsMemory = this.gauge(
    'nodecast_collector_pods_used_memory_bytes',
    'Memory working set of all pods of the node.',
  );
  private readonly pods = this.gauge('nodecast_collector_pods', 'Pods of the node with usage stats.');
  private readonly skipped = this.gauge(
    'nodecast_collector_skipped_pods',
    'Pods of the node the kubelet had no cpu or memory stats for yet (just started).',
  );
  private readonly lastSuccess = this.gauge(
    'nodecast_collector_last_success_timestamp_seconds',
    'When the kubelet summary was last read successfully (Unix time).',
  );
  private readonly collections = new Counter({
    name: 'nodecast_collector_collections_total',
    help: 'Reads of the kubelet summary, by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'nodecast_collector_collect_duration_seconds',
    help: 'Time to read and parse the kubelet summary.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    this.collections.inc({ result: 'success' }, 0);
    this.collections.inc({ result: 'error' }, 0);
  }

  private gauge(name: string, help: string): Gauge<'node' | 'group'> {
    return new Gauge({ name, help, labelNames: ['node', 'group'] as const, registers: [this.registry] });
  }

  succeeded(report: NodeUsageReport, seconds: number): void {
    const labels = { node: report.node, group: report.group ?? '' };
    const sum = (key: 'cpu' | 'memoryBytes') => report.pods.reduce((s, p) => s + p[key], 0);
    const values: [Gauge<'node' | 'group'>, number][] = [
      [this.nodeCpu, report.usage.cpu],
      [this.nodeMemory, report.usage.memoryBytes],
      [this.podsCpu, sum('cpu')],
      [this.podsMemory, sum('memoryBytes')],
      [this.pods, report.pods.length],
      [this.skipped, report.skippedPods.length],
      [this.lastSuccess, report.collectedAt / 1000],
    ];
    // reset first: the group label can change once (resolved after start), leaving no old series.
    for (const [gauge, value] of values) {
      gauge.reset();
      gauge.set(labels, value);
    }
    this.collections.inc({ result: 'success' });
    this.duration.observe(seconds);
  }

  failed(seconds: number): void {
    this.collections.inc({ result: 'error' });
    this.duration.observe(seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
