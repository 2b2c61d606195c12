import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboards, panelQueries, renderDashboard } from './index.js';

const committed = (file: string) => readFileSync(join(import.meta.dirname, file), 'utf8');

describe('dashboards as code', () => {
  for (const [file, build] of Object.entries(dashboards)) {
    describe(file, () => {
      const d = build();

      it('is committed as generated (run `npx tsx dashboards/build.ts` after editing)', () => {
        expect(committed(file)).toBe(renderDashboard(d));
      });

      it('has the datasource, cluster and group variables', () => {
        const names = (d.templating?.list ?? []).map((v) => v.name);
        expect(names).toEqual(expect.arrayContaining(['datasource', 'cluster', 'group']));
      });

      it('filters every query by cluster, and uses $__rate_interval in rate()', () => {
        for (const { panel, expr } of panelQueries(d)) {
          expect(expr, panel).toContain('cluster=~"$cluster"');
          for (const m of expr.matchAll(/\b(?:rate|increase)\([^[]*\[([^\]]+)\]/g)) {
            expect(['$__rate_interval', '$__range'], `${panel}: ${expr}`).toContain(m[1]);
          }
        }
      });

      it('points every panel at the datasource variable', () => {
        const panels = (d.panels ?? []).filter((p) => p.type !== 'row') as {
          datasource?: { uid?: string };
        }[];
        expect(panels.length).toBeGreaterThan(3);
        for (const p of panels) expect(p.datasource?.uid).toBe('${datasource}');
      });
    });
  }

  it('gives each dashboard its own uid and the nodecast tag', () => {
    const built = Object.values(dashboards).map((b) => b());
    expect(new Set(built.map((d) => d.uid)).size).toBe(built.length);
    for (const d of built) expect(d.tags).toContain('nodecast');
  });
});
