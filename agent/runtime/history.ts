/**
 * Reloads demand history at start so forecasts resume without waiting a day: from the local
 * store, or (history.source: prometheus, for agents whose disk is not kept) from the agent's own
 * exported demand metric with query_range, written through to the store.
 */
import type { Config } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';
import { backfillFromPrometheus, importHistory } from '../store/prometheus-history.js';
import type { ForecastHub } from './forecast-hub.js';

const DAY_MS = 86_400_000;

export async function loadHistory(deps: {
  config: Config;
  store: Store;
  forecasts: ForecastHub;
  now: number;
  logger: Logger;
  fetch?: typeof fetch;
}): Promise<{ source: 'local' | 'prometheus'; points: number }> {
  const { config, store, forecasts, now, logger } = deps;
  const since = now - Math.max(28, Math.min(35, config.history.retentionDays)) * DAY_MS;
  let source: 'local' | 'prometheus' = 'local';
  if (config.history.source === 'prometheus' && config.history.prometheusUrl) {
    try {
      const series = await backfillFromPrometheus({
        url: config.history.prometheusUrl,
        start: since,
        end: now,
        stepSeconds: config.forecast.stepSeconds,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
      importHistory(store, series);
      source = 'prometheus';
    } catch (err) {
      // Keep going on local history: an unreachable Prometheus must not stop the agent.
      logger.error('history backfill from Prometheus failed; using local history', {
        url: config.history.prometheusUrl,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  store.flushHistory();
  let points = 0;
  for (const group of forecasts.groupNames)
    points += forecasts.load(group, store.loadHistory(group, since, now));
  logger.info('demand history loaded', { source, points });
  return { source, points };
}
