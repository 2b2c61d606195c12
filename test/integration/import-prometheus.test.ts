/**
 * importFromPrometheus against a real Prometheus: three hours of a generated workload (the
 * truth) become kube-state-metrics series, promtool builds TSDB blocks from them, prometheus serves
 * them, and the imported trace must match the truth: job count, sizes, submit times, executor
 * counts and durations within the resolution of the signal each app ends with. Apps the importer
 * cannot rebuild must come back as skips with their reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFromPrometheus } from '../../sim/import/prometheus.js';
import type { ImportResult } from '../../sim/import/types.js';
import { generateTrace } from '../../sim/trace-generate.js';
import { GiB, type TraceJob } from '../../sim/trace-types.js';
import { requireBinary } from './prometheus-harness.js';
import {
  podsForJob,
  writeKubeStateMetrics,
  type EndSignal,
  type FixturePod,
} from './import-prometheus-fixture.js';
import { startPrometheusOnBlocks, type BlocksPrometheus } from './import-prometheus-server.js';

const prometheus = requireBinary('prometheus', 'import-prometheus');
const promtool = requireBinary('promtool', 'import-prometheus');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const STEP_SECONDS = 60;
// A day well in the past (blocks must lie before now), at midnight UTC.
const T0 = Math.floor((Date.now() - 7 * 24 * HOUR) / (24 * HOUR)) * 24 * HOUR;
const END = T0 + 5 * HOUR;
const SIGNALS: EndSignal[] = ['completion-time', 'phase-only', 'deleted'];

const signalOf = (i: number): EndSignal => SIGNALS[i % SIGNALS.length]!;
const truth: TraceJob[] = generateTrace({ days: 1, seed: 3, start: T0 }).filter(
  (j) => j.submitTime < T0 + 3 * HOUR,
);
const small = (app: string, submitTime: number): TraceJob => ({
  submitTime,
  app,
  queue: 'adhoc',
  driverCpu: 1,
  driverMemoryBytes: 2 * GiB,
  executors: 2,
  executorCpu: 2,
  executorMemoryBytes: 7 * GiB,
  durationSeconds: 600,
});
const withoutLabel = (pods: FixturePod[], label: string): FixturePod[] =>
  pods.map((p) => ({
    ...p,
    labels: Object.fromEntries(Object.entries(p.labels).filter(([k]) => k !== label)),
  }));

// One truth app has no queue label: it lands in the default queue.
const unlabelled = small('no-queue-label', T0 + 30 * MINUTE);
const expected: TraceJob[] = [...truth, { ...unlabelled, queue: 'default' }];

function fixturePods(): FixturePod[] {
  const pods = truth.flatMap((job, i) => podsForJob(job, signalOf(i)));
  pods.push(...withoutLabel(podsForJob(unlabelled, 'completion-time', 'analytics'), 'label_queue'));
  // Skips: executors of an app whose driver is not in kube_pod_labels, ...
  pods.push(
    ...podsForJob(small('no-driver', T0 + HOUR), 'deleted').filter(
      (p) => p.labels.label_spark_role !== 'driver',
    ),
  );
  // ... a driver without executors, ...
  pods.push(
    ...podsForJob({ ...small('driver-only', T0 + HOUR), executors: 1 }, 'completion-time').slice(0, 1),
  );
  // ... an app still running when the range ends, one submitted before it starts, ...
  const running = podsForJob(
    { ...small('still-running', END - 30 * MINUTE), durationSeconds: 7200 },
    'deleted',
  );
  pods.push(...running.map((p) => ({ ...p, deleted: undefined })));
  pods.push(...podsForJob(small('before-range', T0 - 5 * MINUTE), 'completion-time'));
  // ... and an executor without an app selector; a non-Spark pod is no skip, just ignored.
  pods.push(
    ...withoutLabel(
      podsForJob(small('no-selector', T0 + HOUR), 'deleted').slice(1, 2),
      'label_spark_app_selector',
    ),
  );
  pods.push({
    namespace: 'kube-system',
    name: 'coredns-0',
    uid: 'uid-coredns',
    labels: { label_k8s_app: 'kube-dns' },
    container: 'coredns',
    cpu: 0.1,
    memoryBytes: 70 * 2 ** 20,
    created: T0 - HOUR,
    started: T0 - HOUR,
  });
  return pods;
}

describe.skipIf(!prometheus || !promtool)('import a trace from a real Prometheus', () => {
  let server: BlocksPrometheus;
  let result: ImportResult;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    server = await startPrometheusOnBlocks({
      prometheus: prometheus!,
      promtool: promtool!,
      write: (file) => writeKubeStateMetrics(file, fixturePods(), { scrapeSeconds: 60, end: END }),
    });
    result = await importFromPrometheus(
      // 90 steps per window: five hours take four windows, and long apps span several.
      { url: server.url, start: T0, end: END, stepSeconds: STEP_SECONDS, maxPointsPerQuery: 90 },
      (done, total) => progress.push([done, total]),
    );
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('rebuilds every truth app with its sizes, submit time and executor count', () => {
    expect(truth.length).toBeGreaterThan(20);
    expect(result.jobs.map((j) => j.app).sort()).toEqual(expected.map((j) => j.app).sort());
    const byApp = new Map(result.jobs.map((j) => [j.app, j]));
    for (const want of expected) {
      const got = byApp.get(want.app)!;
      const { durationSeconds: _, ...sizes } = want;
      expect({ ...got, durationSeconds: undefined }, want.app).toEqual({
        ...sizes,
        durationSeconds: undefined,
      });
    }
  });

  it('measures durations within the resolution of how each app ended', () => {
    const byApp = new Map(result.jobs.map((j) => [j.app, j.durationSeconds]));
    truth.forEach((want, i) => {
      const error = byApp.get(want.app)! - want.durationSeconds;
      const signal = signalOf(i);
      // Completion time is exact; a phase change is seen at the next step; a deleted pod's end
      // is its last scrape, up to one scrape earlier.
      if (signal === 'completion-time') expect(Math.abs(error), want.app).toBeLessThanOrEqual(1);
      else if (signal === 'phase-only') expect(error, want.app).toBeGreaterThanOrEqual(0);
      else expect(error, want.app).toBeLessThanOrEqual(0);
      expect(Math.abs(error), `${want.app} (${signal})`).toBeLessThanOrEqual(STEP_SECONDS);
    });
  });

  it('reports every app it could not rebuild, with the reason', () => {
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.where, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      [
        'app before-range',
        'app driver-only',
        'app no-driver',
        'app still-running',
        'pod spark/no-selector-exec-1',
      ].sort(),
    );
    expect(reasons['app before-range']).toMatch(/before the range start/);
    expect(reasons['app driver-only']).toMatch(/no executor pods/);
    expect(reasons['app no-driver']).toMatch(/no driver pod/);
    expect(reasons['app still-running']).toMatch(/still running at the end/);
    expect(reasons['pod spark/no-selector-exec-1']).toMatch(/no spark-app-selector.*metric-labels-allowlist/);
  });

  it('explains an empty import with real PromQL: labels not allowed, or no kube-state-metrics', async () => {
    const importNamespace = (namespace: string) =>
      importFromPrometheus({
        url: server.url,
        start: T0,
        end: END,
        stepSeconds: STEP_SECONDS,
        namespace,
      }).then(
        () => 'imported',
        (err: Error) => err.message,
      );
    // kube-system has one pod (coredns) in kube_pod_labels, but no Spark labels.
    expect(await importNamespace('kube-system')).toMatch(
      /^up to 1 pods at a time in kube_pod_labels.*--metric-labels-allowlist=pods=/,
    );
    expect(await importNamespace('nowhere')).toMatch(
      /^no kube_pod_labels series\{namespace=~"nowhere"\} in Prometheus/,
    );
  });

  it('counts what it found and reports progress window by window', () => {
    const executorPods = expected.reduce((n, j) => n + j.executors, 0) + 2 + 2 + 2 + 1;
    expect(result.found).toMatchObject({
      applications: expected.length + 4,
      jobs: expected.length,
      driverPods: expected.length + 3,
      executorPods,
      inDefaultQueue: 1,
      queryWindows: 4,
    });
    expect(progress).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });
});
