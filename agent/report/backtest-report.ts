/**
 * `nodecast backtest --report`: every model's rolling-origin scores on one series as one HTML
 * page: the score table, MASE per model, and for the best model (and `auto`, when it ran) its
 * forecasts at the horizon against the actual series, with the p90 band.
 */
import type { ModelScore, SeriesEvaluation } from '../../forecast/evaluate.js';
import type { Series } from '../../forecast/types.js';
import { PALETTE, renderPage, type ChartSpec } from './html-page.js';

export interface BacktestReportInput {
  readonly source: string;
  readonly series: Series;
  readonly evaluation: SeriesEvaluation;
  readonly generatedAt: Date;
}

const ACTUAL_COLOR = '#1d232b';
const fixed = (x: number, digits: number): string | null => (Number.isFinite(x) ? x.toFixed(digits) : null);

function scoreTable(e: SeriesEvaluation) {
  return {
    columns: ['model', 'MASE', 'sMAPE %', 'p90 coverage', 'seconds', 'note'],
    rows: e.models.map((m) => [
      m.name,
      fixed(m.mase, 3),
      fixed(m.smape, 2),
      Number.isFinite(m.coverageP90) ? `${(m.coverageP90 * 100).toFixed(1)}%` : null,
      fixed(m.seconds, 2),
      m.skipped ?? (m.name === e.best ? 'best' : m.name === e.bestBaseline ? 'best baseline' : ''),
    ]),
  };
}

function maseChart(e: SeriesEvaluation): ChartSpec {
  const ran = e.models.filter((m) => m.skipped === undefined && Number.isFinite(m.mase));
  return {
    title: 'MASE per model',
    note: 'Mean absolute error at the horizon, scaled by the one-day seasonal naive on the training data (lower is better; 1.0 = as good as yesterday at this time).',
    kind: 'line',
    x: ran.map((_, i) => i),
    categories: ran.map((m) => m.name),
    xLabel: 'model',
    yLabel: 'MASE',
    series: [{ label: 'MASE', values: ran.map((m) => m.mase), color: PALETTE[0]!, bars: true }],
  };
}

/** The actual value at each forecast's time (the series' own step grid). */
function actualAt(series: Series, times: readonly number[]): (number | null)[] {
  return times.map((t) => {
    const v = series.values[Math.round((t - series.start) / series.stepMs)];
    return v === undefined || !Number.isFinite(v) ? null : v;
  });
}

function forecastChart(series: Series, e: SeriesEvaluation, m: ModelScore): ChartSpec | undefined {
  const f = m.forecasts;
  if (!f || f.t.length === 0) return undefined;
  const minutes = (e.horizonSteps * e.stepMs) / 60_000;
  return {
    title: `${m.name}: forecast ${minutes} min ahead vs actual`,
    note: `Each point is the forecast made ${minutes} min before its time; the band runs from the point to the p90 (calibrated on the model's own past errors).`,
    kind: 'time',
    x: f.t.map((ms) => ms / 1000),
    xLabel: 'time (UTC)',
    yLabel: 'value',
    series: [
      { label: 'p90', values: f.upperP90, color: '#56B4E9', width: 1 },
      { label: 'forecast', values: f.point, color: '#0072B2' },
      { label: 'actual', values: actualAt(series, f.t), color: ACTUAL_COLOR, dash: [4, 3], width: 1 },
    ],
    bands: [{ upper: 1, lower: 2, fill: 'rgba(86,180,233,0.25)' }],
  };
}

export function renderBacktestReport(input: BacktestReportInput): string {
  const { evaluation: e, series } = input;
  const shown = [e.best, 'auto', e.bestBaseline].filter(
    (name, i, all): name is string => name !== undefined && name !== '' && all.indexOf(name) === i,
  );
  const charts = shown
    .map((name) => e.models.find((m) => m.name === name))
    .filter((m): m is ModelScore => m !== undefined)
    .map((m) => forecastChart(series, e, m))
    .filter((c): c is ChartSpec => c !== undefined);
  const minutes = (e.horizonSteps * e.stepMs) / 60_000;
  return renderPage({
    title: 'nodecast backtest',
    subtitle: `${input.source} - generated ${input.generatedAt.toISOString()}`,
    sections: [
      {
        heading: 'Scores',
        text: `${e.days.toFixed(1)} days at ${e.stepMs / 60_000} min steps (${e.missingSteps} missing); horizon ${minutes} min; ${e.points} forecasts scored per model.`,
        tables: [scoreTable(e)],
        charts: [maseChart(e)],
      },
      { heading: 'Forecast vs actual', charts },
    ],
  });
}
