import { describe, expect, it } from 'vitest';
import {
  kubeStateLabelName,
  MAX_POINTS_PER_QUERY,
  MAX_WINDOW_SECONDS,
  planWindows,
  windowQueries,
} from './prometheus-plan.js';

const DAY = 86_400_000;

describe('planWindows', () => {
  const start = Date.UTC(2024, 0, 1, 0, 0, 30);
  const end = start + 14 * DAY;

  function expectCovering(windows: { startS: number; endS: number }[], step: number, maxSteps: number) {
    expect(windows[0]!.startS).toBeLessThanOrEqual(start / 1000);
    expect(windows.at(-1)!.endS).toBeGreaterThanOrEqual(end / 1000);
    for (const [i, w] of windows.entries()) {
      expect((w.endS - w.startS) / step).toBeLessThanOrEqual(maxSteps);
      expect(w.startS % step).toBe(0);
      if (i > 0) expect(w.startS).toBe(windows[i - 1]!.endS);
    }
  }

  it('covers fourteen days at one minute in 3-hour windows, end to end', () => {
    const windows = planWindows(start, end, 60);
    // Aligning to the step widens the range by a minute: one more window.
    expect(windows.length).toBe((14 * 24) / 3 + 1);
    expectCovering(windows, 60, MAX_WINDOW_SECONDS / 60);
  });

  it('never exceeds 11,000 steps, whatever window length is allowed', () => {
    const windows = planWindows(start, end, 60, { maxWindowSeconds: 30 * 86_400 });
    expect(windows.length).toBe(Math.ceil((14 * 1440 + 1) / MAX_POINTS_PER_QUERY));
    expectCovering(windows, 60, MAX_POINTS_PER_QUERY);
  });

  it('gives a range shorter than a step one window', () => {
    expect(planWindows(120_000, 130_000, 60)).toEqual([{ startS: 120, endS: 180 }]);
  });
});

describe('windowQueries', () => {
  const window = { startS: 7200, endS: 14400 };

  it('folds the whole window, with subqueries at the import step', () => {
    const queries = windowQueries(window, 30, { queueLabel: 'label_queue' });
    expect(queries.map((q) => q.fact)).toEqual([
      'requests',
      'created',
      'started',
      'completed',
      'terminalPhase',
      'firstSeen',
      'lastSeen',
    ]);
    for (const q of queries) expect(q.expr).toContain('[7200s');
    expect(queries.find((q) => q.fact === 'lastSeen')!.expr).toBe(
      'max by (namespace, pod, uid) (max_over_time(timestamp(kube_pod_labels{label_spark_role=~"driver|executor"})[7200s:30s]))',
    );
  });

  it('restricts every query to Spark pods of the namespace', () => {
    for (const q of windowQueries(window, 60, { queueLabel: 'label_queue', namespace: 'team-a|team-b' }))
      expect(q.expr).toContain(
        'kube_pod_labels{label_spark_role=~"driver|executor", namespace=~"team-a|team-b"}',
      );
  });
});

describe('kubeStateLabelName', () => {
  it('names pod labels as kube-state-metrics exports them', () => {
    expect(kubeStateLabelName('queue')).toBe('label_queue');
    expect(kubeStateLabelName('yunikorn.apache.org/queue')).toBe('label_yunikorn_apache_org_queue');
    expect(kubeStateLabelName('label_team')).toBe('label_team');
  });
});
