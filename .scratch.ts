import { startPrometheusWithHistory } from './test/integration/prometheus-backfill-harness.js';
const END = Math.floor((Date.now() - 3_600_000) / 60000) * 60000;
const pts = []; for (let t = END - 14*86400000; t <= END; t += 60000) pts.push({ t, value: Math.round(Math.random()*1000)/1000 });
let t0 = performance.now();
const p = await startPrometheusWithHistory({ prometheus: '/usr/bin/prometheus', promtool: '/usr/bin/promtool', metric: 'nodecast_group_demand_nodes', series: [{ labels: { group: 'a', instance: 'x' }, points: pts }, { labels: { group: 'b' }, points: pts }] });
console.log('start', performance.now() - t0); t0 = performance.now();
await p.stop();
console.log('stop', performance.now() - t0);
