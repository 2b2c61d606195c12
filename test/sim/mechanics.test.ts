import { describe, expect, it } from 'vitest';
import { fixedFleetPolicy } from '../../sim/policies/static.js';
import { GiB } from '../../sim/trace-types.js';
import { job, pods, queue, simulation, T0, testConfig } from './helpers.js';

/** A fleet that never changes: `executors` executor nodes, the config's min elsewhere. */
function fleet(config: ReturnType<typeof testConfig>, executors: number) {
  return fixedFleetPolicy('fixed', (g) => (g.role === 'executor' ? executors : g.min));
}

describe('queue quota (YuniKorn max)', () => {
  it('holds a pod past its queue max as pending + quotaHeld, not unschedulable', async () => {
    const config = testConfig({ queues: [queue('etl', 9)] });
    const sim = simulation(
      [job('a', 0, { executors: 2 }), job('b', 1, { executors: 2 })],
      fleet(config, 4),
      config,
    );
    await sim.runUntil(T0 + 30_000);
    const b = pods(sim).find((p) => p.name === 'b-driver');
    expect(b).toMatchObject({ phase: 'Pending', quotaHeld: true, unschedulable: false });
    expect(pods(sim).filter((p) => p.name.startsWith('a-') && p.phase === 'Running')).toHaveLength(3);
  });

  it('serves applications of a queue first come, first served when quota frees up', async () => {
    const config = testConfig({ queues: [queue('etl', 9)] });
    // Each of b and c needs the whole quota (5 cpu driver + one 4 cpu executor).
    const big = { executors: 1, driverCpu: 5 };
    const jobs = [job('a', 0, { executors: 2 }), job('b', 1, big), job('c', 2, big)];
    const sim = simulation(jobs, fleet(config, 4), config);
    await sim.runUntil(T0 + 700_000); // a ends at 600 s
    const byName = new Map(pods(sim).map((p) => [p.name, p]));
    expect(byName.get('b-driver')?.phase).toBe('Running');
    expect(byName.get('b-exec-1')?.phase).toBe('Running');
    expect(byName.get('c-driver')).toMatchObject({ phase: 'Pending', quotaHeld: true });
  });
});

describe('bin-packing placement', () => {
  it('puts each pod on the most allocated node it fits, not the first', async () => {
    const config = testConfig();
    const jobs = [
      job('a', 0, { executors: 1 }),
      job('b', 10, { executors: 1 }),
      job('c', 20, { executors: 1, executorCpu: 12 }),
      job('d', 30, { executors: 1 }),
    ];
    const sim = simulation(jobs, fleet(config, 3), config);
    await sim.runUntil(T0 + 40_000);
    const node = (name: string) => pods(sim).find((p) => p.name === name)?.node;
    expect(node('b-exec-1')).toBe(node('a-exec-1'));
    expect(node('c-exec-1')).not.toBe(node('a-exec-1'));
    // The node holding 12 cpu is fuller than the one holding 8: d packs onto it.
    expect(node('d-exec-1')).toBe(node('c-exec-1'));
  });
});

describe('Spark application model', () => {
  it('requests executors in batches of 5 per second once the driver runs', async () => {
    const config = testConfig();
    const sim = simulation([job('a', 0, { executors: 18 })], fleet(config, 10), config);
    const executorCounts: number[] = [];
    for (const ms of [500, 1500, 2500, 3500, 10_000]) {
      await sim.runUntil(T0 + ms);
      executorCounts.push(pods(sim).filter((p) => p.name.startsWith('a-exec')).length);
    }
    expect(executorCounts).toEqual([5, 10, 15, 18, 18]);
  });

  it('finishes in duration_seconds with every executor, and ~2x with half of them', async () => {
    const config = testConfig();
    const jobs = [
      // A blocker holds one of the two executor nodes (4 x 4 cpu) for the whole test.
      job('blocker', 0, { executors: 4, durationSeconds: 100_000 }),
      job('starved', 10, { executors: 8, durationSeconds: 1000 }),
      job('alone', 200_000, { executors: 8, durationSeconds: 1000 }),
    ];
    const sim = simulation(jobs, fleet(config, 2), config);
    await sim.run();
    const runtime = (app: string, submit: number) =>
      ((sim.metrics.finishTimes.get(app) ?? NaN) - T0) / 1000 - submit;
    expect(runtime('alone', 200_000)).toBeCloseTo(1000, 0);
    expect(runtime('starved', 10) / 1000).toBeCloseTo(2, 1);
  });

  it('rejects a job that can never fit, with a reason, instead of hanging', async () => {
    const config = testConfig({ executorMax: 10 });
    const jobs = [job('huge', 0, { executors: 100 }), job('fine', 0)];
    const report = await simulation(jobs, fleet(config, 2), config).run();
    expect(report.jobsRejected).toBe(1);
    expect(report.jobsCompleted).toBe(1);
    expect(report.rejections[0]?.reason).toMatch(/100 executors need 25 spark-executor nodes; max is 10/);
  });

  it('rejects a pod larger than any node of its group', async () => {
    const config = testConfig();
    const report = await simulation(
      [job('wide', 0, { executorMemoryBytes: 200 * GiB })],
      fleet(config, 2),
      config,
    ).run();
    expect(report.rejections[0]?.reason).toMatch(/executor .* does not fit a spark-executor node/);
  });
});
