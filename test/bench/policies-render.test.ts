import { describe, expect, it } from 'vitest';
import { p95At, renderTrace } from '../../bench/policies-render.js';
import type { TraceResult } from '../../bench/policies-run.js';
import type { QueueWaits, SimReport } from '../../sim/report.js';

/** A report with only what the renderer reads varying: node-hours, pending p95, waits by queue. */
function report(
  policy: string,
  nodeHours: number,
  p95: number,
  byQueue: Record<string, QueueWaits> = {},
): SimReport {
  return {
    policy,
    jobs: 10,
    jobsCompleted: 10,
    jobsRejected: 0,
    jobsFailed: 0,
    jobsUnfinished: 0,
    nodeHours,
    nodeHoursByGroup: { 'spark-executor': nodeHours },
    cost: nodeHours,
    peakNodes: 10,
    peakNodesByGroup: {},
    executorPendingSeconds: { p50: 0, p95, p99: p95 },
    executorPendingByQueue: byQueue,
    driverPendingSeconds: { p50: 0, p95: 0, p99: 0 },
    jobSlowdown: { mean: 1, p95: 1 },
    scaleOutLatencySeconds: { p50: null, p95: null, count: 0 },
    evictions: 0,
    podsKilledByNodeDeletion: 0,
    executorNodesRemovedWhileBusy: 0,
    driverNodesRemovedWhileBusy: 0,
    rejections: [],
    simulatedHours: 1,
    policyTicks: 0,
    wallSeconds: 0,
  };
}

const waits = (etl: number, adhoc: number) => ({
  etl: { pods: 600, p95: 0, waited: etl },
  adhoc: { pods: 400, p95: 0, waited: adhoc },
});

function result(predictiveP95: number, oracleP95 = 0, foresight: SimReport[] = []): TraceResult {
  return {
    trace: 't',
    description: 'a test trace.',
    jobs: 10,
    historyDays: 7,
    predictive: 'predictive p80',
    uses: {},
    reports: [
      report('static', 300, 0),
      report('ca', 100, 200),
      report('reactive', 100, 200, waits(300, 100)),
      report('oracle', 104, oracleP95, waits(1, 9)),
      report('predictive p80', 110, predictiveP95, waits(20, 50)),
      report('headroom-2', 105, 150),
      report('headroom-3', 115, 50, waits(100, 40)),
      ...foresight,
    ],
  };
}

describe('policies bench render', () => {
  it('interpolates headroom p95 between the two N that bracket the node-hours', () => {
    const headroom = [report('headroom-2', 105, 150), report('headroom-3', 115, 50)];
    expect(p95At(headroom, 110)).toEqual({ p95: 100, between: 'headroom-2 .. headroom-3' });
    expect(p95At(headroom, 120)).toBeUndefined();
  });

  it('judges predictive against headroom at equal node-hours, and against the oracle', () => {
    expect(renderTrace(result(90)).verdicts).toMatchObject({ beatsHeadroom: true, oracleTarget: false });
    expect(renderTrace(result(100.5)).verdicts.beatsHeadroom).toBe(false);
    // Within 1.5x of the oracle's p95 at node-hours within 5% (110 / 104 = 1.058: not within).
    expect(renderTrace(result(60, 50)).verdicts.oracleTarget).toBe(false);
    const base = result(60, 50);
    const near = {
      ...base,
      reports: base.reports.map((r) => (r.policy === 'oracle' ? report('oracle', 106, 50) : r)),
    };
    expect(renderTrace(near).verdicts.oracleTarget).toBe(true);
  });

  it('says per queue what share of all executor pods waited for a node', () => {
    const { markdown } = renderTrace(result(90));
    expect(markdown).toContain('| queue | reactive | oracle | predictive p80 | headroom-2 |');
    // predictive: 50 of 1000 pods waited on adhoc, 20 on etl; headroom-2 ran before the field existed.
    expect(markdown).toContain('| adhoc | 10.0% | 0.9% | 5.0% | - |');
    expect(markdown).toContain('| etl | 30.0% | 0.1% | 2.0% | - |');
    expect(markdown).toContain('| all | 40.0% | 1.0% | 7.0% | - |');
  });

  it('states the causal bound: foresight interpolated at 1.05x the oracle node-hours, and at predictive', () => {
    // Oracle 104 node-hours: the target's budget is 109.2, between foresight-2 (105) and -6 (111).
    const foresight = [report('foresight-6', 111, 10), report('foresight-2', 105, 52)];
    const { verdicts, markdown, svg } = renderTrace(result(90, 0, foresight));
    expect(verdicts.causalBound).toBeCloseTo(52 - (4.2 / 6) * 42, 6);
    expect(markdown).toContain('| foresight-2 | 105.0 | 1.010x | 52.0 |');
    expect(markdown).toMatch(
      /causal bound: foresight at the target's budget \(109\.2 node-hours.*\| 22\.6 s \(foresight-2 \.\. foresight-6\); at predictive's node-hours 17\.0 s .*\| foresight misses it too \|/,
    );
    expect(verdicts.summary).toMatch(/^\| t \| 90\.0 \| 100\.0 \| 22\.6 \| 0\.0 \|/);
    expect(svg).toContain('foresight-N');
    // Without foresight runs (results from before it) the bound is unknown, not 0.
    expect(renderTrace(result(90)).verdicts.causalBound).toBeUndefined();
    expect(renderTrace(result(90)).markdown).toContain('no foresight run brackets it');
  });
});
