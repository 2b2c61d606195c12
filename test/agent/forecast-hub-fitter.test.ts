import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../agent/config/load.js';
import { ForecastHub } from '../../agent/runtime/forecast-hub.js';
import { LeadTime } from '../../agent/runtime/lead-time.js';
import { type FitRequest, type FitResult, runFit } from '../../forecast/fit-job.js';

const config = defaultConfig();
const STEP = config.forecast.stepSeconds * 1000;
const NOW = Date.parse('2026-11-26T09:50:00Z');

/** Fits in-process, but only when the test lands them. */
class HeldFitter {
  readonly held: (() => void)[] = [];
  fit(request: FitRequest): Promise<FitResult> {
    return new Promise((resolve) => this.held.push(() => resolve(runFit(request))));
  }
}

function load(hub: ForecastHub): void {
  const points = [];
  for (let t = NOW - 2 * 86_400_000; t < NOW; t += STEP) points.push({ t, value: 5 + ((t / STEP) % 3) });
  hub.load('spark-executor', points);
}

describe('ForecastHub with a fitter', () => {
  it('refits its groups through the fitter and serves the view once the fit lands', async () => {
    const fitter = new HeldFitter();
    const hub = new ForecastHub(config, new LeadTime(config.tickSeconds), undefined, { fitter });
    const inProcess = new ForecastHub(config, new LeadTime(config.tickSeconds));
    load(hub);
    load(inProcess);
    expect(fitter.held).toHaveLength(1);
    expect(hub.views(NOW, []).size).toBe(0);
    expect(hub.status('spark-executor')!.reason).toBe('first model being fitted');
    fitter.held[0]!();
    await new Promise((resolve) => setImmediate(resolve));
    const view = hub.views(NOW, []).get('spark-executor');
    expect(view).toBeDefined();
    expect(view).toEqual(inProcess.views(NOW, []).get('spark-executor'));
  });
});
