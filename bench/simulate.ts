/**
 * Wall time to simulate 14 days of the default workload (generate-trace --days 14 --seed 1) with
 * the default config.
 *   npx tsx bench/simulate.ts [--days 14] [--seed 1] [--policies static,reactive,ca]
 * Target: reactive (the agent's ControlLoop + Actuator, ~129k ticks) in < 60 s, aim < 20 s, on 2 cores.
 * Baseline, measured in the same run: `static`, the same trace with no policy ticks at all (its
 * time includes the sizing replay, so two engine runs), so the ratio shows what the policy loop
 * (snapshots + ControlLoop + Actuator) costs on top of the event engine.
 */
import { defaultConfig } from '../agent/config/load.js';
import { runPolicy } from '../sim/run-policies.js';
import { generateTrace } from '../sim/trace-generate.js';

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const days = Number(arg('days', '14'));
const seed = Number(arg('seed', '1'));
const policies = arg('policies', 'static,reactive,ca').split(',');
const config = defaultConfig();

const genStart = performance.now();
const jobs = generateTrace({ days, seed });
const genSeconds = (performance.now() - genStart) / 1000;
console.log(`trace: ${days} days, ${jobs.length} jobs, generated in ${genSeconds.toFixed(2)} s`);

// CPU seconds next to wall seconds: on a shared machine wall time also counts other processes.
const rows: { policy: string; wall: number; cpu: number; ticks: number; simHours: number }[] = [];
for (const policy of policies) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const report = await runPolicy(policy, jobs, { config, seed });
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpuStart);
  rows.push({
    policy,
    wall,
    cpu: (used.user + used.system) / 1e6,
    ticks: report.policyTicks,
    simHours: report.simulatedHours,
  });
}

const baseline = rows.find((r) => r.policy === 'static') ?? rows[0]!;
console.log('policy      wall s    cpu s   vs static   ticks    sim-h/wall-s  target');
for (const r of rows) {
  const target = r.policy === 'reactive' ? (r.wall < 60 ? 'ok (< 60 s)' : 'MISSED (>= 60 s)') : '';
  console.log(
    `${r.policy.padEnd(10)} ${r.wall.toFixed(2).padStart(7)} ${r.cpu.toFixed(2).padStart(8)}` +
      ` ${(r.wall / baseline.wall).toFixed(2).padStart(9)}x` +
      ` ${String(r.ticks).padStart(8)} ${(r.simHours / r.wall).toFixed(0).padStart(12)}   ${target}`,
  );
}
