/**
 * Forecast accuracy: the demand that came against what the forecast said `$lead` earlier, the
 * rolling error, quantile coverage, and whether each group trusts and acts on its forecast.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { catalog as c } from '../agent/telemetry/catalog.js';
import { alertThresholds } from '../alerts/config.js';
import { nodecastDashboard, query, row, sel, statPanel, thresholds, timeseriesPanel } from './common.js';

/** How far back the compared forecast was made; roughly the lead time. */
export const LEAD_OPTIONS = ['5m', '10m', '15m', '30m', '1h'] as const;

function leadVariable() {
  return new dashboard.CustomVariableBuilder('lead')
    .label('Forecast made ago')
    .values(LEAD_OPTIONS.join(','))
    .current({ text: '10m', value: '10m' });
}

function actualVsForecast() {
  return timeseriesPanel(
    'Actual demand vs forecast made $lead earlier: $group',
    [
      query(`sum by (group) (${sel(c.groupDemand)})`, 'actual'),
      query(`sum by (group) (${sel(c.forecastPoint)} offset $lead)`, 'forecast'),
      query(`sum by (group) (${sel(c.forecastQuantile)} offset $lead)`, 'forecast quantile'),
    ],
    { width: 24, height: 9, description: "Pick $lead close to the group's lead time." },
  )
    .repeat('group')
    .maxPerRow(2)
    .overrideByName('forecast quantile', [
      { id: 'custom.fillBelowTo', value: 'forecast' },
      { id: 'custom.lineWidth', value: 0 },
      { id: 'custom.fillOpacity', value: 25 },
    ]);
}

export function forecastAccuracyDashboard(): dashboard.Dashboard {
  const maxMase = alertThresholds.forecastMaxMase;
  const coverage = `avg by (group) (avg_over_time((${sel(c.groupDemand)} <= bool ${sel(c.forecastQuantile)} offset $lead)[1d:1m]))`;
  const d = nodecastDashboard(
    'nodecast / Forecast accuracy',
    'nodecast-forecast-accuracy',
    'Forecast against actual demand, rolling error, trust and mode per node group.',
  ).withVariable(leadVariable());

  d.withPanel(
    statPanel('Mode', [query(`max by (group, mode) (${sel(c.forecastMode)}) == 1`, '{{group}}: {{mode}}')], {
      textMode: common.BigValueTextMode.Name,
      width: 8,
    }),
  )
    .withPanel(
      statPanel('Model', [query(`max by (group, model) (${sel(c.forecastModel)})`, '{{group}}: {{model}}')], {
        textMode: common.BigValueTextMode.Name,
        width: 8,
      }),
    )
    .withPanel(
      statPanel('Trusted', [query(`min by (group) (${sel(c.forecastTrusted)})`, '{{group}}')], {
        width: 8,
        thresholds: thresholds([null, 'red'], [1, 'green']),
      }).mappings([
        {
          type: dashboard.MappingType.ValueToText,
          options: { '0': { text: 'untrusted', color: 'red' }, '1': { text: 'trusted', color: 'green' } },
        },
      ]),
    );

  d.withRow(row('Forecast vs actual')).withPanel(actualVsForecast());
  d.withRow(row('Error'))
    .withPanel(
      timeseriesPanel(
        'Rolling error (MASE vs seasonal naive)',
        [query(`max by (group) (${sel(c.forecastMase)})`, '{{group}}')],
        {
          description: `Below 1 beats seasonal naive; the alert fires above ${maxMase}.`,
        },
      ),
    )
    .withPanel(
      timeseriesPanel('Quantile coverage over 1 day', [query(coverage, '{{group}}')], {
        unit: 'percentunit',
        description:
          'Share of minutes where actual demand stayed at or under the quantile forecast made $lead earlier (a p80 forecast should cover ~80%).',
      }),
    )
    .withPanel(
      timeseriesPanel('Trusted (1) / untrusted (0)', [
        query(`min by (group) (${sel(c.forecastTrusted)})`, '{{group}}'),
      ]),
    )
    .withPanel(
      timeseriesPanel('Lead time', [query(`max by (group) (${sel(c.forecastLead)})`, '{{group}}')], {
        unit: 's',
      }),
    );
  return d.build();
}
