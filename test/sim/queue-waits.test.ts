import { describe, expect, it } from 'vitest';
import { fixedFleetPolicy } from '../../sim/policies/static.js';
import { formatReports, waitedShare } from '../../sim/report-table.js';
import { job, queue, simulation, testConfig } from './helpers.js';

describe('executor waits by queue', () => {
  // One executor node holds four 4 cpu / 28 GiB executors: a's fill it, b's wait until a ends.
  const config = testConfig({ queues: [queue('etl'), queue('adhoc')] });
  const oneNode = fixedFleetPolicy('fixed', (g) => (g.role === 'executor' ? 1 : g.min));
  const jobs = [job('a', 0, { durationSeconds: 300 }), job('b', 5, { queue: 'adhoc', durationSeconds: 60 })];

  it('counts per queue the executors that waited for room, and their p95', async () => {
    const report = await simulation(jobs, oneNode, config).run();
    expect(report.jobsCompleted).toBe(2);
    const etl = report.executorPendingByQueue!['etl']!;
    const adhoc = report.executorPendingByQueue!['adhoc']!;
    expect(etl).toMatchObject({ pods: 4, waited: 0 });
    expect(etl.p95!).toBeLessThan(5);
    expect(adhoc).toMatchObject({ pods: 4, waited: 4 });
    // b's executors wait for a's to finish (~300 s after a started), not just a scheduling cycle.
    expect(adhoc.p95!).toBeGreaterThan(250);
    expect(waitedShare(report)).toBe(50);
    expect(waitedShare(report, 'adhoc')).toBe(50);
    expect(waitedShare(report, 'etl')).toBe(0);
  });

  it('shows the shares in the simulate table', async () => {
    const table = formatReports([await simulation(jobs, oneNode, config).run()]);
    expect(table).toMatch(/executor pods waited > 30 s\s+50\.0%/);
    expect(table).toMatch(/queue adhoc \(% of all \/ p95 s\)\s+50\.0% \/ \d{3}/);
    expect(table).toMatch(/queue etl \(% of all \/ p95 s\)\s+0\.0% \/ \d/);
  });

  it('has no share when no executor ran (results written before the field existed render "-")', () => {
    expect(waitedShare({ executorPendingByQueue: {} } as never)).toBeNull();
    expect(waitedShare({} as never)).toBeNull();
  });
});
