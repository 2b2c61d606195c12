/**
 * `oracle`: perfect foresight. Its forecast of a group's demand at now + lead is the demand the
 * trace really has then (DemandTrace, recorded with every group at max), with the lead the loop
 * measures, exactly like predictive's. It is the physical limit of pre-scaling under this
 * provisioning delay: predictive can approach it, never beat it, at the same lead.
 */
import { forecastOffGroups } from '../../agent/decide/overrides.js';
import type { Config } from '../../agent/config/types.js';
import type { ActiveOverride, GroupForecastView } from '../../agent/decide/plan.js';
import type { ForecastInputs, ForecastSource } from '../../agent/loop.js';
import { LeadTime } from '../../agent/runtime/lead-time.js';
import type { DemandTrace } from './demand-trace.js';

export class OracleForecasts implements ForecastSource {
  private readonly lead: LeadTime;

  constructor(
    private readonly config: Config,
    private readonly future: DemandTrace,
  ) {
    this.lead = new LeadTime(config.tickSeconds);
  }

  ingest(_now: number, inputs: ForecastInputs): void {
    for (const done of inputs.scaleOuts) this.lead.record(done.group, done.latencySeconds);
  }

  views(now: number, overrides: readonly ActiveOverride[]): ReadonlyMap<string, GroupForecastView> {
    const off = forecastOffGroups(overrides);
    const out = new Map<string, GroupForecastView>();
    const tickMs = this.config.tickSeconds * 1000;
    for (const g of this.config.nodeGroups) {
      if (g.role !== 'executor' || off.has(g.name)) continue;
      const leadSeconds = this.lead.seconds(g.name);
      const at = now + leadSeconds * 1000;
      // Capacity ordered now serves the tick that lands at the lead; earlier ticks cover before it.
      const demandAtLead = this.future.max(g.name, at - tickMs, at);
      out.set(g.name, {
        group: g.name,
        model: 'oracle',
        trusted: true,
        demandAtLead,
        pointAtLead: demandAtLead,
        maxDemandWithinHold: this.future.max(g.name, now, at + g.scaleIn.unneededSeconds * 1000),
        leadSeconds,
      });
    }
    return out;
  }
}
