/**
 * Scale latency: how long a scale-out takes (request -> nodes Ready) and how long Spark pods wait
 * (unschedulable -> scheduled), as quantiles and heatmaps per group. Heatmaps show trace exemplars:
 * a slow sample opens the trace of its scale-out.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { catalog as c } from '../agent/telemetry/catalog.js';
import { alertThresholds } from '../alerts/config.js';
import {
  heatmapPanel,
  nodecastDashboard,
  quantileOf,
  query,
  row,
  sel,
  statPanel,
  thresholds,
  timeseriesPanel,
} from './common.js';

const QUANTILES = [0.5, 0.9, 0.99] as const;

function quantilePanel(title: string, def: typeof c.scaleOutLatency | typeof c.podPendingTime, by: string[]) {
  const legend = by.map((l) => `{{${l}}}`).join(' ');
  return timeseriesPanel(
    title,
    QUANTILES.map((q) => query(quantileOf(q, def, by), `${legend} p${Math.round(q * 100)}`)),
    { unit: 's' },
  );
}

export function scaleLatencyDashboard(): dashboard.Dashboard {
  const limit = alertThresholds.scaleOutLatencySeconds;
  const d = nodecastDashboard(
    'nodecast / Scale latency',
    'nodecast-scale-latency',
    'Scale-out latency (request to nodes Ready) and Spark pod pending time, per node group.',
  );
  d.withPanel(
    statPanel(
      'Scale-out p90 (worst group)',
      [query(`max(${quantileOf(0.9, c.scaleOutLatency, ['group'])})`, 'p90')],
      {
        unit: 's',
        description: `Alert threshold: ${limit} s at p90.`,
        thresholds: thresholds([null, 'green'], [limit * 0.8, 'orange'], [limit, 'red']),
      },
    ),
  )
    .withPanel(
      statPanel(
        'Executor pending p90 (worst group)',
        [query(`max(${quantileOf(0.9, c.podPendingTime, ['group'], { role: 'executor' })})`, 'p90')],
        { unit: 's' },
      ),
    )
    .withPanel(statPanel('Nodes added', [query(`sum(increase(${sel(c.scaleOutNodes)}[$__range]))`, 'nodes')]))
    .withPanel(
      statPanel('Nodes removed', [query(`sum(increase(${sel(c.scaleInNodes)}[$__range]))`, 'nodes')]),
    );

  d.withRow(row('Scale-out: request to nodes Ready'))
    .withPanel(quantilePanel('Scale-out latency by group', c.scaleOutLatency, ['group']))
    .withPanel(heatmapPanel('Scale-out latency', c.scaleOutLatency))
    .withPanel(
      timeseriesPanel('Nodes added and removed', [
        query(
          `sum by (group, reason) (increase(${sel(c.scaleOutNodes)}[$__rate_interval]))`,
          '+ {{group}} {{reason}}',
        ),
        query(
          `-sum by (group, reason) (increase(${sel(c.scaleInNodes)}[$__rate_interval]))`,
          '- {{group}} {{reason}}',
        ),
      ]),
    )
    .withPanel(
      timeseriesPanel('Forecast lead time', [query(`max by (group) (${sel(c.forecastLead)})`, '{{group}}')], {
        unit: 's',
        description: 'The forecaster looks this far ahead: measured p90 scale-out latency plus one tick.',
      }),
    );

  d.withRow(row('Pods: unschedulable to scheduled'))
    .withPanel(quantilePanel('Pod pending time by role and group', c.podPendingTime, ['role', 'group']))
    .withPanel(heatmapPanel('Pod pending time', c.podPendingTime));
  return d.build();
}
