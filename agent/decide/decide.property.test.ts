/**
 * Properties of decide over random scenarios (test/fixtures/arbitraries.ts): the safety rules
 * the production team relied on, checked against an independent reading of the snapshot.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioArb, type Scenario } from '../../test/fixtures/arbitraries.js';
import { defaultConfig } from '../config/load.js';
import type { ClusterSnapshot } from '../state/snapshot.js';
import { decide } from './decide.js';
import { estimateNewNodes } from './estimator.js';

const RUNS = { numRuns: 300 };

/** Nodes that host a Spark pod (or a pod the snapshot does not know): never to be removed. */
function protectedNodes(snapshot: ClusterSnapshot): Set<string> {
  const out = new Set<string>();
  for (const pod of snapshot.pods.values()) {
    const live = pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
    if (live && pod.nodeName !== null && pod.sparkRole !== null) out.add(pod.nodeName);
  }
  for (const node of snapshot.nodes.values())
    if (node.podUids.some((uid) => !snapshot.pods.has(uid))) out.add(node.name);
  return out;
}

/** Nodes of a group decide could ever remove: not protected and not cordoned. */
function removable(snapshot: ClusterSnapshot, group: string): string[] {
  const guarded = protectedNodes(snapshot);
  return [...snapshot.nodes.values()]
    .filter((n) => n.group === group && !n.unschedulable && !guarded.has(n.name))
    .map((n) => n.name);
}

const run = (s: Scenario) => decide(s.snapshot, s.config, s.state, s.now, s.inputs);

describe('decide properties', () => {
  it('targets stay within [min, max]; above max only while the excess still runs Spark pods', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        for (const d of run(s).plan.decisions) {
          const group = s.config.nodeGroups.find((g) => g.name === d.group)!;
          expect(d.target).toBeGreaterThanOrEqual(group.min);
          if (d.target > group.max) {
            // Only when the group already was above max and every removable node is being removed.
            expect(d.current).toBeGreaterThan(group.max);
            expect([...d.removeNodes].sort()).toEqual(removable(s.snapshot, d.group).sort());
          }
        }
      }),
      RUNS,
    );
  });

  it('never removes a node running a Spark pod, a cordoned node, or a node of another group', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const guarded = protectedNodes(s.snapshot);
        for (const d of run(s).plan.decisions) {
          expect(new Set(d.removeNodes).size).toBe(d.removeNodes.length);
          for (const name of d.removeNodes) {
            const node = s.snapshot.nodes.get(name);
            expect(node?.group).toBe(d.group);
            expect(node?.unschedulable).toBe(false);
            expect(guarded.has(name)).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it('scale-in names its nodes: target == current - removeNodes.length whenever the target drops', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        for (const d of run(s).plan.decisions) {
          if (d.removeNodes.length > 0 || d.target < d.current)
            expect(d.target).toBe(d.current - d.removeNodes.length);
        }
      }),
      RUNS,
    );
  });

  it('under the default config, the driver group never scales in (without overrides)', () => {
    fc.assert(
      fc.property(scenarioArb({ config: defaultConfig(), overrides: false }), (s) => {
        const driver = run(s).plan.decisions.find((d) => d.role === 'driver')!;
        const max = s.config.nodeGroups.find((g) => g.name === driver.group)!.max;
        if (driver.current <= max) {
          expect(driver.removeNodes).toEqual([]);
          expect(driver.target).toBeGreaterThanOrEqual(driver.current);
        }
      }),
      RUNS,
    );
  });

  it('every decision has at least one reason, and one decision per configured group', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const { decisions } = run(s).plan;
        expect(decisions.map((d) => d.group)).toEqual(s.config.nodeGroups.map((g) => g.name));
        for (const d of decisions) {
          expect(d.reasons.length).toBeGreaterThan(0);
          for (const r of d.reasons) expect(r.message.length).toBeGreaterThan(0);
          if (d.target === d.current) expect(d.reasons.map((r) => r.code)).toContain('steady');
        }
      }),
      RUNS,
    );
  });

  it('does not mutate its inputs, and is deterministic', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const before = structuredClone({
          snapshot: s.snapshot,
          state: s.state,
          inputs: s.inputs,
          config: s.config,
        });
        const first = run(s);
        const second = run(s);
        expect({ snapshot: s.snapshot, state: s.state, inputs: s.inputs, config: s.config }).toEqual(before);
        expect(second).toEqual(first);
      }),
      { numRuns: 150 },
    );
  });

  it('carries state correctly: timers only for present idle nodes, scale-out time when the target rose', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const { plan, state } = run(s);
        for (const [name, since] of Object.entries(state.unneededSince)) {
          expect(s.snapshot.nodes.has(name)).toBe(true);
          expect(protectedNodes(s.snapshot).has(name)).toBe(false);
          expect(since).toBe(s.state.unneededSince[name] ?? s.now);
        }
        for (const d of plan.decisions) {
          const expected = d.target > d.current ? s.now : s.state.lastScaleOutAt[d.group];
          expect(state.lastScaleOutAt[d.group]).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  it('removes nothing and adds nothing outside its rules: idle-node removals need the unneeded time', () => {
    fc.assert(
      fc.property(scenarioArb({ overrides: false }), (s) => {
        for (const d of run(s).plan.decisions) {
          const group = s.config.nodeGroups.find((g) => g.name === d.group)!;
          if (d.current > group.max) continue; // excess removal does not wait
          for (const name of d.removeNodes) {
            const since = s.state.unneededSince[name] ?? s.now; // a node first idle now has waited 0
            expect(s.now - since).toBeGreaterThanOrEqual(group.scaleIn.unneededSeconds * 1000);
          }
          expect(d.removeNodes.length).toBeLessThanOrEqual(group.scaleIn.maxNodesPerTick);
        }
      }),
      RUNS,
    );
  });

  it('demandNodes = nodes hosting Spark pods + a packing of the pending, non-quota-held pods', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const guarded = protectedNodes(s.snapshot);
        for (const d of run(s).plan.decisions) {
          const group = s.config.nodeGroups.find((g) => g.name === d.group)!;
          if (group.role === 'system') continue;
          const occupied = [...s.snapshot.nodes.values()].filter(
            (n) => n.group === d.group && guarded.has(n.name),
          ).length;
          const pending = [...s.snapshot.pods.values()]
            .filter((p) => p.group === d.group && p.nodeName === null && !p.quotaHeld)
            .filter((p) => p.phase !== 'Succeeded' && p.phase !== 'Failed')
            .map((p) => p.requests);
          expect(d.demandNodes).toBe(occupied + estimateNewNodes(pending, group.shape));
        }
      }),
      RUNS,
    );
  });
});
