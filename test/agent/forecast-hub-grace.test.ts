import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../agent/config/load.js';
import { ForecastHub } from '../../agent/runtime/forecast-hub.js';
import { LeadTime } from '../../agent/runtime/lead-time.js';

const config = defaultConfig();
const GROUP = 'spark-executor';
const STEP = config.forecast.stepSeconds * 1000;
const NOW = Date.parse('2026-11-26T09:50:00Z');

/** Two days of steady demand (4-6 nodes), then demand jumps to 60 nodes at NOW. */
function hubAfterJump(opts: { trustGraceSeconds?: number } = {}) {
  const hub = new ForecastHub(config, new LeadTime(config.tickSeconds), undefined, opts);
  const points = [];
  for (let t = NOW - 2 * 86_400_000, i = 0; t < NOW; t += STEP, i++) points.push({ t, value: 4 + (i % 3) });
  hub.load(GROUP, points);
  const seen: { t: number; raw: boolean; acted: boolean; grace?: string }[] = [];
  for (let t = NOW; t < NOW + 40 * STEP; t += STEP) {
    hub.observe(t, new Map([[GROUP, 60]]));
    const view = hub.views(t + STEP / 2, []).get(GROUP)!;
    seen.push({
      t,
      raw: hub.status(GROUP)!.trusted,
      acted: view.trusted,
      ...(view.graceReason ? { grace: view.graceReason } : {}),
    });
  }
  return seen;
}

describe('ForecastHub trust grace', () => {
  it('keeps acting on a model flagged untrusted for lead + unneeded time, saying why, then falls back', () => {
    const seen = hubAfterJump();
    const firstFlag = seen.findIndex((s) => !s.raw);
    expect(firstFlag).toBeGreaterThan(0); // the jump gets the model flagged after a few minutes
    const flagged = seen[firstFlag]!;
    expect(flagged.acted).toBe(true);
    expect(flagged.grace).toMatch(/s of a 910 s grace/);
    // The grace counts from the last trusted view: once it has run out the group is reactive.
    const lastTrusted = seen[firstFlag - 1]!.t + STEP / 2;
    for (const s of seen.slice(firstFlag)) {
      const within = s.t + STEP / 2 - lastTrusted <= 910_000;
      if (!s.raw) expect(s.acted).toBe(within);
      if (!s.raw && !within) expect(s.grace).toBeUndefined();
    }
    expect(seen.some((s) => !s.raw && !s.acted)).toBe(true);
  });

  it('with the grace off, the view follows the verdict at once', () => {
    const seen = hubAfterJump({ trustGraceSeconds: 0 });
    expect(seen.some((s) => !s.raw)).toBe(true);
    for (const s of seen) {
      expect(s.acted).toBe(s.raw);
      expect(s.grace).toBeUndefined();
    }
  });
});
