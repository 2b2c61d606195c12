/**
 * Spark applications: the driver starts first; once it runs, executors are requested in batches
 * (spark.kubernetes.allocation.batch.size / batch.delay); progress runs at running / requested
 * executors, so a starved job stretches; at the end every pod terminates.
 */
import type { SparkRole } from '../agent/state/snapshot.js';
import type { Cluster } from './cluster.js';
import type { Schedule } from './events.js';
import type { Metrics } from './metrics.js';
import type { SimApp, SimGroup, SimPod, SimQueue } from './model.js';
import type { Scheduler } from './scheduler.js';
import type { TraceJob } from './trace-types.js';

export interface PodTracker {
  touchPod(pod: SimPod): void;
}

export interface SparkAppsOptions {
  readonly batchSize: number;
  readonly batchDelayMs: number;
}

export class SparkApps {
  /** Apps submitted and neither done nor failed. */
  open = 0;
  private appSeq = 0;
  private podSeq = 0;

  constructor(
    private readonly options: SparkAppsOptions,
    private readonly deps: {
      readonly cluster: Cluster;
      readonly scheduler: Scheduler;
      readonly tracker: PodTracker;
      readonly metrics: Metrics;
      readonly schedule: Schedule;
    },
  ) {}

  submit(
    job: TraceJob,
    queue: SimQueue,
    driverGroup: SimGroup,
    shares: { cpu: number; memory: number },
    now: number,
  ): SimApp {
    const app: SimApp = {
      job,
      seq: this.appSeq++,
      queue,
      cpuShare: shares.cpu,
      memoryShare: shares.memory,
      state: 'driver-pending',
      driver: null,
      executors: new Set(),
      executorsCreated: 0,
      runningExecutors: 0,
      batchScheduled: false,
      workDone: 0,
      progressAt: now,
      rate: 0,
      version: 0,
      finishedAt: null,
    };
    this.open++;
    app.driver = this.createPod(app, 'driver', driverGroup, now);
    return app;
  }

  podScheduled(pod: SimPod, now: number): void {
    this.deps.metrics.podScheduled(pod, now);
    this.deps.tracker.touchPod(pod);
    const app = pod.app;
    if (pod.role === 'driver') {
      app.state = 'running';
      this.requestBatchAt(app, now);
    } else {
      app.runningExecutors++;
      this.updateRate(app, now);
    }
  }

  /** One allocation round: create up to batchSize executor pods; schedule the next round if more are due. */
  batch(app: SimApp, now: number): void {
    app.batchScheduled = false;
    if (app.state !== 'running') return;
    const missing = app.job.executors - app.executors.size;
    const count = Math.min(this.options.batchSize, missing);
    for (let i = 0; i < count; i++) {
      app.executors.add(this.createPod(app, 'executor', app.queue.group, now));
    }
    if (missing > count) this.requestBatchAt(app, now + this.options.batchDelayMs);
  }

  finish(app: SimApp, version: number, now: number): void {
    if (app.state !== 'running' || version !== app.version) return;
    this.end(app, 'done', now);
    this.deps.metrics.appFinished(app, now);
  }

  /**
   * A pod stopped by the cluster (its node was deleted, or a policy evicted it); it is already
   * unbound. A lost executor is replaced in the next allocation round, as Spark does; a lost
   * driver fails the application.
   */
  podLost(pod: SimPod, now: number): void {
    if (pod.phase === 'Gone') return;
    const wasRunning = pod.phase === 'Running';
    this.drop(pod);
    const app = pod.app;
    if (pod.role === 'driver') {
      this.end(app, 'failed', now);
      this.deps.metrics.jobsFailed++;
      return;
    }
    app.executors.delete(pod);
    if (wasRunning) {
      app.runningExecutors--;
      this.updateRate(app, now);
    }
    if (app.state === 'running') this.requestBatchAt(app, now);
  }

  private requestBatchAt(app: SimApp, time: number): void {
    if (app.batchScheduled) return;
    app.batchScheduled = true;
    this.deps.schedule(time, { kind: 'batch', app });
  }

  private createPod(app: SimApp, role: SparkRole, group: SimGroup, now: number): SimPod {
    const seq = this.podSeq++;
    const isDriver = role === 'driver';
    const pod: SimPod = {
      uid: `pod-${seq}`,
      name: isDriver ? `${app.job.app}-driver` : `${app.job.app}-exec-${++app.executorsCreated}`,
      seq,
      app,
      role,
      cpu: isDriver ? app.job.driverCpu : app.job.executorCpu,
      memoryBytes: isDriver ? app.job.driverMemoryBytes : app.job.executorMemoryBytes,
      group,
      queue: app.queue,
      createdAt: now,
      phase: 'Pending',
      node: null,
      unschedulableSince: null,
      quotaHeld: false,
      fresh: true,
    };
    this.deps.scheduler.add(pod);
    this.deps.tracker.touchPod(pod);
    return pod;
  }

  /** Progress so far at the old rate, then the new rate and a fresh finish event. */
  private updateRate(app: SimApp, now: number): void {
    app.workDone = Math.min(
      app.job.durationSeconds,
      app.workDone + (app.rate * (now - app.progressAt)) / 1000,
    );
    app.progressAt = now;
    app.rate = app.runningExecutors / app.job.executors;
    app.version++;
    if (app.rate <= 0) return;
    const remainingMs = ((app.job.durationSeconds - app.workDone) / app.rate) * 1000;
    this.deps.schedule(now + remainingMs, { kind: 'finish', app, version: app.version });
  }

  private end(app: SimApp, state: 'done' | 'failed', now: number): void {
    app.state = state;
    app.finishedAt = now;
    app.version++;
    this.open--;
    for (const pod of app.executors) this.drop(pod);
    app.executors.clear();
    app.runningExecutors = 0;
    if (app.driver) this.drop(app.driver);
  }

  /** Terminates a pod: frees its node and queue share; the scheduler forgets it lazily. */
  private drop(pod: SimPod): void {
    if (pod.phase === 'Gone') return;
    if (pod.node) this.deps.cluster.unbind(pod);
    if (pod.phase === 'Running') this.deps.scheduler.queueQuotaFreed(pod.queue);
    pod.phase = 'Gone';
    this.deps.tracker.touchPod(pod);
  }
}
