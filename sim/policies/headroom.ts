/**
 * `headroom-N`: reactive plus N always-warm spare executor nodes, what teams run today with
 * low-priority overprovisioning pause pods. Expressed as a "forecast" of demand now + N, so it
 * runs through the same loop, actuator and rules as predictive and differs only in where its
 * floor comes from.
 */
import { forecastOffGroups } from '../../agent/decide/overrides.js';
import type { Config } from '../../agent/config/types.js';
import type { ActiveOverride, GroupForecastView } from '../../agent/decide/plan.js';
import type { ForecastInputs, ForecastSource } from '../../agent/loop.js';

export class HeadroomForecasts implements ForecastSource {
  private demand: ReadonlyMap<string, number> = new Map();

  constructor(
    private readonly config: Config,
    readonly spareNodes: number,
  ) {}

  ingest(_now: number, inputs: ForecastInputs): void {
    this.demand = inputs.demandNodes;
  }

  views(_now: number, overrides: readonly ActiveOverride[]): ReadonlyMap<string, GroupForecastView> {
    const off = forecastOffGroups(overrides);
    const out = new Map<string, GroupForecastView>();
    for (const g of this.config.nodeGroups) {
      if (g.role !== 'executor' || off.has(g.name)) continue;
      const wanted = (this.demand.get(g.name) ?? 0) + this.spareNodes;
      out.set(g.name, {
        group: g.name,
        model: `headroom-${this.spareNodes}`,
        trusted: true,
        demandAtLead: wanted,
        pointAtLead: wanted,
        maxDemandWithinHold: wanted,
        leadSeconds: 0,
      });
    }
    return out;
  }
}
