/**
 * Agent health: is the loop ticking, how long each stage takes, errors, leadership, the health of
 * the Kubernetes watches and the running build.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { catalog as c } from '../agent/telemetry/catalog.js';
import { alertThresholds } from '../alerts/config.js';
import {
  nodecastDashboard,
  quantileOf,
  query,
  row,
  sel,
  statPanel,
  tablePanel,
  thresholds,
  timeseriesPanel,
} from './common.js';

export function agentHealthDashboard(): dashboard.Dashboard {
  const stale = alertThresholds.tickStaleSeconds;
  const d = nodecastDashboard(
    'nodecast / Agent health',
    'nodecast-agent-health',
    'The control loop, its stages and errors, leader election, watches and build.',
  );
  d.withPanel(
    statPanel('Leaders', [query(`sum(${sel(c.isLeader)})`, 'leaders')], {
      thresholds: thresholds([null, 'red'], [1, 'green'], [2, 'red']),
      description: 'Exactly one replica should hold the lease.',
    }),
  )
    .withPanel(
      statPanel('Last tick', [query(`time() - max(${sel(c.lastTick)})`, 'age')], {
        unit: 's',
        thresholds: thresholds([null, 'green'], [stale, 'red']),
      }),
    )
    .withPanel(
      statPanel('Ticks per minute', [query(`sum(rate(${sel(c.ticks)}[$__rate_interval])) * 60`, 'ticks')]),
    )
    .withPanel(
      statPanel('Failed ticks', [query(`sum(increase(${sel(c.tickErrors)}[$__range]))`, 'failed')], {
        thresholds: thresholds([null, 'green'], [1, 'orange']),
      }),
    );

  d.withRow(row('Loop'))
    .withPanel(
      timeseriesPanel('Tick stage p99', [query(quantileOf(0.99, c.tickDuration, ['stage']), '{{stage}}')], {
        unit: 's',
      }),
    )
    .withPanel(
      timeseriesPanel(
        'Tick stage mean',
        [
          query(
            `sum by (stage) (rate(${sel(c.tickDuration, {}, '_sum')}[$__rate_interval])) / ` +
              `sum by (stage) (rate(${sel(c.tickDuration, {}, '_count')}[$__rate_interval]))`,
            '{{stage}}',
          ),
        ],
        { unit: 's' },
      ),
    )
    .withPanel(
      timeseriesPanel('Errors', [
        query(
          `sum by (stage) (increase(${sel(c.tickErrors)}[$__rate_interval]))`,
          'tick failed in {{stage}}',
        ),
        query(
          `sum by (group, kind) (increase(${sel(c.providerErrors)}[$__rate_interval]))`,
          'provider {{group}} {{kind}}',
        ),
      ]),
    )
    .withPanel(
      timeseriesPanel('Leader by replica', [query(`max by (instance) (${sel(c.isLeader)})`, '{{instance}}')]),
    );

  d.withRow(row('Watches'))
    .withPanel(
      timeseriesPanel('Last event age', [query(`max by (kind) (${sel(c.watchLastEventAge)})`, '{{kind}}')], {
        unit: 's',
        width: 8,
      }),
    )
    .withPanel(
      timeseriesPanel(
        'Re-lists',
        [query(`sum by (kind) (increase(${sel(c.watchRelists)}[$__rate_interval]))`, '{{kind}}')],
        {
          width: 8,
        },
      ),
    )
    .withPanel(
      timeseriesPanel(
        'Synced (1) / not synced (0)',
        [query(`min by (kind) (${sel(c.watchSynced)})`, '{{kind}}')],
        {
          width: 8,
        },
      ),
    );

  d.withRow(row('Build')).withPanel(
    tablePanel(
      'Running builds',
      [
        query(`max by (instance, version, commit, node_version) (${sel(c.buildInfo)})`, '', {
          instant: true,
          table: true,
        }),
      ],
      { width: 24 },
    ),
  );
  return d.build();
}
