/**
 * One self-contained HTML page: uPlot (bundled from node_modules, inlined), the chart runtime,
 * the charts' data as inline JSON, tables and text. Opens from a file with no network, and embeds
 * nothing from the viewer's machine.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CHART_RUNTIME_JS } from './chart-runtime.js';

export interface SeriesSpec {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly width?: number;
  readonly dash?: readonly number[];
  readonly fill?: string;
  readonly stepped?: boolean;
  readonly bars?: boolean;
  readonly points?: boolean;
}

export interface ChartSpec {
  readonly title: string;
  readonly note?: string;
  /** `time`: x in epoch seconds; `line`: x is a plain number (or a category index). */
  readonly kind: 'time' | 'line';
  readonly x: readonly number[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xLog?: boolean;
  readonly height?: number;
  /** x values are indices into these labels (bar charts). */
  readonly categories?: readonly string[];
  readonly series: readonly SeriesSpec[];
  /** Shade between two series (1-based indices into uPlot's series, i.e. series[i - 1]). */
  readonly bands?: readonly { upper: number; lower: number; fill: string }[];
}

export interface TableSpec {
  readonly title?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

export interface SectionSpec {
  readonly heading: string;
  readonly text?: string;
  readonly tables?: readonly TableSpec[];
  readonly charts?: readonly ChartSpec[];
}

export interface PageSpec {
  readonly title: string;
  readonly subtitle?: string;
  readonly sections: readonly SectionSpec[];
}

/** A colour per series index, distinguishable and colour-blind safe (Okabe-Ito). */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];

const require = createRequire(import.meta.url);
let assets: { js: string; css: string } | undefined;

/** uPlot's browser build and stylesheet, read once from the installed package. */
export function uplotAssets(): { js: string; css: string } {
  assets ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return assets;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element: no `</script>` or `<!--` can close it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export const PAGE_CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d232b; background: #f6f7f9; }
header { background: #1d232b; color: #fff; padding: 16px 28px; }
header h1 { margin: 0; font-size: 20px; } header p { margin: 4px 0 0; color: #c5ccd6; }
main { padding: 8px 28px 40px; max-width: 1400px; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 18px; margin: 16px 0; }
h2 { font-size: 17px; margin: 4px 0 10px; } h3 { font-size: 14px; margin: 14px 0 4px; }
.note { color: #5a6472; margin: 2px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e6e9ed; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; } th { background: #f0f2f5; }
.chart { min-height: 200px; margin: 4px 0 16px; }
`;

function renderTable(t: TableSpec): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${r.map((c) => `<td>${c === null ? '–' : escapeHtml(String(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `${t.title ? `<h3>${escapeHtml(t.title)}</h3>` : ''}<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function renderPage(spec: PageSpec): string {
  const { js, css } = uplotAssets();
  let n = 0;
  const sections = spec.sections.map((s) => {
    const charts = (s.charts ?? []).map((c) => {
      const id = `chart-${++n}`;
      return `<h3>${escapeHtml(c.title)}</h3>${c.note ? `<p class="note">${escapeHtml(c.note)}</p>` : ''}
<div class="chart" data-chart="${id}-data" aria-label="${escapeHtml(c.title)}"></div>
<script type="application/json" id="${id}-data">${scriptJson(c)}</script>`;
    });
    return `<section><h2>${escapeHtml(s.heading)}</h2>${s.text ? `<p class="note">${escapeHtml(s.text)}</p>` : ''}
${(s.tables ?? []).map(renderTable).join('\n')}
${charts.join('\n')}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${escapeHtml(spec.title)}</title>
<style>${css}</style><style>${PAGE_CSS}</style></head>
<body><header><h1>${escapeHtml(spec.title)}</h1>${spec.subtitle ? `<p>${escapeHtml(spec.subtitle)}</p>` : ''}</header>
<main>
${sections.join('\n')}
</main>
<script>${js}</script>
<script>${CHART_RUNTIME_JS}</script>
<script>nodecastDrawAll(document);</script>
</body></html>
`;
}
