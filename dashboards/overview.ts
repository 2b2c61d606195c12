/**
 * Overview: per node group, nodes against demand and the forecast band; pending pods; cost and
 * the saving against a fleet fixed at max; usage against requests and capacity.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { catalog as c } from '../agent/telemetry/catalog.js';
import type { MetricDefinition as Def } from '../agent/telemetry/catalog.js';
import { nodecastDashboard, query, row, sel, statPanel, thresholds, timeseriesPanel } from './common.js';

const sumBy = (by: string, expr: string) => `sum by (${by}) (${expr})`;

function fleetPanel() {
  return timeseriesPanel(
    'Nodes vs demand vs forecast: $group',
    [
      query(sumBy('group', sel(c.groupNodes, { state: 'ready' })), 'ready'),
      query(sumBy('group', sel(c.groupNodes, { state: 'not_ready|provisioning' })), 'coming'),
      query(sumBy('group', sel(c.groupTarget)), 'target'),
      query(sumBy('group', sel(c.groupDemand)), 'demand'),
      query(sumBy('group', sel(c.forecastPoint)), 'forecast'),
      query(sumBy('group', sel(c.forecastQuantile)), 'forecast quantile'),
      query(sumBy('group', sel(c.groupMax)), 'max'),
      query(sumBy('group', sel(c.groupMin)), 'min'),
    ],
    {
      description:
        'Ready nodes against bin-packed demand and the target of the plan. The band runs from the point forecast ' +
        'to the forecast quantile at now + lead: where demand leaves the band, the forecast missed.',
      width: 24,
      height: 9,
    },
  )
    .repeat('group')
    .repeatDirection('h')
    .maxPerRow(2)
    .overrideByName('forecast quantile', [
      { id: 'custom.fillBelowTo', value: 'forecast' },
      { id: 'custom.lineWidth', value: 0 },
      { id: 'custom.fillOpacity', value: 25 },
    ])
    .overrideByName('forecast', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }])
    .overrideByRegexp('^(min|max)$', [
      { id: 'custom.lineStyle', value: { fill: 'dot', dash: [2, 6] } },
      { id: 'custom.fillOpacity', value: 0 },
    ]);
}

function summaryStats() {
  const saving =
    `sum(increase(${sel(c.savingTotal)}[$__range])) / ` +
    `(sum(increase(${sel(c.savingTotal)}[$__range])) + sum(increase(${sel(c.costTotal)}[$__range])))`;
  return [
    statPanel('Ready nodes', [query(`sum(${sel(c.groupNodes, { state: 'ready' })})`, 'ready')]),
    statPanel(
      'Unschedulable pods',
      [query(`sum(${sel(c.pendingPods, { reason: 'unschedulable' })})`, 'pods')],
      {
        thresholds: thresholds([null, 'green'], [1, 'orange']),
      },
    ),
    statPanel('Cost over the range', [query(`sum(increase(${sel(c.costTotal)}[$__range]))`, 'cost')], {
      description: 'Node-hours x the configured price per node-hour.',
      unit: 'none',
    }),
    statPanel('Saving vs fleet at max', [query(saving, 'saving')], {
      description: 'Share of the cost of a fleet fixed at max size that autoscaling did not spend.',
      unit: 'percentunit',
      thresholds: thresholds([null, 'red'], [0.2, 'green']),
    }),
  ];
}

function pendingPanels() {
  return [
    timeseriesPanel(
      'Pending pods by role and reason',
      [query(sumBy('group, role, reason', sel(c.pendingPods)), '{{group}} {{role}} {{reason}}')],
      {
        description:
          'unschedulable: needs nodes; quota_held: held by a YuniKorn queue quota, nodes cannot help.',
      },
    ).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
    timeseriesPanel(
      'Oldest unschedulable pod',
      [query(`max by (group, role) (${sel(c.oldestPendingAge)})`, '{{group}} {{role}}')],
      { unit: 's' },
    ),
  ];
}

function costPanels() {
  return [
    timeseriesPanel(
      'Cost per hour vs fleet at max',
      [
        query(sumBy('group', sel(c.costRate)), '{{group}}'),
        query(`sum(${sel(c.maxFleetCostRate)})`, 'fleet at max (all groups)'),
      ],
      { unit: 'none', description: 'In the currency of the configured price per node-hour.' },
    ),
    timeseriesPanel(
      'Saving per hour vs fleet at max',
      [query(sumBy('group', `rate(${sel(c.savingTotal)}[$__rate_interval]) * 3600`), '{{group}}')],
      { unit: 'none' },
    ).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
  ];
}

function usagePanels() {
  const group = (title: string, used: Def, req: Def, alloc: Def, unit: string) =>
    timeseriesPanel(
      title,
      [
        query(sumBy('group', sel(used)), '{{group}} used'),
        query(sumBy('group', sel(req)), '{{group}} requested'),
        query(sumBy('group', sel(alloc)), '{{group}} allocatable'),
      ],
      { unit, description: 'Used (usage source) vs requested by pods vs allocatable on ready nodes.' },
    );
  const queue = (title: string, used: Def, req: Def, max: Def, unit: string) =>
    timeseriesPanel(
      title,
      [
        query(sumBy('queue', sel(used)), '{{queue}} used'),
        query(sumBy('queue', sel(req)), '{{queue}} requested'),
        query(sumBy('queue', sel(max)), '{{queue}} limit'),
      ],
      { unit },
    );
  return [
    group('CPU by group', c.groupUsedCpu, c.groupRequestedCpu, c.groupAllocatableCpu, 'none'),
    group('Memory by group', c.groupUsedMemory, c.groupRequestedMemory, c.groupAllocatableMemory, 'bytes'),
    queue('CPU by queue', c.queueUsedCpu, c.queueRequestedCpu, c.queueMaxCpu, 'none'),
    queue('Memory by queue', c.queueUsedMemory, c.queueRequestedMemory, c.queueMaxMemory, 'bytes'),
  ];
}

export function overviewDashboard(): dashboard.Dashboard {
  const d = nodecastDashboard(
    'nodecast / Overview',
    'nodecast-overview',
    'Node groups against demand and forecast, pending pods, cost and usage.',
  );
  for (const p of summaryStats()) d.withPanel(p);
  d.withRow(row('Node groups')).withPanel(fleetPanel());
  d.withRow(row('Pending pods'));
  for (const p of pendingPanels()) d.withPanel(p);
  d.withRow(row('Cost'));
  for (const p of costPanels()) d.withPanel(p);
  d.withRow(row('Usage'));
  for (const p of usagePanels()) d.withPanel(p);
  return d.build();
}
