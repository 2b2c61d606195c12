/**
 * Scale-in: which nodes to remove. Only Spark-free nodes are ever named (a node running an
 * executor, or a driver, or a pod we cannot see, is never removed). Two paths:
 *  - excess: the group is above its max / ceiling / pin; idle nodes go now, least-loaded first,
 *    without waiting (a human or the config asked for a smaller group);
 *  - idle scale-in: in groups with scale-in enabled, nodes idle for `unneededTime` go, least-loaded
 *    first, at most maxNodesPerTick, never below the floor, not while pods wait for capacity, and
 *    not below what the forecast expects to need within the hold window.
 * A NotReady node is removed by idle scale-in only once it is older than NOT_READY_GRACE: younger,
 * it is most likely still booting, and removing it would undo a scale-out we just asked for.
 */
import type { NodeGroupConfig } from '../config/types.js';
import type { GroupFacts, IdleNode } from './group-facts.js';
import type { Limited } from './limits.js';
import type { GroupForecastView, Reason } from './plan.js';
import { holdMessage } from './predictive.js';
import { nodes, reason, since } from './reasons.js';

export const NOT_READY_GRACE_MS = 15 * 60 * 1000;

export interface ScaleInInput {
  readonly group: NodeGroupConfig;
  readonly facts: GroupFacts;
  readonly current: number;
  readonly limits: Limited;
  readonly holdFloor?: number;
  readonly forecast?: GroupForecastView;
  /** node -> epoch ms it has been idle since (already updated for this tick). */
  readonly idleSince: Readonly<Record<string, number>>;
  readonly now: number;
}

export interface ScaleInResult {
  readonly remove: readonly string[];
  readonly reasons: readonly Reason[];
}

const byLoad = (a: IdleNode, b: IdleNode): number =>
  a.requestedCpu - b.requestedCpu ||
  a.requestedMemoryBytes - b.requestedMemoryBytes ||
  (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0);

export function planScaleIn(input: ScaleInInput): ScaleInResult {
  const { group, facts, current, limits } = input;
  const idle = [...facts.idle].sort(byLoad);
  const reasons: Reason[] = [];
  const excess = Math.max(0, current - limits.desired);
  const forced = idle.slice(0, excess);
  if (excess > 0) {
    const stuck = excess - forced.length;
    const rest = stuck > 0 ? `; ${nodes(stuck)} more still run Spark pods and stay until they empty` : '';
    reasons.push(
      reason(
        limits.upperCode,
        `above ${limits.upperText}: removing ${nodes(forced.length)} idle ${list(forced)}${rest}`,
      ),
    );
  }
  const remove = forced.map((n) => n.node.name);
  const left = idle.slice(forced.length);
  if (group.role === 'system') {
    reasons.push(reason('static', 'system group: static, never scaled for load'));
    return { remove, reasons };
  }
  if (!group.scaleIn.enabled) {
    if (left.length > 0)
      reasons.push(reason('scale-out-only', `${nodes(left.length)} idle kept: this group only scales out`));
    return { remove, reasons };
  }
  if (left.length === 0 || excess > 0) return { remove, reasons };
  if (facts.unschedulable.length > 0) {
    reasons.push(reason('unneeded-wait', `${nodes(left.length)} idle kept while pods wait for capacity`));
    return { remove, reasons };
  }
  return idleScaleIn(input, left, remove, reasons);
}

function idleScaleIn(
  input: ScaleInInput,
  idle: IdleNode[],
  remove: string[],
  reasons: Reason[],
): ScaleInResult {
  const { group, current, limits, now } = input;
  const unneededMs = group.scaleIn.unneededSeconds * 1000;
  const eligible: IdleNode[] = [];
  let nextInMs = Infinity;
  let booting = 0;
  for (const candidate of idle) {
    const idleFor = now - (input.idleSince[candidate.node.name] ?? now);
    const settled = candidate.node.ready || now - candidate.node.createdAt >= NOT_READY_GRACE_MS;
    if (!settled) booting++;
    else if (idleFor >= unneededMs) eligible.push(candidate);
    else nextInMs = Math.min(nextInMs, unneededMs - idleFor);
  }
  const waiting = idle.length - eligible.length - booting;
  if (waiting > 0)
    reasons.push(
      reason(
        'unneeded-wait',
        `${nodes(waiting)} idle for less than ${since(unneededMs)}; the next may go in ${since(nextInMs)}`,
      ),
    );
  if (booting > 0)
    reasons.push(
      reason(
        'unneeded-wait',
        `${nodes(booting)} NotReady and younger than ${since(NOT_READY_GRACE_MS)}: likely booting, kept`,
      ),
    );
  if (eligible.length === 0) return { remove, reasons };

  let count = eligible.length;
  const aboveFloor = Math.max(0, current - limits.lower);
  if (aboveFloor < count) {
    count = aboveFloor;
    reasons.push(
      reason(
        limits.lowerCode,
        `keeping ${nodes(eligible.length - count)} idle: not going below the ${limits.lowerText}`,
      ),
    );
  }
  if (input.holdFloor !== undefined && input.forecast && current - count < input.holdFloor) {
    const allowed = Math.max(0, current - input.holdFloor);
    reasons.push(reason('scale-in-hold', holdMessage(group, input.forecast, count - allowed)));
    count = allowed;
  }
  if (count > group.scaleIn.maxNodesPerTick) {
    reasons.push(
      reason('scale-in-cap', `${count} nodes removable, at most ${group.scaleIn.maxNodesPerTick} per tick`),
    );
    count = group.scaleIn.maxNodesPerTick;
  }
  const chosen = eligible.slice(0, count);
  if (chosen.length > 0)
    reasons.push(
      reason(
        'idle-node',
        `removing ${nodes(chosen.length)} idle for at least ${since(unneededMs)}, least-loaded first ${list(chosen)}`,
      ),
    );
  return { remove: [...remove, ...chosen.map((n) => n.node.name)], reasons };
}

function list(chosen: readonly IdleNode[]): string {
  if (chosen.length === 0) return '';
  const names = chosen.slice(0, 5).map((n) => n.node.name);
  const more = chosen.length > 5 ? ` +${chosen.length - 5} more` : '';
  return `(${names.join(', ')}${more})`;
}
