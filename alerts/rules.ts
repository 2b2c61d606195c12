/**
 * nodecast's Prometheus alerts as code. Metric names come from the telemetry catalog and
 * thresholds from config.ts; alerts/build.ts writes them to alerts/nodecast-alerts.yaml and to a
 * PrometheusRule in deploy/. Every alert has a severity, a summary, a description and a runbook
 * anchor in alerts/runbook.md.
 */
import { catalog as c } from '../agent/telemetry/catalog.js';
import type { MetricDefinition } from '../agent/telemetry/catalog.js';
import { alertThresholds } from './config.js';
import type { AlertThresholds } from './config.js';

export type Severity = 'critical' | 'warning' | 'info';

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { readonly severity: Severity };
  readonly annotations: {
    readonly summary: string;
    readonly description: string;
    readonly runbook_url: string;
  };
}

export interface RuleFile {
  readonly groups: readonly { readonly name: string; readonly rules: readonly AlertRule[] }[];
}

/** The anchor GitHub gives the heading `## <alert>` in runbook.md. */
export const runbookAnchor = (alert: string) => alert.toLowerCase();

type Draft = Omit<AlertRule, 'labels' | 'annotations'> & {
  severity: Severity;
  summary: string;
  description: string;
};

export function alertRules(t: AlertThresholds = alertThresholds): AlertRule[] {
  const job = `job="${t.job}"`;
  const m = (def: MetricDefinition, extra = '', series = '') =>
    `${def.name}${series}{${[job, extra].filter(Boolean).join(', ')}}`;
  const per = 'cluster, job, group';
  const drafts: Draft[] = [
    {
      alert: 'NodecastDown',
      expr: `up{${job}} == 0 or absent(up{${job}}) == 1`,
      for: t.agentDownFor,
      severity: 'critical',
      summary: 'nodecast is down or not scraped.',
      description:
        'Prometheus cannot scrape nodecast ({{ $labels.instance }}), or finds no nodecast target at all. ' +
        'Node groups are not scaled while it is down.',
    },
    {
      alert: 'NodecastNotTicking',
      expr:
        `(time() - ${m(c.lastTick)} > ${t.tickStaleSeconds}) ` +
        `and on (cluster, job, instance) (${m(c.isLeader)} == 1)`,
      for: '2m',
      severity: 'critical',
      summary: 'The nodecast leader has stopped ticking.',
      description:
        'The leader {{ $labels.instance }} finished its last tick {{ $value | humanizeDuration }} ago ' +
        `(threshold ${t.tickStaleSeconds}s): the control loop is stuck or failing before the end of a tick.`,
    },
    {
      alert: 'NodecastNoLeader',
      expr: `sum by (cluster, job) (${m(c.isLeader)}) < 1`,
      for: t.noLeaderFor,
      severity: 'critical',
      summary: 'No nodecast replica holds the leader lease.',
      description: 'No replica of {{ $labels.job }} is leader: nothing is being scaled.',
    },
    {
      alert: 'NodecastMultipleLeaders',
      expr: `sum by (cluster, job) (${m(c.isLeader)}) > 1`,
      for: '5m',
      severity: 'warning',
      summary: 'More than one nodecast replica believes it is leader.',
      description:
        '{{ $value }} replicas of {{ $labels.job }} report is_leader=1; they may act on the same groups.',
    },
    {
      alert: 'NodecastScaleOutSlow',
      expr:
        `histogram_quantile(${t.scaleOutLatencyQuantile}, sum by (${per}, le) ` +
        `(rate(${m(c.scaleOutLatency, '', '_bucket')}[${t.scaleOutLatencyWindow}]))) > ${t.scaleOutLatencySeconds}`,
      for: '5m',
      severity: 'warning',
      summary: 'Scale-outs take longer than expected.',
      description:
        `p${Math.round(t.scaleOutLatencyQuantile * 100)} scale-out latency of group {{ $labels.group }} over ` +
        `${t.scaleOutLatencyWindow} is {{ $value | humanizeDuration }} (threshold ${t.scaleOutLatencySeconds}s).`,
    },
    {
      alert: 'NodecastGroupAtMaxWithPendingPods',
      expr:
        `(sum by (${per}) (${m(c.pendingPods, 'reason="unschedulable"')}) > 0) ` +
        `and on (${per}) (max by (${per}) (${m(c.groupTarget)}) >= max by (${per}) (${m(c.groupMax)}))`,
      for: t.atMaxPendingFor,
      severity: 'warning',
      summary: 'A node group is at its max size and pods are waiting.',
      description:
        'Group {{ $labels.group }} is at its maximum size with {{ $value }} unschedulable pods: Spark jobs are queuing.',
    },
    {
      alert: 'NodecastProviderErrors',
      expr: `sum by (${per}, kind) (increase(${m(c.providerErrors)}[${t.providerErrorsWindow}])) >= ${t.providerErrorsMin}`,
      severity: 'warning',
      summary: 'Scaling calls to the provider are failing.',
      description:
        `{{ $value | printf "%.0f" }} provider calls for group {{ $labels.group }} failed with {{ $labels.kind }} ` +
        `in the last ${t.providerErrorsWindow}.`,
    },
    {
      alert: 'NodecastWatchStale',
      expr: `${m(c.watchLastEventAge)} > ${t.watchStaleSeconds}`,
      for: '5m',
      severity: 'warning',
      summary: 'A Kubernetes watch of nodecast receives no events.',
      description:
        'The {{ $labels.kind }} watch of {{ $labels.instance }} has had no event or bookmark for ' +
        '{{ $value | humanizeDuration }}: nodecast may be deciding on stale state.',
    },
    {
      alert: 'NodecastWatchNotSynced',
      expr: `${m(c.watchSynced)} == 0`,
      for: t.watchNotSyncedFor,
      severity: 'warning',
      summary: 'A Kubernetes watch of nodecast has not synced.',
      description:
        'The {{ $labels.kind }} watch of {{ $labels.instance }} has not completed its list: nodecast will not act ' +
        'until it does.',
    },
    {
      alert: 'NodecastForecastUntrusted',
      expr:
        `(max by (${per}) (${m(c.forecastTrusted)}) == 0) ` +
        `unless on (${per}) (max by (${per}) (${m(c.forecastMode, 'mode="off"')}) == 1)`,
      for: t.forecastUntrustedFor,
      severity: 'info',
      summary: 'A forecast has not been trusted for a long time.',
      description:
        `Group {{ $labels.group }} has not trusted its forecast for ${t.forecastUntrustedFor}: it scales ` +
        'reactively only.',
    },
    {
      alert: 'NodecastForecastErrorHigh',
      expr: `max by (${per}) (${m(c.forecastMase)}) > ${t.forecastMaxMase}`,
      for: t.forecastErrorFor,
      severity: 'info',
      summary: 'Forecast error is high.',
      description:
        'The rolling MASE of group {{ $labels.group }} is {{ $value | printf "%.2f" }} ' +
        `(threshold ${t.forecastMaxMase}; 1 is no better than seasonal naive).`,
    },
    {
      alert: 'NodecastExecutorPodsPendingTooLong',
      expr: `max by (${per}) (${m(c.oldestPendingAge, 'role="executor"')}) > ${t.executorPendingSeconds}`,
      for: '2m',
      severity: 'warning',
      summary: 'Spark executor pods have been unschedulable for too long.',
      description:
        'The oldest unschedulable executor pod of group {{ $labels.group }} has waited ' +
        `{{ $value | humanizeDuration }} (threshold ${t.executorPendingSeconds}s).`,
    },
    {
      alert: 'NodecastTickErrors',
      expr:
        `sum by (cluster, job, instance) (rate(${m(c.tickErrors)}[15m])) / ` +
        `sum by (cluster, job, instance) (rate(${m(c.ticks)}[15m])) > ${t.tickErrorRatio}`,
      for: '15m',
      severity: 'warning',
      summary: 'Most nodecast ticks are failing.',
      description:
        '{{ $value | humanizePercentage }} of the ticks of {{ $labels.instance }} failed over 15 minutes.',
    },
  ];
  return drafts.map(({ severity, summary, description, ...rule }) => ({
    ...rule,
    labels: { severity },
    annotations: { summary, description, runbook_url: `${t.runbookUrl}#${runbookAnchor(rule.alert)}` },
  }));
}

export function ruleFile(t: AlertThresholds = alertThresholds): RuleFile {
  return { groups: [{ name: 'nodecast', rules: alertRules(t) }] };
}
