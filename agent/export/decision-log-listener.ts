/**
 * Writes the decision log: every plan step that changes a group, fails, or changes its reasons
 * (so the log answers "why" without a row per group every ten seconds).
 */
import type { DecisionInput } from '../store/decisions-repo.js';
import type { TickListener, TickResult } from '../loop.js';

export interface DecisionSink {
  recordDecisions(entries: readonly DecisionInput[]): void;
}

export class DecisionLog implements TickListener {
  private readonly lastReasons = new Map<string, string>();

  constructor(private readonly sink: DecisionSink) {}

  onTick(result: TickResult): void {
    if (!result.plan) return;
    const outcomes = new Map(result.actuation.map((a) => [a.group, a]));
    const entries: DecisionInput[] = [];
    for (const d of result.plan.decisions) {
      const reasonKey = d.reasons.map((r) => r.code).join(',');
      const a = outcomes.get(d.group);
      const changes = d.target !== d.current || d.removeNodes.length > 0;
      if (!changes && a?.outcome !== 'failed' && this.lastReasons.get(d.group) === reasonKey) continue;
      this.lastReasons.set(d.group, reasonKey);
      const outcome = !result.leader ? 'standby' : changes ? (a?.outcome ?? 'skipped') : 'steady';
      const detail = a?.error ?? a?.skipReason;
      entries.push({
        at: result.at,
        group: d.group,
        from: d.current,
        to: d.target,
        reasons: d.reasons,
        outcome,
        ...(detail ? { detail } : {}),
      });
    }
    if (entries.length > 0) this.sink.recordDecisions(entries);
  }
}
