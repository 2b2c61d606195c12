/**
 * Pods -> jobs on hand-built pods: the cases a real cluster produces that the generated fixture of
 * the integration test does not (dynamic allocation, replaced executors, reused pod names, odd
 * units).
 */
import { describe, expect, it } from 'vitest';
import { peakConcurrency, reconstructJobs, type ReconstructOptions } from './prometheus-jobs.js';
import { SparkPods, type SparkPod } from './prometheus-pods.js';

const T0 = Date.UTC(2024, 0, 1);
const S = 1000;
const GiB = 2 ** 30;
const range: ReconstructOptions = {
  start: T0,
  end: T0 + 6 * 3600 * S,
  stepSeconds: 60,
  defaultQueue: 'default',
};

let uid = 0;
function pod(
  app: string | undefined,
  role: 'driver' | 'executor',
  times: Partial<Pick<SparkPod, 'created' | 'started' | 'completed' | 'terminalPhase' | 'lastSeen'>>,
  extra: { cpu?: number; memoryGiB?: number; queue?: string; name?: string } = {},
): SparkPod {
  const requests = {
    cpu: extra.cpu ?? (role === 'driver' ? 1 : 4),
    memoryBytes: (extra.memoryGiB ?? 8) * GiB,
  };
  return {
    namespace: 'spark',
    name: extra.name ?? `${app ?? 'x'}-${role}-${++uid}`,
    uid: `u${uid}`,
    role,
    app,
    queue: extra.queue,
    firstSeen: times.created,
    ...times,
    containers: new Map([['main', requests]]),
    unknownUnits: [],
  };
}

const at = (seconds: number) => T0 + 600 * S + seconds * S;

describe('peakConcurrency', () => {
  it('finds the peak and when it is first reached; a pod ending as another starts does not overlap', () => {
    const intervals = [
      { from: 0, to: 10 },
      { from: 10, to: 20 },
      { from: 5, to: 30 },
      { from: 15, to: 30 },
    ];
    expect(peakConcurrency(intervals)).toEqual({ peak: 3, at: 15 });
    expect(peakConcurrency([])).toEqual({ peak: 0, at: NaN });
  });
});

describe('reconstructJobs', () => {
  it('takes the largest concurrent ask of a dynamically allocated app and times it from its peak', () => {
    const driver = pod(
      'dyn',
      'driver',
      { created: at(0), started: at(5), completed: at(1000) },
      { queue: 'ml' },
    );
    // Two executors, scaled up to four at 100 s, back to two at 400 s.
    const executors = [
      ...[0, 1].map(() => pod('dyn', 'executor', { created: at(10), started: at(20), lastSeen: at(990) })),
      ...[0, 1].map(() => pod('dyn', 'executor', { created: at(90), started: at(100), completed: at(400) })),
    ];
    const { jobs, skipped } = reconstructJobs([driver, ...executors], range);
    expect(skipped).toEqual([]);
    expect(jobs).toEqual([
      {
        submitTime: at(0),
        app: 'dyn',
        queue: 'ml',
        driverCpu: 1,
        driverMemoryBytes: 8 * GiB,
        executors: 4,
        executorCpu: 4,
        executorMemoryBytes: 8 * GiB,
        durationSeconds: 900,
      },
    ]);
  });

  it('counts a replaced executor once, and pending pods in the ask', () => {
    const driver = pod('retry', 'driver', { created: at(0), terminalPhase: at(600) });
    const lost = pod('retry', 'executor', { created: at(10), started: at(20), terminalPhase: at(200) });
    const replacement = pod('retry', 'executor', { created: at(200), started: at(210), lastSeen: at(590) });
    const neverScheduled = pod('retry', 'executor', { created: at(10), lastSeen: at(590) });
    const { jobs } = reconstructJobs([driver, lost, replacement, neverScheduled], range);
    expect(jobs[0]).toMatchObject({ executors: 2, durationSeconds: 580, queue: 'default' });
  });

  it('keeps two apps apart even when their pods share names (a resubmitted app)', () => {
    const pods = new SparkPods();
    const labels = (app: string, uid: string) => ({
      namespace: 'spark',
      pod: 'nightly-driver',
      uid,
      label_spark_role: 'driver',
      label_spark_app_selector: app,
    });
    pods.addLabels([labels('spark-a', 'u-a'), labels('spark-b', 'u-b')], 'label_queue');
    pods.addFact('created', [
      { labels: { namespace: 'spark', pod: 'nightly-driver', uid: 'u-a' }, value: at(0) / 1000 },
      { labels: { namespace: 'spark', pod: 'nightly-driver', uid: 'u-b' }, value: at(5000) / 1000 },
    ]);
    expect(pods.all().map((p) => [p.app, p.created])).toEqual([
      ['spark-a', at(0)],
      ['spark-b', at(5000)],
    ]);
  });

  it('sums requests over containers and skips a pod whose requests come in unknown units', () => {
    const pods = new SparkPods();
    const ids = { namespace: 'spark', pod: 'p-exec-1', uid: 'u1' };
    pods.addLabels(
      [{ ...ids, label_spark_role: 'executor', label_spark_app_selector: 'units' }],
      'label_queue',
    );
    pods.addFact('requests', [
      { labels: { ...ids, container: 'executor', resource: 'cpu', unit: 'core' }, value: 2 },
      { labels: { ...ids, container: 'sidecar', resource: 'cpu', unit: 'core' }, value: 0.5 },
      { labels: { ...ids, container: 'executor', resource: 'memory', unit: 'kilobyte' }, value: 7e6 },
    ]);
    const [executor] = pods.all();
    const driver = pod('units', 'driver', { created: at(0), completed: at(900) });
    const { jobs, skipped } = reconstructJobs(
      [driver, { ...executor!, created: at(10), started: at(20) }],
      range,
    );
    expect(jobs).toEqual([]);
    expect(skipped).toEqual([
      {
        where: 'app units',
        reason:
          'executor pod spark/p-exec-1 has no cpu and memory request in kube_pod_container_resource_requests ' +
          '(cpu 2.5, memory missing) (requests in unknown units: memory in "kilobyte")',
      },
    ]);
  });

  it('skips an app whose executors never started, and one whose driver is still scraped at the end', () => {
    const pending = [
      pod('pending', 'driver', { created: at(0), terminalPhase: at(300) }),
      pod('pending', 'executor', { created: at(10), lastSeen: at(290) }),
    ];
    const lateSample = range.end - 60 * S;
    const running = [
      pod('running', 'driver', { created: at(0), lastSeen: lateSample }, { name: 'running-driver' }),
      pod('running', 'executor', { created: at(10), started: at(20), lastSeen: lateSample }),
    ];
    const { jobs, skipped } = reconstructJobs([...pending, ...running], range);
    expect(jobs).toEqual([]);
    expect(skipped.map((s) => `${s.where}: ${s.reason}`)).toEqual([
      'app pending: none of its 1 executor pods ever started',
      'app running: still running at the end of the range (driver pod spark/running-driver has not finished)',
    ]);
  });
});
