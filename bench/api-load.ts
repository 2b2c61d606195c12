/**
 * API under load while the loop ticks: autocannon (a separate process) hammers GET
 * /api/v1/nodegroups on loopback for a few seconds while a fake loop in this process ticks on a
 * timer, each tick doing synchronous CPU work like building a plan (bin-packing a few thousand
 * pods). Reports sustained reads (req/s), their p99 latency, and the tick's duration and start
 * lag under load as a ratio to the same ticks measured idle in this run (target: under 1.5x).
 *
 *   npx tsx bench/api-load.ts [seconds=6] [connections=8]
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { GroupStatusView } from '../agent/api/agent-view.js';
import { createTokenAuth } from '../agent/api/auth.js';
import { buildServer } from '../agent/api/server.js';
import { systemClock } from '../agent/clock.js';
import { apiTestConfig, FakeAgentView } from '../test/fakes/fake-agent-view.js';
import { openTempStore } from '../test/fakes/temp-store.js';

const SECONDS = Number(process.argv[2] ?? 6);
const CONNECTIONS = Number(process.argv[3] ?? 8);
const TICK_MS = 100;
const PODS = 3000;
const TOKEN = 'bench-reader-token-0123456789';

/** First-fit decreasing of random executor requests onto 16-core nodes: the shape of decide's work. */
function buildPlan(seed: number): number {
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pods = Array.from({ length: PODS }, () => 0.5 + Math.floor(rand() * 8) / 2).sort((a, b) => b - a);
  const free: number[] = [];
  for (const cpu of pods) {
    const i = free.findIndex((f) => f >= cpu);
    if (i >= 0) free[i]! -= cpu;
    else free.push(16 - cpu);
  }
  return free.length;
}

interface TickStats {
  durations: number[];
  lags: number[];
  /** Responses the API sent since the previous tick: > 0 means the tick ran under load. */
  served: number[];
}

function startLoop(
  agent: FakeAgentView,
  served: () => number,
): { stats: () => TickStats; reset: () => void; stop: () => void } {
  let stats: TickStats = { durations: [], lags: [], served: [] };
  let expected = performance.now() + TICK_MS;
  let lastServed = served();
  let n = 0;
  const timer = setInterval(() => {
    const start = performance.now();
    stats.lags.push(start - expected);
    stats.served.push(served() - lastServed);
    lastServed = served();
    expected = start + TICK_MS;
    const nodes = buildPlan(++n);
    agent.groupViews = agent.groupViews.map((g): GroupStatusView =>
      g.role === 'executor' ? { ...g, target: Math.min(g.max, nodes), demandNodes: nodes } : g,
    );
    stats.durations.push(performance.now() - start);
  }, TICK_MS);
  return {
    stats: () => stats,
    reset: () => (stats = { durations: [], lags: [], served: [] }),
    stop: () => clearInterval(timer),
  };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

async function main(): Promise<void> {
  const config = apiTestConfig();
  const agent = new FakeAgentView(config);
  const { store, cleanup } = openTempStore();
  const app = buildServer({
    store,
    agent,
    auth: createTokenAuth([{ name: 'bench', token: TOKEN, scopes: ['read'] }]),
    clock: systemClock,
    config,
  });
  let responses = 0;
  app.addHook('onResponse', async () => {
    responses++;
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const loop = startLoop(agent, () => responses);
  try {
    await sleep(1000); // warm up the JIT
    // Idle baseline in two halves, before and after the load, so drift in the box's load evens out.
    loop.reset();
    await sleep((SECONDS * 1000) / 2);
    const idleBefore = loop.stats();
    loop.reset();
    const cannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        cannon,
        '-c',
        String(CONNECTIONS),
        '-d',
        String(SECONDS),
        '-j',
        '-H',
        `authorization=Bearer ${TOKEN}`,
        `${url}/api/v1/nodegroups`,
      ],
      { maxBuffer: 8 * 1024 * 1024 },
    );
    // Only ticks that ran while requests were being served (autocannon's start-up is excluded).
    const all = loop.stats();
    const busy = all.served.map((n) => n > 0);
    const load = {
      durations: all.durations.filter((_, i) => busy[i]),
      lags: all.lags.filter((_, i) => busy[i]),
    };
    loop.reset();
    await sleep((SECONDS * 1000) / 2);
    const idleAfter = loop.stats();
    const idle = {
      durations: [...idleBefore.durations, ...idleAfter.durations],
      lags: [...idleBefore.lags, ...idleAfter.lags],
    };
    const r = JSON.parse(stdout) as CannonResult;
    const row = (name: string, idleV: number, loadV: number) =>
      `| ${name} | ${idleV.toFixed(2)} ms | ${loadV.toFixed(2)} ms | ${(loadV / idleV).toFixed(2)} |`;
    console.log(
      `GET /api/v1/nodegroups, ${CONNECTIONS} connections, ${SECONDS} s, tick every ${TICK_MS} ms (${PODS} pods bin-packed)`,
    );
    console.log(
      `reads: ${Math.round(r.requests.average)} req/s (${r.requests.total} total), latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, non-2xx ${r.non2xx}, errors ${r.errors}`,
    );
    console.log('| tick measure | idle | under load | ratio |\n| --- | --- | --- | --- |');
    console.log(row('duration p50', quantile(idle.durations, 0.5), quantile(load.durations, 0.5)));
    console.log(row('duration p99', quantile(idle.durations, 0.99), quantile(load.durations, 0.99)));
    console.log(row('start lag p99', Math.max(0.01, quantile(idle.lags, 0.99)), quantile(load.lags, 0.99)));
    const ratio = quantile(load.durations, 0.5) / quantile(idle.durations, 0.5);
    console.log(
      `tick duration ratio (p50 load / idle): ${ratio.toFixed(2)} — target < 1.5: ${ratio < 1.5 ? 'met' : 'NOT met'}`,
    );
    console.log(`ticks measured: idle ${idle.durations.length}, under load ${load.durations.length}`);
  } finally {
    loop.stop();
    await app.close();
    cleanup();
  }
}

await main();
