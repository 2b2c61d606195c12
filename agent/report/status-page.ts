/**
 * The agent's status page at `/`: a static shell (no cluster data in it) whose script reads the
 * read-only API with the viewer's bearer token, exactly as any API client: each group's size,
 * target, min/max, demand history and forecast band, the last decisions with reasons, and the
 * active overrides. With auth enabled the token is asked for once and kept in sessionStorage
 * (or passed as `#token=...`: a fragment never reaches the server or its logs).
 */
import { CHART_RUNTIME_JS } from './chart-runtime.js';
import { PAGE_CSS, PALETTE, uplotAssets } from './html-page.js';

const STATUS_CSS = `
.groups { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px; }
.card { border: 1px solid #dde1e6; border-radius: 6px; padding: 8px 12px; }
.card b { font-size: 22px; } .card small { color: #5a6472; display: block; }
#login { display: none; } #login input { width: 360px; padding: 4px; }
.error { color: #b00020; }
`;

/** Browser code; plain ES2017 so the agent serves it as is. */
const STATUS_JS = String.raw`
(function () {
  'use strict';
  var PALETTE = ${JSON.stringify(PALETTE)};
  var fragment = /[#&]token=([^&]+)/.exec(location.hash);
  if (fragment) {
    sessionStorage.setItem('nodecast-token', decodeURIComponent(fragment[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  function token() { return sessionStorage.getItem('nodecast-token'); }
  function api(path) {
    var headers = { accept: 'application/json' };
    if (token()) headers.authorization = 'Bearer ' + token();
    return fetch('api/v1' + path, { headers: headers }).then(function (r) {
      if (r.status === 401 || r.status === 403) { var e = new Error('unauthorized'); e.auth = true; throw e; }
      if (r.status === 404) return null;
      if (!r.ok) return r.json().then(function (b) { throw new Error(b.message || r.statusText); });
      return r.json();
    });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function table(parent, columns, rows) {
    var t = el('table'), head = el('tr');
    columns.forEach(function (c) { head.appendChild(el('th', {}, c)); });
    t.appendChild(el('thead')).appendChild(head);
    var body = t.appendChild(el('tbody'));
    rows.forEach(function (r) {
      var tr = body.appendChild(el('tr'));
      r.forEach(function (c) { tr.appendChild(el('td', {}, c === undefined || c === null ? '–' : String(c))); });
    });
    parent.appendChild(t);
  }
  function secs(iso) { return Date.parse(iso) / 1000; }
  function groupChart(parent, g, history, forecast) {
    var xs = [], demand = [], point = [], lower = [], upper = [];
    (history ? history.points : []).forEach(function (p) { xs.push(secs(p.time)); demand.push(p.value); point.push(null); lower.push(null); upper.push(null); });
    (forecast ? forecast.points : []).forEach(function (p) { xs.push(secs(p.time)); demand.push(null); point.push(p.p50); lower.push(p.p10); upper.push(p.p90); });
    if (xs.length === 0) { parent.appendChild(el('p', { class: 'note' }, g.name + ': no demand history yet')); return; }
    var box = parent.appendChild(el('div', { class: 'chart', 'aria-label': g.name }));
    var spec = {
      kind: 'time', x: xs, xLabel: 'time (UTC)', yLabel: 'nodes',
      series: [
        { label: 'demand', values: demand, color: '#1d232b' },
        { label: 'p90', values: upper, color: '#56B4E9', width: 1 },
        { label: 'p10', values: lower, color: '#56B4E9', width: 1 },
        { label: 'forecast p50', values: point, color: PALETTE[0] },
      ],
      bands: [{ upper: 2, lower: 3, fill: 'rgba(86,180,233,0.25)' }],
    };
    // The chart's spec travels with it so tests read its colours like a report's.
    var json = parent.appendChild(el('script', { type: 'application/json', id: 'status-' + g.name }));
    json.textContent = JSON.stringify(spec);
    box.dataset.chart = 'status-' + g.name;
    window.nodecastDrawChart(box, spec);
  }
  function render() {
    var main = document.getElementById('content');
    main.textContent = '';
    document.getElementById('login').style.display = 'none';
    return api('/nodegroups').then(function (groups) {
      var cards = main.appendChild(el('section'));
      cards.appendChild(el('h2', {}, 'Node groups'));
      var grid = cards.appendChild(el('div', { class: 'groups' }));
      groups.items.forEach(function (g) {
        var c = grid.appendChild(el('div', { class: 'card', 'data-group': g.name }));
        c.appendChild(el('small', {}, g.name + ' (' + g.role + ', forecast ' + g.forecastMode + ')'));
        c.appendChild(el('b', {}, g.current + ' → ' + g.target));
        c.appendChild(el('small', {}, 'min ' + g.min + ', max ' + g.max + ', demand ' + g.demandNodes + ', ready ' + g.nodes.ready + ', provisioning ' + g.nodes.provisioning));
        c.appendChild(el('small', {}, (g.lastReasons[0] || { message: 'no plan yet' }).message));
      });
      var charts = main.appendChild(el('section'));
      charts.appendChild(el('h2', {}, 'Demand over the last 6 hours and the forecast band'));
      var scaled = groups.items.filter(function (g) { return g.role !== 'system'; });
      return Promise.all(scaled.map(function (g) {
        var path = '/nodegroups/' + encodeURIComponent(g.name);
        // Groups with forecasting off have none (a 404 the browser would log).
        var forecast = g.forecastMode === 'off' ? Promise.resolve(null) : api(path + '/forecast?horizon=2h');
        return Promise.all([api(path + '/history?since=6h'), forecast]);
      })).then(function (data) {
        scaled.forEach(function (g, i) { charts.appendChild(el('h3', {}, g.name)); groupChart(charts, g, data[i][0], data[i][1]); });
        return Promise.all([api('/decisions?limit=20'), api('/overrides?status=active')]);
      }).then(function (rest) {
        var d = main.appendChild(el('section'));
        d.appendChild(el('h2', {}, 'Last decisions'));
        table(d, ['time', 'group', 'from', 'to', 'outcome', 'reasons'], rest[0].items.map(function (x) {
          return [x.time.slice(0, 19).replace('T', ' '), x.group, x.from, x.to, x.outcome, x.reasons.map(function (r) { return r.message; }).join('; ')];
        }));
        var o = main.appendChild(el('section'));
        o.appendChild(el('h2', {}, 'Active overrides'));
        if (rest[1].items.length === 0) o.appendChild(el('p', { class: 'note' }, 'none'));
        else table(o, ['group', 'kind', 'value', 'until', 'by', 'reason'], rest[1].items.map(function (x) {
          return [x.group, x.kind, x.value, x.end || (x.cron ? x.cron + ' for ' + x.durationSeconds + ' s' : 'open'), x.createdBy, x.reason];
        }));
        document.getElementById('updated').textContent = 'updated ' + new Date().toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
        document.body.dataset.loaded = 'true';
      });
    }).catch(function (err) {
      if (err.auth) {
        sessionStorage.removeItem('nodecast-token');
        document.getElementById('login').style.display = 'block';
        return;
      }
      main.appendChild(el('p', { class: 'error' }, 'could not load: ' + err.message));
      console.error(err);
    });
  }
  document.getElementById('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    sessionStorage.setItem('nodecast-token', document.getElementById('token').value.trim());
    render();
  });
  render();
  setInterval(render, 60000);
})();
`;

let page: string | undefined;

/** The page, built once per process (it holds no data, only code). */
export function statusPageHtml(): string {
  if (page) return page;
  const { js, css } = uplotAssets();
  page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>nodecast status</title><style>${css}</style><style>${PAGE_CSS}${STATUS_CSS}</style></head>
<body><header><h1>nodecast status</h1><p id="updated">loading…</p></header>
<main>
<section id="login"><h2>Sign in</h2><form id="login-form"><p class="note">A bearer token with the read scope (from api.tokensFile). It stays in this tab only.</p>
<input id="token" type="password" autocomplete="off" placeholder="token"> <button type="submit">Show status</button></form></section>
<div id="content"></div>
</main>
<script>${js}</script>
<script>${CHART_RUNTIME_JS}</script>
<script>${STATUS_JS}</script>
</body></html>
`;
  return page;
}
