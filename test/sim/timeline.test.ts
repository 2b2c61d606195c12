import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../agent/config/load.js';
import { runPoliciesRecorded, runPolicy } from '../../sim/run-policies.js';
import { cdfOnGrid } from '../../sim/timeline.js';
import { generateTrace } from '../../sim/trace-generate.js';

const start = Date.UTC(2024, 0, 2);
const jobs = generateTrace({ days: 1, seed: 4, start }).filter((j) => j.submitTime < start + 4 * 3_600_000);
const config = defaultConfig();

describe('timeline recording', () => {
  it('observes a run without changing it', async () => {
    const plain = await runPolicy('reactive', jobs, { config, seed: 1 });
    const [recorded] = await runPoliciesRecorded(['reactive'], jobs, { config, seed: 1 });
    expect({ ...recorded!.report, wallSeconds: 0 }).toEqual({ ...plain, wallSeconds: 0 });

    const { timeline } = recorded!;
    const exec = timeline.groups['spark-executor']!;
    const group = config.nodeGroups.find((g) => g.name === 'spark-executor')!;
    expect(exec.t.length).toBeGreaterThan(40); // 4 h+ at 5 min
    expect(exec.t[1]! - exec.t[0]!).toBe(300_000);
    expect(Math.max(...exec.nodes)).toBeLessThanOrEqual(group.max);
    expect(Math.max(...exec.demand)).toBeGreaterThan(0);
    expect(exec.ready.every((r, i) => r <= exec.nodes[i]!)).toBe(true);
    // Node-hours sampled every 5 min agree with the engine's exact accounting within a sample.
    const queueCost = Object.values(timeline.queues).reduce((s, q) => s + q.cost, 0);
    const execCost = queueCost + (timeline.unusedCost['spark-executor'] ?? 0);
    const exact = plain.nodeHoursByGroup['spark-executor']! * group.pricePerNodeHour;
    expect(Math.abs(execCost - exact) / exact).toBeLessThan(0.1);
    expect(timeline.executorPending?.count).toBeGreaterThan(0);
    expect(timeline.executorPending?.share.at(-1)).toBeLessThanOrEqual(1);
  });

  it('builds an empirical CDF on a shared grid', () => {
    expect(cdfOnGrid([0, 1, 1, 5, 100], [0, 1, 10, 1000])).toEqual({
      x: [0, 1, 10, 1000],
      share: [0.2, 0.6, 0.8, 1],
      count: 5,
    });
    expect(cdfOnGrid([], [1, 2]).share).toEqual([0, 0]);
  });
});
