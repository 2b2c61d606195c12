/**
 * What the API shows of the running agent, read from the last tick (never blocking on the loop).
 */
import type { Config } from '../config/types.js';
import type { AgentView, ForecastResponse, GroupStatusView } from '../api/agent-view.js';
import type { ControlLoop } from '../loop.js';
import type { ActiveOverride } from '../decide/plan.js';
import type { Clock } from '../clock.js';
import type { GroupFacts } from '../export/group-status.js';
import type { ForecastHub } from './forecast-hub.js';

export interface AgentViewDeps {
  readonly config: Config;
  readonly loop: ControlLoop;
  readonly clock: Clock;
  readonly forecasts?: ForecastHub;
  readonly overrides?: (now: number) => readonly ActiveOverride[];
  /** Per-group facts of the last tick, already derived by the export stage (not recomputed per request). */
  readonly facts: () => readonly GroupFacts[];
  /** A tick older than this many ticks makes the agent not ready. */
  readonly staleTicks?: number;
}

export class LoopAgentView implements AgentView {
  constructor(private readonly deps: AgentViewDeps) {}

  groups(): readonly GroupStatusView[] {
    const { config, loop } = this.deps;
    const last = loop.last;
    const facts = this.deps.facts();
    const decisions = new Map(last?.plan?.decisions.map((d) => [d.group, d]));
    const off = new Set(
      (this.deps.overrides?.(this.deps.clock.now()) ?? [])
        .filter((o) => o.kind === 'forecast-off')
        .map((o) => o.group),
    );
    return config.nodeGroups.map((g) => {
      const d = decisions.get(g.name);
      const f = facts.find((x) => x.group === g.name);
      return {
        name: g.name,
        role: g.role,
        current: d?.current ?? 0,
        target: d?.target ?? 0,
        min: g.min,
        max: g.max,
        demandNodes: d?.demandNodes ?? 0,
        forecastMode: off.has(g.name) ? 'off' : g.forecast.mode,
        lastReasons: d?.reasons ?? [],
        ...(last?.plan ? { lastPlanAt: last.plan.at } : {}),
        nodes: { ready: f?.ready ?? 0, provisioning: f?.provisioning ?? 0 },
      };
    });
  }

  forecast(group: string, horizonSeconds: number): ForecastResponse | undefined {
    const hub = this.deps.forecasts;
    if (!hub) return undefined;
    const now = this.deps.clock.now();
    const stepSeconds = this.deps.config.forecast.stepSeconds;
    const steps = Math.max(1, Math.ceil(horizonSeconds / stepSeconds));
    const f = hub.forecast(group, now, steps);
    const status = hub.status(group);
    if (!f || !status) return undefined;
    const stepMs = stepSeconds * 1000;
    const first = Math.floor(now / stepMs) * stepMs + stepMs;
    const band = (q: number, i: number): number => f.quantiles.get(q)?.[i] ?? f.point[i]!;
    const points = Array.from(f.point, (point, i) => ({
      t: first + i * stepMs,
      point,
      p10: band(0.1, i),
      p50: band(0.5, i),
      p90: band(0.9, i),
    }));
    return {
      model: f.model,
      trusted: status.trusted,
      ...(status.reason ? { untrustedReason: status.reason } : {}),
      generatedAt: now,
      stepSeconds,
      points,
    };
  }

  ready(): { ready: boolean; reason?: string } {
    const last = this.deps.loop.last;
    if (!last) return { ready: false, reason: 'no tick has run yet' };
    if (last.skipped) return { ready: false, reason: last.skipped };
    const ageMs = this.deps.clock.now() - last.at;
    const limitMs = (this.deps.staleTicks ?? 3) * this.deps.config.tickSeconds * 1000;
    if (ageMs > limitMs) return { ready: false, reason: `last tick ${Math.round(ageMs / 1000)}s ago` };
    return { ready: true };
  }
}
