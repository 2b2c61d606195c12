/**
 * The decision policy: a pure function from what we observed (snapshot, forecasts, overrides)
 * and what we remember (PolicyState) to a Plan and the next PolicyState. No I/O, no clock: `now`
 * comes in as an argument so tests and the simulator drive time. Inputs are never mutated.
 *
 * Per group, in order: facts (one pass over the snapshot) -> reactive scale-out -> forecast
 * floors -> overrides and min/max (limits) -> scale-in (which nodes). docs/policy.md explains why.
 */
import type { Config, NodeGroupConfig } from '../config/types.js';
import type { ClusterSnapshot } from '../state/snapshot.js';
import { demandNodes } from './estimator.js';
import { collectGroupFacts, type GroupFacts } from './group-facts.js';
import { applyLimits } from './limits.js';
import { resolveOverrides } from './overrides.js';
import type { DecideInputs, GroupDecision, Plan, PolicyState, Reason } from './plan.js';
import { predictiveFloors } from './predictive.js';
import { nodes, reason } from './reasons.js';
import { planScaleIn } from './scale-in.js';
import { proposeScaleOut, type ScaleOutProposal } from './scale-out.js';

export function decide(
  snapshot: ClusterSnapshot,
  config: Config,
  state: PolicyState,
  now: number,
  inputs: DecideInputs = {},
): { plan: Plan; state: PolicyState } {
  const facts = inputs.facts ?? collectGroupFacts(snapshot, config.nodeGroups);
  const lastScaleOutAt: Record<string, number> = {};
  const unneededSince: Record<string, number> = {};
  const decisions: GroupDecision[] = [];
  for (const group of config.nodeGroups) {
    const groupFacts = facts.get(group.name)!;
    const idleSince = trackIdle(group, groupFacts, state, now);
    Object.assign(unneededSince, idleSince);
    const decision = decideGroup({ group, facts: groupFacts, snapshot, state, now, inputs, idleSince });
    decisions.push(decision);
    const previous = state.lastScaleOutAt[group.name];
    if (decision.target > decision.current) lastScaleOutAt[group.name] = now;
    else if (previous !== undefined) lastScaleOutAt[group.name] = previous;
  }
  return { plan: { at: now, decisions }, state: { lastScaleOutAt, unneededSince } };
}

/**
 * Idle timers for groups that can scale in: carried over for nodes still idle, started for newly
 * idle ones; nodes that are gone, busy again or cordoned drop out (so their clock restarts).
 */
function trackIdle(
  group: NodeGroupConfig,
  facts: GroupFacts,
  state: PolicyState,
  now: number,
): Record<string, number> {
  const timers: Record<string, number> = {};
  if (group.role === 'system' || !group.scaleIn.enabled) return timers;
  for (const { node } of facts.idle) timers[node.name] = state.unneededSince[node.name] ?? now;
  return timers;
}

interface GroupContext {
  readonly group: NodeGroupConfig;
  readonly facts: GroupFacts;
  readonly snapshot: ClusterSnapshot;
  readonly state: PolicyState;
  readonly now: number;
  readonly inputs: DecideInputs;
  readonly idleSince: Readonly<Record<string, number>>;
}

function decideGroup(ctx: GroupContext): GroupDecision {
  const { group, facts, now } = ctx;
  // Without a provider observation, the registered nodes are the best estimate of the target.
  const current = ctx.snapshot.groups.get(group.name)?.targetSize ?? facts.nodes.length;
  const scaleOut = proposeScaleOut(group, facts, current, ctx.state.lastScaleOutAt[group.name], now);
  const overrides = resolveOverrides(group.name, ctx.inputs.overrides);
  const forecast = ctx.inputs.forecasts?.get(group.name);
  const predicted = predictiveFloors(group, forecast, overrides.forecastOff !== undefined, current);
  const limits = applyLimits({
    group,
    current,
    scaleOut,
    overrides,
    forecastFloor: predicted.floor,
    forecast: predicted.forecast,
  });
  const reasons: Reason[] = [
    ...scaleOut.reasons,
    ...predicted.reasons,
    ...overrides.reasons,
    ...limits.reasons,
  ];
  let target = limits.desired;
  let removeNodes: readonly string[] = [];
  if (limits.desired <= current) {
    const scaleIn = planScaleIn({
      group,
      facts,
      current,
      limits,
      holdFloor: predicted.holdFloor,
      forecast: predicted.forecast,
      idleSince: ctx.idleSince,
      now,
    });
    removeNodes = scaleIn.remove;
    target = current - removeNodes.length;
    reasons.push(...scaleIn.reasons);
  }
  if (target === current) reasons.push(reason('steady', `staying at ${nodes(current)}`));
  const demandNow = ctx.inputs.demand?.get(group.name) ?? demand(group, facts, scaleOut);
  return {
    group: group.name,
    role: group.role,
    current,
    target,
    removeNodes,
    demandNodes: demandNow,
    reasons,
  };
}

/** Nodes the group needs now; reuses the scale-out packing when the pending pods are the same set. */
function demand(group: NodeGroupConfig, facts: GroupFacts, scaleOut: ScaleOutProposal): number {
  if (group.role === 'system') return facts.nodes.length;
  // Unschedulable pods are a subset of the pending ones: equal counts means the same pods.
  if (facts.pending.length === facts.unschedulable.length) return facts.occupied + scaleOut.pack.nodes;
  return demandNodes(facts.occupied, facts.pending, group.shape);
}
