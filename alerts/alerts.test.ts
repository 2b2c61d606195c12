import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../test/integration/prometheus-harness.js';
import { alertThresholds } from './config.js';
import { renderPrometheusRule, renderRuleFile } from './render.js';
import { alertRules, runbookAnchor } from './rules.js';

const root = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const testFiles = readdirSync(join(root, 'alerts/tests'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join('alerts/tests', f));

describe('alert rules as code', () => {
  const rules = alertRules();

  it('are committed as generated (run `npx tsx alerts/build.ts` after editing rules)', () => {
    expect(read('alerts/nodecast-alerts.yaml')).toBe(renderRuleFile());
    expect(read('deploy/prometheus-rule.yaml')).toBe(renderPrometheusRule());
  });

  it('wrap the same groups in a PrometheusRule', () => {
    const manifest = parse(read('deploy/prometheus-rule.yaml')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' });
    expect(manifest.spec).toEqual(parse(read('alerts/nodecast-alerts.yaml')));
  });

  it('name each alert once, with severity, summary, description and a runbook anchor that exists', () => {
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    const headings = new Set(
      [...read('alerts/runbook.md').matchAll(/^## (\S+)\s*$/gm)].map((m) => runbookAnchor(m[1] ?? '')),
    );
    for (const r of rules) {
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.annotations.summary.length, r.alert).toBeGreaterThan(10);
      expect(r.annotations.description.length, r.alert).toBeGreaterThan(20);
      expect(r.annotations.runbook_url).toBe(`${alertThresholds.runbookUrl}#${r.alert.toLowerCase()}`);
      expect(headings.has(runbookAnchor(r.alert)), `runbook.md has no "## ${r.alert}"`).toBe(true);
    }
  });

  it('follow the thresholds in config', () => {
    const custom = alertRules({ ...alertThresholds, scaleOutLatencySeconds: 420, job: 'nc' });
    const slow = custom.find((r) => r.alert === 'NodecastScaleOutSlow');
    expect(slow?.expr).toContain('> 420');
    expect(custom.every((r) => !r.expr.includes('job="nodecast"'))).toBe(true);
  });

  it('have promtool unit tests where every alert both fires and stays quiet', () => {
    const firing = new Set<string>();
    const quiet = new Set<string>();
    for (const file of testFiles) {
      const suite = parse(read(file)) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
      };
      for (const t of suite.tests.flatMap((x) => x.alert_rule_test ?? [])) {
        ((t.exp_alerts ?? []).length > 0 ? firing : quiet).add(t.alertname);
      }
    }
    for (const r of rules) {
      expect(firing.has(r.alert), `${r.alert} never fires in alerts/tests`).toBe(true);
      expect(quiet.has(r.alert), `${r.alert} is never checked quiet in alerts/tests`).toBe(true);
    }
  });
});

const promtool = requireBinary('promtool', 'alerts.test');

describe.skipIf(!promtool)('promtool', () => {
  const run = (...args: string[]) =>
    execFileSync(promtool ?? 'promtool', args, {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      stdio: 'pipe',
    });

  it('checks the rule files', () => {
    const files = readdirSync(join(root, 'alerts'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join('alerts', f));
    expect(files.length).toBeGreaterThan(0);
    expect(run('check', 'rules', ...files)).toContain(`SUCCESS: ${alertRules().length} rules found`);
  });

  it('passes the unit tests in alerts/tests', () => {
    expect(testFiles.length).toBeGreaterThan(0);
    expect(run('test', 'rules', ...testFiles)).toContain('SUCCESS');
  });
});
