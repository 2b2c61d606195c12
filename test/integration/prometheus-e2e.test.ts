/**
 * End to end with a real Prometheus: it scrapes a nodecast /metrics endpoint every second (in
 * OpenMetrics, with exemplars), loads the alert rules, and then every PromQL expression of every
 * dashboard panel and every alert must evaluate through the HTTP API. The Overview and Scale
 * latency panels must return data.
 *
 * `startMetricsSource` is the one seam: the real agent driving the simulator behind the local
 * Kubernetes API server (what `npm start` runs).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboards, panelQueries, variableQueries } from '../../dashboards/index.js';
import { alertRules } from '../../alerts/rules.js';
import { requireBinary, startPrometheus, substituteVariables } from './prometheus-harness.js';
import type { PrometheusServer, PromResult } from './prometheus-harness.js';
import { startAgentOnSimulator } from './prometheus-agent-source.js';
import type { MetricsSource } from './prometheus-sim-source.js';

const startMetricsSource: () => Promise<MetricsSource> = startAgentOnSimulator;

const MUST_RETURN_DATA = new Set(['overview.json', 'scale-latency.json']);
const prometheusBinary = requireBinary('prometheus', 'prometheus-e2e');

/** At least one sample with a finite value (histogram_quantile of nothing is NaN, not data). */
function hasFiniteValue(r: PromResult): boolean {
  return (r.data?.result ?? []).some((s) => {
    const sample = s as { value?: [number, string]; values?: [number, string][] };
    const values = sample.value ? [sample.value] : (sample.values ?? []);
    return values.some(([, v]) => Number.isFinite(Number(v)));
  });
}

describe.skipIf(!prometheusBinary)('Prometheus end to end', () => {
  let source: MetricsSource;
  let prom: PrometheusServer;

  beforeAll(async () => {
    source = await startMetricsSource();
    prom = await startPrometheus({
      binary: prometheusBinary ?? 'prometheus',
      scrapeUrl: source.url,
      ruleFiles: [join(import.meta.dirname, '../../alerts/nodecast-alerts.yaml')],
    });
    // Enough scrapes for rate() windows, and at least one scale-out and pod sample in them.
    await prom.waitFor('count_over_time(up{job="nodecast"}[1m]) >= 10');
    await prom.waitFor('sum(increase(nodecast_scale_out_latency_seconds_count[10s])) > 0');
    await prom.waitFor('sum(increase(nodecast_pod_pending_seconds_count{role="executor"}[10s])) > 0');
  }, 90_000);

  afterAll(async () => {
    await prom?.stop();
    await source?.stop();
  });

  it('scrapes the target as up, in OpenMetrics with trace exemplars', async () => {
    expect(hasFiniteValue(await prom.query('up{job="nodecast"} == 1'))).toBe(true);
    const end = Date.now() / 1000;
    const res = await prom.get<{ data: { exemplars: { labels: Record<string, string> }[] }[] }>(
      `/api/v1/query_exemplars?query=nodecast_scale_out_latency_seconds_bucket&start=${end - 120}&end=${end}`,
    );
    const ids = res.data.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    if (!source.traceIds()) return;
    // A latency sample's exemplar is its scale-out episode's trace, which is exported when the
    // episode ends: a request can finish while the episode goes on (the target rose meanwhile).
    // So every exemplar must name an exported trace once the episodes in flight have ended.
    const deadline = Date.now() + 30_000;
    let missing = ids.filter((id) => !source.traceIds()!.has(id ?? ''));
    while (missing.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      missing = missing.filter((id) => !source.traceIds()!.has(id ?? ''));
    }
    expect(missing).toEqual([]);
  }, 45_000);

  for (const [file, build] of Object.entries(dashboards)) {
    it(`evaluates every panel query of ${file}`, async () => {
      const failures: string[] = [];
      for (const { panel, expr } of panelQueries(build())) {
        const query = substituteVariables(expr);
        const r = await prom.query(query);
        if (r.status !== 'success') failures.push(`${panel}: ${r.error} in ${query}`);
        else if (MUST_RETURN_DATA.has(file) && !hasFiniteValue(r))
          failures.push(`${panel}: no data for ${query}`);
      }
      expect(failures).toEqual([]);
    });

    it(`resolves the template variables of ${file}`, async () => {
      for (const q of variableQueries(build())) {
        const [, metric, label] = /^label_values\((.+), (\w+)\)$/.exec(substituteVariables(q)) ?? [];
        const res = await prom.get<{ data: string[] }>(
          `/api/v1/label/${label}/values?match[]=${encodeURIComponent(metric ?? '')}`,
        );
        expect(res.data.length, q).toBeGreaterThan(0);
      }
    });
  }

  it('evaluates every alert expression, and loads the rule file with healthy rules', async () => {
    for (const rule of alertRules()) {
      const r = await prom.query(rule.expr);
      expect(r.status, `${rule.alert}: ${r.error}`).toBe('success');
    }
    type Rules = { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
    const loadedRules = async () =>
      (await prom.get<Rules>('/api/v1/rules')).data.groups.flatMap((g) => g.rules);
    expect((await loadedRules()).map((r) => r.name).sort()).toEqual(
      alertRules()
        .map((r) => r.alert)
        .sort(),
    );
    // Health is "unknown" until the first evaluation (every second here), then must be "ok".
    await expect
      .poll(
        async () =>
          (await loadedRules()).filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`),
        {
          timeout: 10_000,
        },
      )
      .toEqual([]);
  });
});
