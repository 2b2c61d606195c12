/**
 * decide on a large cluster vs one plain linear pass over the same snapshot.
 *   npx tsx bench/decide.ts [--nodes 5000] [--pods 150000] [--runs 15]
 * Target: decide within 20x of the linear pass (median of runs, same process, same snapshot).
 */
import { decide } from '../agent/decide/decide.js';
import { initialPolicyState, type GroupForecastView } from '../agent/decide/plan.js';
import type { ClusterSnapshot } from '../agent/state/snapshot.js';
import { aConfig } from '../test/fixtures/config-builder.js';
import { buildLargeCluster, type LargeClusterOptions } from '../test/fixtures/large-cluster.js';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** The baseline: sum requested cpu and memory per node, then over nodes. */
function linearPass(snapshot: ClusterSnapshot): number {
  const perNode = new Map<string, number>();
  for (const pod of snapshot.pods.values()) {
    if (pod.nodeName === null) continue;
    perNode.set(
      pod.nodeName,
      (perNode.get(pod.nodeName) ?? 0) + pod.requests.cpu + pod.requests.memoryBytes / 2 ** 30,
    );
  }
  let total = 0;
  for (const node of snapshot.nodes.values()) total += perNode.get(node.name) ?? 0;
  return total;
}

function time(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const nodeCount = arg('nodes', 5000);
const podCount = arg('pods', 150_000);
const runs = arg('runs', 15);
const config = aConfig({ 'spark-executor': { max: nodeCount * 2 }, 'spark-driver': { max: nodeCount } });
const forecasts = new Map<string, GroupForecastView>([
  [
    'spark-executor',
    {
      group: 'spark-executor',
      model: 'bench',
      trusted: true,
      demandAtLead: nodeCount * 0.9,
      pointAtLead: nodeCount * 0.8,
      maxDemandWithinHold: nodeCount * 0.95,
      leadSeconds: 390,
    },
  ],
]);

const scenarios: { name: string; options: LargeClusterOptions }[] = [
  {
    name: 'realistic: 5% pending, executors of 400 apps (5 request sizes)',
    options: { nodes: nodeCount, pods: podCount },
  },
  {
    name: 'adversarial: 15% pending, every pending pod a different size',
    options: { nodes: nodeCount, pods: podCount, pendingShare: 0.15, distinctPendingShapes: true },
  },
];

let sink = 0;
for (const { name, options } of scenarios) {
  const snapshot = buildLargeCluster(options);
  // Idle timers already running, so scale-in selection does its full work.
  const warm = decide(snapshot, config, initialPolicyState, 0, { forecasts }).state;
  const now = 3_600_000;
  const once = (): number => decide(snapshot, config, warm, now, { forecasts }).plan.decisions.length;
  for (let i = 0; i < 3; i++) sink += linearPass(snapshot) + once();
  const baseline: number[] = [];
  const policy: number[] = [];
  for (let i = 0; i < runs; i++) {
    baseline.push(time(() => (sink += linearPass(snapshot))));
    policy.push(time(() => (sink += once())));
  }
  const plan = decide(snapshot, config, warm, now, { forecasts }).plan;
  const pending = [...snapshot.pods.values()].filter((p) => p.nodeName === null).length;
  const base = median(baseline);
  const ours = median(policy);
  console.log(`\n${name}`);
  console.log(
    `  snapshot: ${snapshot.nodes.size} nodes, ${snapshot.pods.size} pods (${pending} pending); ${runs} runs`,
  );
  console.log(`  linear pass: median ${base.toFixed(2)} ms`);
  console.log(`  decide:      median ${ours.toFixed(2)} ms`);
  console.log(`  ratio decide / linear pass: ${(ours / base).toFixed(1)}x (target <= 20x)`);
  for (const d of plan.decisions)
    console.log(
      `    ${d.group}: ${d.current} -> ${d.target} (demand ${d.demandNodes}; ${d.reasons.map((r) => r.code).join(', ')})`,
    );
}
if (sink === -1) console.log('unreachable');
