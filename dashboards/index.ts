/** Every nodecast dashboard, by the file name its JSON is written to. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { agentHealthDashboard } from './agent-health.js';
import { forecastAccuracyDashboard } from './forecast-accuracy.js';
import { overviewDashboard } from './overview.js';
import { scaleLatencyDashboard } from './scale-latency.js';

export const dashboards: Readonly<Record<string, () => dashboard.Dashboard>> = {
  'overview.json': overviewDashboard,
  'scale-latency.json': scaleLatencyDashboard,
  'forecast-accuracy.json': forecastAccuracyDashboard,
  'agent-health.json': agentHealthDashboard,
};

/** The committed form of a dashboard: stable, two-space JSON with a final newline. */
export function renderDashboard(d: dashboard.Dashboard): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

/** Every PromQL expression of a dashboard's panels (rows and repeated panels included). */
export function panelQueries(d: dashboard.Dashboard): { panel: string; expr: string }[] {
  const out: { panel: string; expr: string }[] = [];
  const visit = (panels: readonly unknown[] | undefined) => {
    for (const p of panels ?? []) {
      const panel = p as { title?: string; targets?: { expr?: string }[]; panels?: unknown[] };
      for (const t of panel.targets ?? []) if (t.expr) out.push({ panel: panel.title ?? '', expr: t.expr });
      visit(panel.panels);
    }
  };
  visit(d.panels as unknown[] | undefined);
  return out;
}

/** The queries of a dashboard's template variables (`label_values(...)`). */
export function variableQueries(d: dashboard.Dashboard): string[] {
  const list = (d.templating?.list ?? []) as { type?: string; query?: unknown }[];
  return list.filter((v) => v.type === 'query' && typeof v.query === 'string').map((v) => v.query as string);
}
