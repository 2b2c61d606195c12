/**
 * Reactive scale-out: unschedulable pods that target a group get the nodes a first-fit-decreasing
 * packing says they need, minus the nodes already being provisioned. Quota-held pods are left out
 * (a node cannot help them), and a cooldown after each scale-out keeps a tick that sees a node
 * join before its pods are bound from adding the same capacity twice.
 */
import type { NodeGroupConfig } from '../config/types.js';
import { packPods, type PackResult } from './estimator.js';
import type { GroupFacts } from './group-facts.js';
import type { Reason } from './plan.js';
import { nodes, plural, reason, shapeText, since } from './reasons.js';

export interface ScaleOutProposal {
  /** Nodes to add on top of the current target (0 when none, or held by cooldown). */
  readonly add: number;
  /** The packing of the unschedulable pods, to tell how many stay pending under a cap. */
  readonly pack: PackResult;
  /** Requested nodes that have not registered yet: they absorb the first bins of the packing. */
  readonly provisioning: number;
  readonly reasons: readonly Reason[];
}

export function proposeScaleOut(
  group: NodeGroupConfig,
  facts: GroupFacts,
  current: number,
  lastScaleOutAt: number | undefined,
  now: number,
): ScaleOutProposal {
  const provisioning = Math.max(0, current - facts.nodes.length);
  const pack = packPods(facts.unschedulable, group.shape);
  const reasons: Reason[] = [];
  if (facts.quotaHeld > 0)
    reasons.push(
      reason(
        'quota-held',
        `${plural(facts.quotaHeld, 'pod')} held by queue quota: new nodes cannot help them`,
      ),
    );
  if (facts.unschedulable.length === 0) return { add: 0, pack, provisioning, reasons };

  const pods = plural(facts.unschedulable.length, 'unschedulable pod');
  if (group.role === 'system') {
    reasons.push(reason('static', `${pods} target this static group: it is never scaled for them`));
    return { add: 0, pack, provisioning, reasons };
  }
  const verb = pack.unfittable === 1 ? 'exceeds' : 'exceed';
  const tooBig =
    pack.unfittable > 0
      ? `; ${plural(pack.unfittable, 'pod')} ${verb} an empty node and cannot be helped`
      : '';
  reasons.push(
    reason('pending-pods', `${pods} need ${nodes(pack.nodes)} of ${shapeText(group.shape)}${tooBig}`),
  );
  if (pack.nodes > 0 && provisioning > 0) {
    const covered = Math.min(provisioning, pack.nodes);
    reasons.push(
      reason('provisioning', `${nodes(provisioning)} already provisioning cover ${covered} of them`),
    );
  }
  const add = Math.max(0, pack.nodes - provisioning);
  const cooldownMs = group.scaleOutCooldownSeconds * 1000;
  if (add > 0 && lastScaleOutAt !== undefined && now - lastScaleOutAt < cooldownMs) {
    const left = cooldownMs - (now - lastScaleOutAt);
    reasons.push(
      reason(
        'cooldown',
        `adding ${nodes(add)} held: last scale-out ${since(now - lastScaleOutAt)} ago, cooldown ends in ${since(left)}`,
      ),
    );
    return { add: 0, pack, provisioning, reasons };
  }
  return { add, pack, provisioning, reasons };
}
