/**
 * `foresight-N`: the best a causal agent could do, to set between predictive and the oracle. It
 * knows everything an agent could know and nothing it could not:
 * - the exact future demand of the trace's scheduled jobs (cron jobs an operator can declare);
 * - the demand of everything already submitted, held over the lead (no agent knows when an
 *   ad hoc job will finish);
 * - the arrival rate of unscheduled demand by hour of week, measured on the trace itself: N spare
 *   nodes at the busiest hour of the week, scaled down with the rate elsewhere. That is the most a
 *   forecast of a Poisson workload can give; which jobs arrive, and when, it cannot know.
 * The oracle also knows every unscheduled arrival; the distance between the two is the price of
 * not seeing the future, which no forecaster can close.
 */
import type { Config } from '../../agent/config/types.js';
import type { ActiveOverride, GroupForecastView } from '../../agent/decide/plan.js';
import type { ForecastInputs, ForecastSource } from '../../agent/loop.js';
import type { DemandTrace } from './demand-trace.js';
import { OracleForecasts } from './oracle.js';

const WEEK_HOURS = 168;

/** Hour of the week (0 = Sunday 00:00 UTC) of an epoch-ms time. */
const hourOfWeek = (t: number): number => {
  const d = new Date(t);
  return d.getUTCDay() * 24 + d.getUTCHours();
};

/**
 * Per group, the unscheduled demand (all demand minus the scheduled jobs') averaged by hour of
 * week, relative to the busiest hour: 1 there, 0 where no unscheduled job ever runs.
 */
export function unscheduledRateShape(
  all: DemandTrace,
  scheduled: DemandTrace,
  group: string,
): (t: number) => number {
  const sums = new Float64Array(WEEK_HOURS);
  const counts = new Float64Array(WEEK_HOURS);
  const values = all.values(group);
  for (let i = 0; i < values.length; i++) {
    const t = all.start + i * all.stepMs;
    const h = hourOfWeek(t);
    sums[h]! += Math.max(0, values[i]! - scheduled.max(group, t, t));
    counts[h]!++;
  }
  const means = Array.from(sums, (s, h) => (counts[h]! > 0 ? s / counts[h]! : 0));
  const peak = Math.max(...means);
  if (peak <= 0) return () => 0;
  return (t) => means[hourOfWeek(t)]! / peak;
}

export interface ForesightInputs {
  /** Demand of the trace's scheduled jobs alone, recorded with every group at max. */
  readonly scheduled: DemandTrace;
  /** Spare nodes at a time, per group, from the unscheduled rate (unscheduledRateShape x N). */
  readonly spare: (group: string, t: number) => number;
}

/** The oracle over the scheduled jobs' future, plus the unscheduled work seen so far and the spare nodes. */
export class ForesightForecasts implements ForecastSource {
  private readonly scheduledOracle: OracleForecasts;
  private demand: ReadonlyMap<string, number> = new Map();

  constructor(
    private readonly config: Config,
    private readonly inputs: ForesightInputs,
  ) {
    this.scheduledOracle = new OracleForecasts(config, inputs.scheduled);
  }

  ingest(now: number, inputs: ForecastInputs): void {
    this.demand = inputs.demandNodes;
    this.scheduledOracle.ingest(now, inputs);
  }

  views(now: number, overrides: readonly ActiveOverride[]): ReadonlyMap<string, GroupForecastView> {
    const tickMs = this.config.tickSeconds * 1000;
    const { scheduled, spare } = this.inputs;
    const out = new Map<string, GroupForecastView>();
    for (const [group, view] of this.scheduledOracle.views(now, overrides)) {
      // What runs now beyond the scheduled jobs is unscheduled work, assumed to go on.
      const unscheduledNow = Math.max(
        0,
        (this.demand.get(group) ?? 0) - scheduled.max(group, now - tickMs, now),
      );
      const extra = unscheduledNow + spare(group, now + view.leadSeconds * 1000);
      out.set(group, {
        ...view,
        model: 'foresight',
        demandAtLead: view.demandAtLead + extra,
        pointAtLead: view.pointAtLead + extra,
        maxDemandWithinHold: view.maxDemandWithinHold + extra,
      });
    }
    return out;
  }
}

/** Spare nodes N x the group's unscheduled rate shape, rounded up (N at the busiest hour). */
export function shapedSpare(
  shapes: ReadonlyMap<string, (t: number) => number>,
  spareNodes: number,
): (group: string, t: number) => number {
  return (group, t) => Math.max(0, Math.ceil(spareNodes * (shapes.get(group)?.(t) ?? 0) - 1e-9));
}
