/**
 * Every metric named by a dashboard query, a dashboard variable or an alert expression is one the
 * catalog exports, so renaming a metric breaks this test instead of a dashboard in production.
 */
import { describe, expect, it } from 'vitest';
import { exportedSeriesNames } from '../agent/telemetry/catalog.js';
import { metricNamesInPromQL } from '../agent/telemetry/promql-names.js';
import { dashboards, panelQueries, variableQueries } from '../dashboards/index.js';
import { alertRules } from './rules.js';

/** Series Prometheus itself creates for every target. */
const PROMETHEUS_SERIES = new Set(['up']);
const known = new Set([...exportedSeriesNames(), ...PROMETHEUS_SERIES]);

function unknownNames(expr: string): string[] {
  return metricNamesInPromQL(expr).filter((n) => !known.has(n));
}

describe('metric names in dashboards and alerts', () => {
  for (const [file, build] of Object.entries(dashboards)) {
    it(`dashboard ${file} names only exported metrics`, () => {
      const d = build();
      const queries = panelQueries(d);
      expect(queries.length).toBeGreaterThan(3);
      for (const { panel, expr } of queries) {
        expect(metricNamesInPromQL(expr).length, `${panel}: ${expr}`).toBeGreaterThan(0);
        expect(unknownNames(expr), `${panel}: ${expr}`).toEqual([]);
      }
      for (const q of variableQueries(d)) {
        const metric = /^label_values\(([^,]+),/.exec(q)?.[1] ?? '';
        expect(unknownNames(metric), q).toEqual([]);
      }
    });
  }

  it('alert expressions name only exported metrics', () => {
    for (const rule of alertRules()) expect(unknownNames(rule.expr), rule.alert).toEqual([]);
  });

  it('would catch a metric missing from the catalog', () => {
    expect(
      unknownNames('sum(rate(nodecast_scale_out_latency_seconds_bucket[5m])) + nodecast_renamed_metric'),
    ).toEqual(['nodecast_renamed_metric']);
  });
});
