import { describe, expect, it } from 'vitest';
import { metricNamesInPromQL } from './promql-names.js';

const names = (e: string) => metricNamesInPromQL(e).sort();

describe('metricNamesInPromQL', () => {
  it('finds a bare selector and one with matchers', () => {
    expect(names('up')).toEqual(['up']);
    expect(names('nodecast_group_nodes{group=~"$group", state="ready"}')).toEqual(['nodecast_group_nodes']);
  });

  it('skips functions, aggregations and grouping label lists', () => {
    const e =
      'histogram_quantile(0.9, sum by (le, group) (rate(nodecast_scale_out_latency_seconds_bucket{cluster=~"$cluster"}[$__rate_interval])))';
    expect(names(e)).toEqual(['nodecast_scale_out_latency_seconds_bucket']);
    expect(names('sum(a_metric) without (instance) / ignoring(kind) group_left(role) b_metric')).toEqual([
      'a_metric',
      'b_metric',
    ]);
  });

  it('skips keywords, numbers, durations, strings and offsets', () => {
    const e = 'a > bool 1e3 and on(group) b offset 5m or c unless d atan2 0x1f * Inf';
    expect(names(e)).toEqual(['a', 'b', 'c', 'd']);
    expect(names('label_replace(x, "dst", "$1 and foo", "src", "(.*)")')).toEqual(['x']);
    expect(names('avg_over_time((d <= bool q offset $lead)[1d:5m])')).toEqual(['d', 'q']);
  });

  it('skips Grafana variables in every spelling', () => {
    expect(names('rate(m[$__rate_interval]) * $factor + ${other} + ${x:raw}')).toEqual(['m']);
  });

  it('reports names followed by whitespace then a binary operator', () => {
    expect(names('time() - nodecast_last_tick_timestamp_seconds > 120')).toEqual([
      'nodecast_last_tick_timestamp_seconds',
    ]);
  });
});
