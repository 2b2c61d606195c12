import { describe, expect, it } from 'vitest';
import type { Config } from '../../agent/config/types.js';
import type { Plan } from '../../agent/decide/plan.js';
import type { LoopPolicy } from '../../sim/policies/loop-policy.js';
import { predictivePolicy, reactivePolicy } from '../../sim/policies/nodecast.js';
import type { SimPolicy } from '../../sim/policies/policy.js';
import type { SimReport } from '../../sim/report.js';
import { defaultPolicyFactories, predictiveWithHistory } from '../../sim/run-policies.js';
import { defaultConfig } from '../../agent/config/load.js';
import { generateTrace } from '../../sim/trace-generate.js';
import type { TraceJob } from '../../sim/trace-types.js';
import { job, simulation, T0, testConfig } from './helpers.js';

const HOUR = 3600;
const DAY = 24 * HOUR;
const EXECUTOR = 'spark-executor';

/** Every day at 10:00 UTC, six 8-executor jobs (12 executor nodes) for 20 minutes; nothing else. */
function dailyBurst(days: number): TraceJob[] {
  const jobs: TraceJob[] = [];
  for (let d = 0; d < days; d++)
    for (let i = 0; i < 6; i++)
      jobs.push(
        job(`burst-${d}-${i}`, d * DAY + 10 * HOUR + i * 20, { executors: 8, durationSeconds: 1200 }),
      );
  return jobs;
}

/** Small executor group, refits every 6 hours (fewer fits keep the test fast). */
function config(mode: 'active' | 'shadow', maxTrustedError = 1.5): Config {
  const base = testConfig({ executorMin: 1, executorMax: 40 });
  return {
    ...base,
    forecast: { ...base.forecast, refitSeconds: 6 * HOUR, maxTrustedError },
    nodeGroups: base.nodeGroups.map((g) =>
      g.name === EXECUTOR ? { ...g, forecast: { ...g.forecast, mode } } : g,
    ),
  };
}

/** Runs one of nodecast's policies (the agent's loop), keeping every plan's executor decision. */
async function run(policy: SimPolicy, jobs: readonly TraceJob[], cfg: Config) {
  const plans: Plan[] = [];
  const loopPolicy = policy as LoopPolicy;
  const recording: SimPolicy = {
    ...policy,
    async tick(sim, trigger) {
      await loopPolicy.tick(sim, trigger);
      const plan = loopPolicy.loop?.last?.plan;
      if (plan) plans.push(plan);
    },
  };
  const sim = simulation(jobs, recording, cfg);
  const report = await sim.run();
  const executor = plans.map((p) => ({ at: p.at, ...p.decisions.find((d) => d.group === EXECUTOR)! }));
  return { report, executor, pending: sim.metrics.executorPendingSeconds };
}

const comparable = ({ wallSeconds: _w, policy: _p, ...rest }: SimReport) => rest;
const codes = (d: { reasons: readonly { code: string }[] }) => d.reasons.map((r) => r.code);

describe('predictive policy in the simulator', () => {
  it('is registered next to static, ca and reactive', () => {
    expect([...defaultPolicyFactories.keys()]).toEqual(['static', 'ca', 'reactive', 'predictive', 'oracle']);
  });

  it('raises the executor group ahead of a known daily burst, so its pods wait less than under reactive', async () => {
    const jobs = dailyBurst(3);
    const cfg = config('active');
    const reactive = await run(reactivePolicy(cfg), jobs, cfg);
    const predictive = await run(predictivePolicy(cfg), jobs, cfg);

    // Day 0 has no history: no forecast, reactive rules only, and the plan says so.
    const day0 = predictive.executor.filter((d) => d.at < T0 + DAY);
    expect(day0.every((d) => codes(d).includes('forecast-unavailable'))).toBe(true);
    expect(day0.some((d) => d.reasons.some((r) => r.message.includes('reactive rules only')))).toBe(true);

    // Day 2: before the first pod of 10:00 exists, the forecast has already raised the target.
    const burst = T0 + (2 * DAY + 10 * HOUR) * 1000;
    const ahead = predictive.executor.filter((d) => d.at >= burst - 600_000 && d.at < burst);
    const raised = ahead.find((d) => codes(d).includes('forecast') && d.target > d.current);
    expect(raised, 'a forecast raise in the 10 minutes before the burst').toBeDefined();
    expect(Math.max(...ahead.map((d) => d.target))).toBeGreaterThanOrEqual(10);
    expect(
      reactive.executor.filter((d) => d.at >= burst - 600_000 && d.at < burst).every((d) => d.target <= 1),
    ).toBe(true);

    // Pods of the last burst (the last 48 scheduled) hardly wait; under reactive they wait for nodes.
    const lastBurst = (p: number[]) => p.slice(-48);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(lastBurst(reactive.pending))).toBeGreaterThan(100);
    expect(mean(lastBurst(predictive.pending))).toBeLessThan(0.5 * mean(lastBurst(reactive.pending)));
    expect(predictive.report.executorPendingSeconds.p95!).toBeLessThan(
      reactive.report.executorPendingSeconds.p95!,
    );
    expect(predictive.report.jobsCompleted).toBe(jobs.length);
    expect(predictive.report.executorNodesRemovedWhileBusy).toBe(0);
  }, 60_000);

  it('in shadow mode never changes a target: the report is identical to reactive', async () => {
    const jobs = dailyBurst(2);
    const cfg = config('shadow');
    const reactive = await run(reactivePolicy(cfg), jobs, cfg);
    const shadow = await run(predictivePolicy(cfg), jobs, cfg);
    expect(comparable(shadow.report)).toEqual(comparable(reactive.report));
    expect(shadow.executor.map((d) => d.target)).toEqual(reactive.executor.map((d) => d.target));
    // It still forecasts, and says what it would have done.
    const said = shadow.executor.flatMap((d) => d.reasons).filter((r) => r.code === 'forecast-shadow');
    expect(said.some((r) => /would keep at least \d+ nodes/.test(r.message))).toBe(true);
  }, 60_000);

  it('falls back to reactive rules when the model is not trusted, and says why', async () => {
    // A day and a half of the generated workload (noisy), and a MASE bound no model can meet: from
    // its first fit the model is untrusted, so the policy never acts on it.
    const start = T0 + DAY * 1000;
    const jobs = generateTrace({ days: 2, seed: 3, start: T0 }).filter(
      (j) => j.submitTime < start + 12 * HOUR * 1000,
    );
    const cfg = config('active', 0.001);
    const reactive = await run(reactivePolicy(cfg), jobs, cfg);
    const predictive = await run(predictivePolicy(cfg), jobs, cfg);
    const untrusted = predictive.executor
      .flatMap((d) => d.reasons)
      .filter((r) => r.code === 'forecast-untrusted');
    expect(untrusted.length).toBeGreaterThan(0);
    expect(untrusted[0]!.message).toMatch(
      /not trusted \(recent error too high: MASE .*\): reactive rules only/,
    );
    expect(predictive.executor.some((d) => codes(d).includes('forecast'))).toBe(false);
    expect(comparable(predictive.report)).toEqual(comparable(reactive.report));
  }, 60_000);

  it('with --history-days starts forecasting from the first tick instead of after a day', async () => {
    const cfg = defaultConfig();
    const start = T0; // the helper simulation starts at T0: history must end there
    const jobs = generateTrace({ days: 1, seed: 3, start }).filter((j) => j.submitTime < start + 3_600_000);
    const reasonsOf = async (policy: SimPolicy): Promise<Set<string>> => {
      const { executor } = await run(policy, jobs, cfg);
      return new Set(executor.flatMap((d) => codes(d)));
    };
    const ctx = { config: cfg, jobs, options: { config: cfg, seed: 1 } };
    const cold = await reasonsOf(await defaultPolicyFactories.get('predictive')!(ctx));
    expect(cold.has('forecast-unavailable')).toBe(true);
    const warm = await reasonsOf(await predictiveWithHistory(2)(ctx));
    expect(warm.has('forecast-unavailable')).toBe(false);
    expect(warm.has('forecast') || warm.has('scale-in-hold')).toBe(true);
  }, 60_000);
});
