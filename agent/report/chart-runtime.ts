/**
 * The browser side of every nodecast page (HTML reports, the status page): turns a chart spec
 * (plain JSON, see ChartSpec) into a uPlot chart. Plain ES2017 in a string, so pages need no build
 * step: it is inlined next to uPlot itself. Each drawn chart marks its container `data-drawn`, and
 * `window.nodecastCharts` counts them, which the browser tests read.
 */
export const CHART_RUNTIME_JS = String.raw`
(function () {
  'use strict';
  var drawn = 0;
  window.nodecastCharts = { drawn: 0, failed: [] };
  function fmtTime(v) {
    var d = new Date(v * 1000);
    return d.toISOString().slice(5, 16).replace('T', ' ');
  }
  function drawChart(el, spec) {
    var width = Math.max(320, el.clientWidth || 900);
    var series = [{ label: spec.xLabel, value: spec.kind === 'time' ? function (u, v) { return v == null ? '' : fmtTime(v); } : undefined }];
    var data = [spec.x];
    var n = spec.series.length;
    spec.series.forEach(function (s, k) {
      var opts = { label: s.label, stroke: s.color, width: s.width || 1.5, points: { show: !!s.points } };
      if (s.dash) opts.dash = s.dash;
      if (s.fill) opts.fill = s.fill;
      if (s.bars) {
        // Grouped bars: series k of n takes the k-th slice of 0.8 around each category.
        opts.paths = uPlot.paths.bars({
          disp: {
            x0: { unit: 3, values: function () { return spec.x.map(function (x) { return x - 0.4 + (k * 0.8) / n; }); } },
            size: { unit: 3, values: function () { return [0.8 / n]; } },
          },
        });
        opts.fill = s.color;
      } else if (s.stepped) {
        opts.paths = uPlot.paths.stepped({ align: 1 });
      }
      series.push(opts);
      data.push(s.values);
    });
    var xAxis = { label: spec.xLabel };
    if (spec.kind === 'time') {
      xAxis.values = function (u, ticks) { return ticks.map(fmtTime); };
      xAxis.space = 110; // room for "MM-DD HH:MM" labels
    }
    if (spec.categories) {
      xAxis.values = function (u, ticks) { return ticks.map(function (t) { return spec.categories[t] === undefined ? '' : spec.categories[t]; }); };
      xAxis.splits = function () { return spec.x; };
    }
    var opts = {
      width: width,
      height: spec.height || 280,
      series: series,
      axes: [xAxis, { label: spec.yLabel }],
      scales: { x: { time: false, distr: spec.xLog ? 3 : 1 } },
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    };
    if (spec.categories) opts.scales.x.range = [-0.6, spec.categories.length - 0.4];
    if (spec.bands) opts.bands = spec.bands.map(function (b) { return { series: [b.upper, b.lower], fill: b.fill }; });
    var chart = new uPlot(opts, data, el);
    el.dataset.drawn = 'true';
    window.nodecastCharts.drawn = ++drawn;
    return chart;
  }
  function drawAll(root) {
    var nodes = (root || document).querySelectorAll('[data-chart]');
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
      try {
        drawChart(el, spec);
      } catch (err) {
        window.nodecastCharts.failed.push(el.dataset.chart + ': ' + err.message);
        console.error('chart ' + el.dataset.chart + ' failed: ' + err.message);
      }
    }
  }
  window.nodecastDrawChart = drawChart;
  window.nodecastDrawAll = drawAll;
})();
`;
