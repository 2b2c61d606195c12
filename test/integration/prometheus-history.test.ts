/**
 * Backfill against a real Prometheus: two weeks of a demand metric written as OpenMetrics, turned
 * into TSDB blocks by promtool, served by prometheus, read back through backfillFromPrometheus
 * (several query_range chunks) and compared point for point with what was written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backfillFromPrometheus,
  DEMAND_METRIC,
  MAX_POINTS_PER_REQUEST,
} from '../../agent/store/prometheus-history.js';
import type { HistoryPoint } from '../../agent/store/history-repo.js';
import { startPrometheusWithHistory, type PreloadedPrometheus } from './prometheus-backfill-harness.js';
import { requireBinary } from './prometheus-harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../agent/config/load.js';
import { openStore } from '../../agent/store/index.js';
import { ForecastHub } from '../../agent/runtime/forecast-hub.js';
import { LeadTime } from '../../agent/runtime/lead-time.js';
import { loadHistory } from '../../agent/runtime/history.js';
import { MemoryLogger, silentLogger } from '../../agent/logger.js';

const prometheus = requireBinary('prometheus', 'prometheus-history');
const promtool = requireBinary('promtool', 'prometheus-history');

const STEP = 60;
const DAY = 86_400_000;
// Ends an hour before now, on a step boundary: backfilled blocks must lie in the past.
const END = Math.floor((Date.now() - 3_600_000) / (STEP * 1000)) * STEP * 1000;
const START = END - 14 * DAY;

/** A daily cycle with a weekday bump, like executor demand; fractional for the driver group. */
function demand(scale: number, fractional: boolean): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  for (let t = START; t <= END; t += STEP * 1000) {
    const hour = (t % DAY) / 3_600_000;
    const weekday = new Date(t).getUTCDay() % 6 !== 0;
    const v = scale * (2 + Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) * (weekday ? 10 : 4));
    out.push({ t, value: fractional ? Math.round(v * 1000) / 1000 : Math.round(v) });
  }
  return out;
}

describe.skipIf(!prometheus || !promtool)('backfill from a real Prometheus', () => {
  const executor = demand(3, false);
  const driver = demand(0.5, true);
  let prom: PreloadedPrometheus;

  beforeAll(async () => {
    prom = await startPrometheusWithHistory({
      prometheus: prometheus!,
      promtool: promtool!,
      metric: DEMAND_METRIC,
      series: [
        // Two agent replicas export the same executor demand: the backfill query dedupes them.
        { labels: { group: 'spark-executor', instance: 'nodecast-0' }, points: executor },
        { labels: { group: 'spark-executor', instance: 'nodecast-1' }, points: executor },
        { labels: { group: 'spark-driver', instance: 'nodecast-0' }, points: driver },
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
  });

  it('reads back every written point, to the step, across query_range chunks', async () => {
    const requests: string[] = [];
    const counting: typeof fetch = (input, init) => {
      requests.push(String(input));
      return fetch(input, init);
    };
    const series = await backfillFromPrometheus({
      url: prom.url,
      start: START,
      end: END,
      stepSeconds: STEP,
      fetch: counting,
    });
    expect(requests.length).toBe(Math.ceil(executor.length / MAX_POINTS_PER_REQUEST));
    expect([...series.keys()].sort()).toEqual(['spark-driver', 'spark-executor']);
    expect(series.get('spark-executor')).toEqual(executor);
    expect(series.get('spark-driver')).toEqual(driver);
  });

  it("the agent's first forecast from Prometheus history matches one made from the same data loaded directly", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodecast-history-'));
    const config = {
      ...defaultConfig(),
      dataDir: dir,
      history: { source: 'prometheus' as const, prometheusUrl: prom.url, retentionDays: 35 },
    };
    // Prometheus extends the last sample by its 5-minute lookback; the history ends at END here.
    const now = END + 1000;
    const store = openStore(dir);
    try {
      const fromPrometheus = new ForecastHub(config, new LeadTime(config.tickSeconds), store);
      const loaded = await loadHistory({
        config,
        store,
        forecasts: fromPrometheus,
        now,
        logger: silentLogger,
      });
      expect(loaded).toEqual({ source: 'prometheus', points: executor.length });

      const direct = new ForecastHub(config, new LeadTime(config.tickSeconds));
      direct.load('spark-executor', executor);
      const a = fromPrometheus.forecast('spark-executor', now, 30)!;
      const b = direct.forecast('spark-executor', now, 30)!;
      expect(a.model).toBe(b.model);
      expect([...a.point]).toEqual([...b.point]);
      expect([...a.quantiles.get(0.9)!]).toEqual([...b.quantiles.get(0.9)!]);
      // Written through to the local store: a restart without Prometheus resumes from it.
      expect(store.loadHistory('spark-executor', START, END + 1)).toEqual(executor);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreachable Prometheus leaves the agent on its local history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodecast-history-'));
    const config = {
      ...defaultConfig(),
      dataDir: dir,
      history: { source: 'prometheus' as const, prometheusUrl: 'http://127.0.0.1:9', retentionDays: 35 },
    };
    const store = openStore(dir);
    try {
      store.appendHistoryMany(executor.slice(-3000).map((p) => ({ group: 'spark-executor', ...p })));
      const hub = new ForecastHub(config, new LeadTime(config.tickSeconds), store);
      const logger = new MemoryLogger();
      const loaded = await loadHistory({ config, store, forecasts: hub, now: END + 60_000, logger });
      expect(loaded).toEqual({ source: 'local', points: 3000 });
      expect(logger.entries.some((e) => e.level === 'error' && /Prometheus failed/.test(e.message))).toBe(
        true,
      );
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the Prometheus error for a bad query', async () => {
    await expect(
      backfillFromPrometheus({
        url: prom.url,
        query: 'max by (group) (',
        start: START,
        end: END,
        stepSeconds: STEP,
      }),
    ).rejects.toThrow(/HTTP 400 \(bad_data\)/);
  });
});
