import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../agent/config/load.js';
import type { ScheduledJobConfig } from '../../agent/config/types.js';
import { ForecastHub } from '../../agent/runtime/forecast-hub.js';
import { LeadTime } from '../../agent/runtime/lead-time.js';

const config = defaultConfig();
const STEP = config.forecast.stepSeconds * 1000;
const NOW = Date.parse('2026-11-26T09:50:00Z');

/** Two days of flat demand (5 nodes) before NOW. */
function warmHub(): ForecastHub {
  const hub = new ForecastHub(config, new LeadTime(config.tickSeconds));
  const points = [];
  for (let t = NOW - 2 * 86_400_000; t < NOW; t += STEP) points.push({ t, value: 5 });
  hub.load('spark-executor', points);
  return hub;
}

const bigJob: ScheduledJobConfig = {
  name: 'spark/nightly-rollup',
  cron: '0 10 * * *', // ten minutes after NOW
  queue: 'etl',
  executors: 40,
  executorCpu: 8,
  executorMemoryBytes: 32 * 2 ** 30,
  durationSeconds: 1800,
};

describe('ForecastHub', () => {
  it('adds the demand of a ScheduledSparkApplication found in the cluster to the forecast', () => {
    const hub = warmHub();
    const before = hub.views(NOW, []).get('spark-executor')!;
    expect(before.maxDemandWithinHold).toBeLessThanOrEqual(6);
    hub.setClusterJobs([bigJob]);
    const after = hub.views(NOW, []).get('spark-executor')!;
    // 40 executors of 8 cpu on 16-cpu nodes: 20 more nodes from 10:00.
    expect(after.maxDemandWithinHold).toBeGreaterThanOrEqual(before.maxDemandWithinHold + 20);
  });

  it('skips a cluster job with a bad cron and keeps the others', () => {
    const hub = warmHub();
    const warnings: string[] = [];
    hub.setClusterJobs([{ ...bigJob, name: 'spark/broken', cron: 'every day' }, bigJob], (m) =>
      warnings.push(m),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('spark/broken');
    expect(hub.views(NOW, []).get('spark-executor')!.maxDemandWithinHold).toBeGreaterThanOrEqual(25);
  });

  it('a forecast-off override removes the group from the views decide gets', () => {
    const hub = warmHub();
    expect(hub.views(NOW, []).has('spark-executor')).toBe(true);
    const off = [{ id: 'o1', group: 'spark-executor', kind: 'forecast-off' as const, reason: 'holiday' }];
    expect(hub.views(NOW, off).has('spark-executor')).toBe(false);
  });

  it("ingest puts this tick's demand into the history before the views are made", () => {
    const hub = warmHub();
    const before = hub.status('spark-executor')!.historySeconds;
    hub.ingest(NOW, { demandNodes: new Map([['spark-executor', 9]]), scaleOuts: [] });
    expect(hub.status('spark-executor')!.historySeconds).toBe(before + STEP / 1000);
  });

  it('moves the model-selection horizon to the measured lead at the next refit', () => {
    const hub = warmHub();
    // The prior lead: 300 s + one tick, in whole 60 s steps.
    expect(hub.status('spark-executor')!.selectionHorizonSeconds).toBe(360);
    const slow = {
      group: 'spark-executor',
      traceId: undefined,
      sincePendingSeconds: undefined,
      readyNodes: 10,
    };
    const scaleOuts = [1, 2, 3].map(() => ({ ...slow, latencySeconds: 900 }));
    hub.ingest(NOW, { demandNodes: new Map([['spark-executor', 5]]), scaleOuts });
    hub.views(NOW, []);
    expect(hub.status('spark-executor')!.selectionHorizonSeconds).toBe(360); // until a refit
    const later = NOW + (config.forecast.refitSeconds + 60) * 1000;
    for (let t = NOW + STEP; t <= later; t += STEP)
      hub.ingest(t, { demandNodes: new Map([['spark-executor', 5]]), scaleOuts: [] });
    hub.views(later, []);
    // p90 of 900 s + one tick = 910 s: 16 steps.
    expect(hub.status('spark-executor')!.selectionHorizonSeconds).toBe(960);
    expect(hub.status('spark-executor')!.fits).toBeGreaterThan(1);
  });
});
