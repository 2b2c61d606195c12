/**
 * Shared factories for nodecast's Grafana dashboards: template variables, PromQL selectors that
 * take metric names from the telemetry catalog (so a renamed metric breaks a test), and panels
 * with nodecast's defaults.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { catalog } from '../agent/telemetry/catalog.js';
import type { MetricDefinition } from '../agent/telemetry/catalog.js';

export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
export const TAG = 'nodecast';

/** Template variables every dashboard has; tests substitute them before querying Prometheus. */
export const VARIABLES = ['datasource', 'cluster', 'group'] as const;

/**
 * A selector for `def` (or one of its histogram series) with the dashboard filters: always
 * `cluster=~"$cluster"`, and `group=~"$group"` for metrics labelled by group.
 */
export function sel(
  def: MetricDefinition,
  matchers: Readonly<Record<string, string>> = {},
  series: '' | '_bucket' | '_sum' | '_count' = '',
): string {
  const parts = ['cluster=~"$cluster"'];
  if (def.labels.includes('group')) parts.push('group=~"$group"');
  for (const [label, value] of Object.entries(matchers)) parts.push(`${label}${matchOp(value)}"${value}"`);
  return `${def.name}${series}{${parts.join(', ')}}`;
}

const matchOp = (value: string) => (/[|*+?()[\]]/.test(value) ? '=~' : '=');

/** `histogram_quantile(q, sum by (le, ...by) (rate(<def>_bucket[$__rate_interval])))`. */
export function quantileOf(q: number, def: MetricDefinition, by: readonly string[], matchers = {}): string {
  const labels = ['le', ...by].join(', ');
  return `histogram_quantile(${q}, sum by (${labels}) (rate(${sel(def, matchers, '_bucket')}[$__rate_interval])))`;
}

export function query(expr: string, legend: string, opts: { instant?: boolean; table?: boolean } = {}) {
  const q = new prometheus.DataqueryBuilder().datasource(DATASOURCE).expr(expr).legendFormat(legend);
  if (opts.instant) q.instant();
  else q.range();
  if (opts.table) q.format(prometheus.PromQueryFormat.Table);
  return q;
}

interface PanelOpts {
  readonly description?: string;
  readonly unit?: string;
  readonly width?: number;
  readonly height?: number;
}

export function timeseriesPanel(title: string, targets: prometheus.DataqueryBuilder[], opts: PanelOpts = {}) {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(opts.description ?? '')
    .datasource(DATASOURCE)
    .targets(targets)
    .unit(opts.unit ?? 'short')
    .span(opts.width ?? 12)
    .height(opts.height ?? 8)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    );
}

export function statPanel(
  title: string,
  targets: prometheus.DataqueryBuilder[],
  opts: PanelOpts & { thresholds?: dashboard.Threshold[]; textMode?: common.BigValueTextMode } = {},
) {
  const panel = new stat.PanelBuilder()
    .title(title)
    .description(opts.description ?? '')
    .datasource(DATASOURCE)
    .targets(targets)
    .unit(opts.unit ?? 'short')
    .span(opts.width ?? 6)
    .height(opts.height ?? 4)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(opts.textMode ?? common.BigValueTextMode.Auto)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (opts.thresholds) {
    panel
      .colorMode(common.BigValueColorMode.Background)
      .thresholds(
        new dashboard.ThresholdsConfigBuilder()
          .mode(dashboard.ThresholdsMode.Absolute)
          .steps(opts.thresholds),
      );
  }
  return panel;
}

/** A latency heatmap from a histogram's buckets, with trace exemplars shown. */
export function heatmapPanel(title: string, def: MetricDefinition, opts: PanelOpts = {}) {
  const target = query(`sum by (le) (increase(${sel(def, {}, '_bucket')}[$__rate_interval]))`, '{{le}}')
    .format(prometheus.PromQueryFormat.Heatmap)
    .exemplar(true);
  return new heatmap.PanelBuilder()
    .title(title)
    .description(opts.description ?? '')
    .datasource(DATASOURCE)
    .withTarget(target)
    .span(opts.width ?? 12)
    .height(opts.height ?? 8)
    .calculate(false)
    .yAxis(new heatmap.YAxisConfigBuilder().unit(opts.unit ?? 's'))
    .color(
      new heatmap.HeatmapColorOptionsBuilder()
        .mode(heatmap.HeatmapColorMode.Scheme)
        .scheme('Oranges')
        .steps(64),
    )
    .exemplarsColor('rgba(255,0,255,0.7)');
}

export function tablePanel(title: string, targets: prometheus.DataqueryBuilder[], opts: PanelOpts = {}) {
  return new table.PanelBuilder()
    .title(title)
    .description(opts.description ?? '')
    .datasource(DATASOURCE)
    .targets(targets)
    .span(opts.width ?? 12)
    .height(opts.height ?? 5);
}

export const thresholds = (...steps: [number | null, string][]): dashboard.Threshold[] =>
  steps.map(([value, color]) => ({ value, color }));

/** Dashboard with nodecast's variables, time range, links to its sibling dashboards and tags. */
export function nodecastDashboard(title: string, uid: string, description: string) {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([TAG])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .link(
      new dashboard.DashboardLinkBuilder('nodecast')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    )
    .withVariable(
      new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'),
    )
    .withVariable(labelVariable('cluster', 'Cluster', catalog.buildInfo, false))
    .withVariable(labelVariable('group', 'Node group', catalog.groupInfo, true));
}

function labelVariable(name: string, label: string, def: MetricDefinition, multi: boolean) {
  const filter = name === 'cluster' ? '' : '{cluster=~"$cluster"}';
  const q = `label_values(${def.name}${filter}, ${name})`;
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(q)
    .definition(q)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .includeAll(true)
    .allValue('.*')
    .multi(multi)
    .current({ text: 'All', value: '$__all' });
}

export const row = (title: string) => new dashboard.RowBuilder(title);
