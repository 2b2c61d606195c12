/**
 * The discrete-event engine: a virtual clock, an event queue, and the cluster, scheduler and
 * Spark app models wired together. A policy ticks on its timer (and after new unschedulable
 * pods, debounced) and acts through the sim Provider; nodecast's policies are the agent's own
 * ControlLoop and Actuator (policies/loop-policy.ts).
 */
import type { Config } from '../agent/config/types.js';
import type { ClusterSnapshot } from '../agent/state/snapshot.js';
import { Cluster } from './cluster.js';
import { DEFAULT_PROVISIONING, sampler, type DelayDistribution } from './distributions.js';
import { EventQueue } from './event-queue.js';
import type { SimEvent } from './events.js';
import { unfittableReason } from './fit-check.js';
import { Metrics } from './metrics.js';
import type { SimPod } from './model.js';
import type { SimHandle, SimPolicy } from './policies/policy.js';
import { QueueResolver } from './queues.js';
import { buildReport, type SimReport } from './report.js';
import { hash32, Random } from './rng.js';
import { Scheduler } from './scheduler.js';
import { SimProvider, type SimCluster } from './sim-provider.js';
import { SnapshotBuilder } from './snapshot-builder.js';
import { SparkApps } from './spark-apps.js';
import type { TimelineRecorder } from './timeline.js';
import type { TraceJob } from './trace-types.js';
import { usageView, type SimUsage, type UsageView } from './usage.js';

export interface SimulationOptions {
  readonly config: Config;
  /** Seeds node provisioning delays and per-app resource usage (default 1). */
  readonly seed?: number;
  readonly provisioning?: DelayDistribution;
  /** spark.kubernetes.allocation.batch.size (default 5). */
  readonly executorBatchSize?: number;
  /** spark.kubernetes.allocation.batch.delay in seconds (default 1). */
  readonly executorBatchDelaySeconds?: number;
  /** How long after the last submission unfinished jobs may still run (default 2 days). */
  readonly drainSeconds?: number;
  /** Epoch ms the simulation starts; default: the first submission, floored to the hour. */
  readonly start?: number;
  /** Called now and then with the share of the trace simulated so far (0..1). */
  readonly onProgress?: (fraction: number) => void;
  /** Samples the run over time for the HTML report. */
  readonly timeline?: TimelineRecorder;
}

const HOUR_MS = 3_600_000;

/** Where a run over `jobs` starts: `start` when given, else the first submission floored to the hour. */
export function simulationStart(jobs: readonly TraceJob[], start?: number): number {
  if (start !== undefined) return start;
  const first = jobs.reduce((min, j) => Math.min(min, j.submitTime), Infinity);
  return Number.isFinite(first) ? Math.floor(first / HOUR_MS) * HOUR_MS : 0;
}

export class Simulation implements SimCluster, SimHandle {
  readonly start: number;
  now: number;
  readonly metrics = new Metrics();
  readonly cluster: Cluster;
  readonly provider: SimProvider;
  private readonly events = new EventQueue<SimEvent>();
  private readonly builder = new SnapshotBuilder();
  private readonly scheduler: Scheduler;
  private readonly apps: SparkApps;
  private readonly queues: QueueResolver;
  private readonly livePods = new Map<string, SimPod>();
  private readonly seed: number;
  private readonly lastSubmit: number;
  /** Jobs still running this long after the last submission are reported unfinished. */
  private readonly horizon: number;
  private initialized = false;
  private submitsLeft = 0;
  private eventTickPending = false;
  private nextProgressAt = -Infinity;

  constructor(
    private readonly jobs: readonly TraceJob[],
    private readonly policy: SimPolicy,
    private readonly options: SimulationOptions,
  ) {
    const { config } = options;
    this.seed = options.seed ?? 1;
    this.start = simulationStart(jobs, options.start);
    this.now = this.start;
    this.lastSubmit = jobs.reduce((max, j) => Math.max(max, j.submitTime), this.start);
    this.horizon = this.lastSubmit + (options.drainSeconds ?? 2 * 86_400) * 1000;
    const delay = sampler(
      options.provisioning ?? DEFAULT_PROVISIONING,
      new Random(this.seed).fork('provisioning'),
    );
    this.cluster = new Cluster(
      config.nodeGroups,
      delay,
      {
        nodeChanged: (node) => this.builder.touchNode(node),
        groupChanged: (group) => this.builder.touchGroup(group),
        capacityFreed: (group) => this.scheduler.groupCapacityFreed(group),
        scaleOutDone: (request, now) => {
          const seconds = (now - request.requestedAt) / 1000;
          this.metrics.scaleOutLatencySeconds.push(seconds);
        },
      },
      this.start,
    );
    this.scheduler = new Scheduler(this.cluster, {
      podChanged: (pod) => this.builder.touchPod(pod),
      podScheduled: (pod, now) => this.apps.podScheduled(pod, now),
    });
    this.queues = new QueueResolver(config, this.cluster.groups);
    this.apps = new SparkApps(
      {
        batchSize: options.executorBatchSize ?? 5,
        batchDelayMs: (options.executorBatchDelaySeconds ?? 1) * 1000,
      },
      {
        cluster: this.cluster,
        scheduler: this.scheduler,
        metrics: this.metrics,
        schedule: (time, event) => this.events.push(time, event),
        tracker: {
          touchPod: (pod) => {
            this.builder.touchPod(pod);
            if (pod.phase === 'Gone') this.livePods.delete(pod.uid);
            else this.livePods.set(pod.uid, pod);
          },
        },
      },
    );
    this.provider = new SimProvider(this);
  }

  /** Runs the whole trace (until every job ends, or the drain horizon) and reports. */
  async run(): Promise<SimReport> {
    const wallStart = performance.now();
    await this.runUntil(this.horizon);
    const end = this.allDone() ? this.now : this.horizon;
    this.cluster.accountAll(end);
    return buildReport({
      policy: this.policy.name,
      metrics: this.metrics,
      cluster: this.cluster,
      unfinished: this.apps.open,
      start: this.start,
      end,
      wallSeconds: (performance.now() - wallStart) / 1000,
    });
  }

  /**
   * Processes every event up to and including `limit` (epoch ms), then leaves the clock at
   * `limit`; stops early (clock at the last event) once every job has ended.
   */
  async runUntil(limit: number): Promise<void> {
    if (!this.initialized) this.initialize();
    const span = Math.max(1, this.lastSubmit - this.start);
    while (this.events.size > 0 && !this.allDone()) {
      const time = this.events.peekTime();
      if (time > limit) break;
      this.now = time;
      while (this.events.peekTime() === time) {
        const pending = this.handle(this.events.pop() as SimEvent);
        if (pending) await pending;
      }
      if (this.scheduler.dirty) this.schedulePass();
      if (this.options.onProgress && time >= this.nextProgressAt) {
        this.options.onProgress(Math.min(1, (time - this.start) / span));
        this.nextProgressAt = time + HOUR_MS;
      }
    }
    if (!this.allDone() && Number.isFinite(limit)) this.now = Math.max(this.now, limit);
  }

  /** Every job submitted and ended (completed, failed or rejected). */
  allDone(): boolean {
    return this.initialized && this.submitsLeft === 0 && this.apps.open === 0;
  }

  /** The cluster as a policy sees it right now. */
  snapshot(): ClusterSnapshot {
    return this.builder.build(this.now);
  }

  usage(): SimUsage {
    const nodes = new Map<string, UsageView>();
    const groups = new Map<string, UsageView>();
    for (const [name, group] of this.cluster.groups) {
      groups.set(name, usageView(group.tally));
      for (const node of group.nodes.values()) nodes.set(node.name, usageView(node.tally));
    }
    const queues = new Map(this.queues.all().map((q) => [q.config.name, usageView(q.tally)]));
    return { nodes, groups, queues };
  }

  targetSize(groupName: string): number {
    return this.cluster.group(groupName)?.nodes.size ?? 0;
  }

  scaleUpTo(groupName: string, size: number): void {
    const group = this.cluster.group(groupName);
    if (!group) return;
    for (const node of this.cluster.scaleUpTo(group, size, this.now)) {
      this.events.push(node.readyAt, { kind: 'node-ready', node });
    }
  }

  deleteNodes(groupName: string, nodeNames: readonly string[]): void {
    const group = this.cluster.group(groupName);
    if (!group) return;
    for (const name of nodeNames) {
      const node = group.nodes.get(name);
      if (!node) continue;
      const pods = [...node.pods];
      if (pods.some((p) => p.role === 'executor')) this.metrics.executorNodesRemovedWhileBusy++;
      if (pods.some((p) => p.role === 'driver')) this.metrics.driverNodesRemovedWhileBusy++;
      this.metrics.podsKilledByNodeDeletion += pods.length;
      this.cluster.deleteNode(node, this.now);
      for (const pod of pods) this.apps.podLost(pod, this.now);
    }
  }

  private initialize(): void {
    this.initialized = true;
    for (const group of this.cluster.groups.values()) {
      const size = this.policy.initialSize?.(group.config) ?? group.config.min;
      this.cluster.addReadyNodes(group, Math.min(Math.max(size, 0), group.config.max), this.start);
      this.builder.touchGroup(group);
    }
    for (const job of this.jobs)
      this.events.push(Math.max(job.submitTime, this.start), { kind: 'submit', job });
    this.submitsLeft = this.jobs.length;
    if (this.policy.tickSeconds !== null) this.events.push(this.start, { kind: 'tick' });
    if (this.options.timeline) this.events.push(this.start, { kind: 'sample' });
  }

  private handle(event: SimEvent): Promise<void> | undefined {
    switch (event.kind) {
      case 'submit':
        this.submit(event.job);
        return undefined;
      case 'batch':
        this.apps.batch(event.app, this.now);
        return undefined;
      case 'finish':
        this.apps.finish(event.app, event.version, this.now);
        return undefined;
      case 'node-ready':
        this.cluster.markReady(event.node, this.now);
        return undefined;
      case 'sample': {
        const timeline = this.options.timeline!;
        timeline.sample(this.cluster.groups, this.queues.all(), this.now);
        this.events.push(this.now + timeline.sampleSeconds * 1000, event);
        return undefined;
      }
      case 'tick':
        this.events.push(this.now + (this.policy.tickSeconds ?? 10) * 1000, event);
        return this.tick('timer');
      case 'event-tick':
        this.eventTickPending = false;
        return this.tick('event');
    }
  }

  private submit(job: TraceJob): void {
    this.submitsLeft--;
    this.metrics.jobs++;
    const queue = this.queues.resolve(job.queue);
    const driverGroup = this.queues.driverGroup;
    const reason = queue
      ? unfittableReason(job, driverGroup.config, queue.group.config, queue.config)
      : `unknown queue ${job.queue}`;
    if (!queue || reason) {
      this.metrics.rejected.push({ app: job.app, reason: reason ?? 'unknown queue' });
      return;
    }
    const random = new Random(hash32(`${this.seed}:${job.app}`));
    const shares = { cpu: random.uniform(0.4, 0.9), memory: random.uniform(0.5, 0.95) };
    this.apps.submit(job, queue, driverGroup, shares, this.now);
  }

  private schedulePass(): void {
    const newlyUnschedulable = this.scheduler.pass(this.now);
    const debounce = this.policy.eventDebounceMs;
    if (newlyUnschedulable > 0 && debounce !== null && !this.eventTickPending) {
      this.eventTickPending = true;
      this.events.push(this.now + debounce, { kind: 'event-tick' });
    }
  }

  private async tick(trigger: 'timer' | 'event'): Promise<void> {
    this.metrics.ticks++;
    await this.policy.tick(this, trigger);
  }

  /** Evicts a running pod (a baseline draining a node); Spark replaces a lost executor. */
  evict(podUid: string): void {
    const pod = this.livePods.get(podUid);
    if (!pod || pod.phase !== 'Running') return;
    this.metrics.evictions++;
    this.apps.podLost(pod, this.now);
  }
}
