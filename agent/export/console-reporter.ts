/**
 * Prints each scale decision with its reasons, one line per change, for people watching the agent
 * in a terminal. Steady groups print nothing; skipped ticks print once per distinct reason.
 */
import type { ActuationResult } from '../actuate/result.js';
import type { TickListener, TickResult } from '../loop.js';

export class ConsoleReporter implements TickListener {
  private lastSkip: string | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly formatTime: (ms: number) => string = (ms) => new Date(ms).toISOString(),
  ) {}

  onTick(result: TickResult): void {
    if (result.skipped) {
      if (result.skipped !== this.lastSkip)
        this.out.write(`${this.formatTime(result.at)} skip  ${result.skipped}\n`);
      this.lastSkip = result.skipped;
      return;
    }
    this.lastSkip = undefined;
    const outcomes = new Map(result.actuation.map((a) => [a.group, a]));
    for (const d of result.plan?.decisions ?? []) {
      if (d.target === d.current && d.removeNodes.length === 0) continue;
      const verb = d.target > d.current ? 'scale-out' : 'scale-in ';
      const outcome = outcomes.get(d.group);
      const status = !result.leader
        ? ' [standby: not acted on]'
        : outcome
          ? ` [${outcome.outcome}${outcomeDetail(outcome)}]`
          : '';
      const reasons = d.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
      this.out.write(
        `${this.formatTime(result.at)} ${verb} ${d.group} ${d.current} -> ${d.target}${status}  (${reasons})\n`,
      );
    }
  }
}

function outcomeDetail(r: ActuationResult): string {
  const detail = r.error ?? r.skipReason;
  const dropped =
    r.droppedNodes.length > 0
      ? `, kept ${r.droppedNodes.map((d) => `${d.node} (${d.reason})`).join(', ')}`
      : '';
  return `${detail ? `: ${detail}` : ''}${dropped}`;
}
