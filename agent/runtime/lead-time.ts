/**
 * The forecaster's lead time per group: the measured p90 scale-out latency (request -> nodes
 * Ready) over recent scale-outs, plus one tick, so capacity ordered now is Ready when the forecast
 * demand arrives. Before any scale-out is measured, a configured prior stands in (production saw
 * up to 5 minutes for 2 -> 200 nodes).
 */
import { quantileSorted } from 'simple-statistics';

export class LeadTime {
  private readonly samples = new Map<string, number[]>();

  constructor(
    private readonly tickSeconds: number,
    private readonly opts: { priorSeconds?: number; window?: number } = {},
  ) {}

  record(group: string, latencySeconds: number): void {
    if (!Number.isFinite(latencySeconds) || latencySeconds < 0) return;
    const list = this.samples.get(group) ?? [];
    list.push(latencySeconds);
    const window = this.opts.window ?? 50;
    if (list.length > window) list.splice(0, list.length - window);
    this.samples.set(group, list);
  }

  /** p90 of the recent scale-out latencies (or the prior) plus one tick, in seconds. */
  seconds(group: string): number {
    const list = this.samples.get(group);
    const p90 =
      list && list.length > 0
        ? quantileSorted(
            [...list].sort((a, b) => a - b),
            0.9,
          )
        : this.prior;
    return p90 + this.tickSeconds;
  }

  /** The latency quantile without the tick, for reports. */
  measured(group: string): number | undefined {
    const list = this.samples.get(group);
    return list && list.length > 0
      ? quantileSorted(
          [...list].sort((a, b) => a - b),
          0.9,
        )
      : undefined;
  }

  private get prior(): number {
    return this.opts.priorSeconds ?? 300;
  }
}
