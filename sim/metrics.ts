/** Raw measurements gathered during a run; report.ts turns them into the summary. */
import type { SimApp, SimPod } from './model.js';

export interface Rejection {
  readonly app: string;
  readonly reason: string;
}

export class Metrics {
  readonly executorPendingSeconds: number[] = [];
  /** The same samples by YuniKorn queue: where a run's tail of waiting executors comes from. */
  readonly executorPendingByQueue = new Map<string, number[]>();
  readonly driverPendingSeconds: number[] = [];
  readonly slowdowns: number[] = [];
  readonly scaleOutLatencySeconds: number[] = [];
  readonly rejected: Rejection[] = [];
  /** app -> epoch ms it completed. */
  readonly finishTimes = new Map<string, number>();
  jobs = 0;
  jobsCompleted = 0;
  jobsFailed = 0;
  /** Executor pods evicted by a policy (e.g. the cluster-autoscaler baseline draining a node). */
  evictions = 0;
  /** Pods killed because their node was deleted under them. */
  podsKilledByNodeDeletion = 0;
  /** Nodes deleted while executor pods ran on them: must stay 0 for nodecast policies. */
  executorNodesRemovedWhileBusy = 0;
  /** Nodes deleted while a driver ran on them (the job fails). */
  driverNodesRemovedWhileBusy = 0;
  ticks = 0;

  podScheduled(pod: SimPod, now: number): void {
    const seconds = (now - pod.createdAt) / 1000;
    if (pod.role === 'driver') {
      this.driverPendingSeconds.push(seconds);
      return;
    }
    this.executorPendingSeconds.push(seconds);
    const queue = pod.queue.config.name;
    const byQueue = this.executorPendingByQueue.get(queue);
    if (byQueue) byQueue.push(seconds);
    else this.executorPendingByQueue.set(queue, [seconds]);
  }

  appFinished(app: SimApp, now: number): void {
    this.jobsCompleted++;
    this.finishTimes.set(app.job.app, now);
    this.slowdowns.push((now - app.job.submitTime) / 1000 / app.job.durationSeconds);
  }
}
