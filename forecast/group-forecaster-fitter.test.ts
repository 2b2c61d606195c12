import { describe, expect, it } from 'vitest';
import { type FitRequest, type FitResult, runFit } from './fit-job.js';
import { GroupForecaster, type GroupForecasterOptions } from './group-forecaster.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './series.js';
import { MONDAY, gaussian, syntheticValue } from './testing/synthetic.js';

const STEP = 5 * MINUTE_MS;
const SHAPE = { days: 0, base: 20, dailyAmplitude: 10, weekendDip: 4 };
const BASE: GroupForecasterOptions = {
  group: 'spark-executor',
  stepSeconds: 300,
  refitSeconds: 6 * 3600,
  maxTrustedError: 1.5,
  candidates: ['seasonal-persistence', 'holt-winters'],
};

/** A fitter whose fits land only when the test says so (run in-process, as the worker would). */
class ManualFitter {
  readonly requests: { request: FitRequest; land(): void; fail(message: string): void }[] = [];

  fit(request: FitRequest): Promise<FitResult> {
    return new Promise((resolve, reject) => {
      this.requests.push({
        request,
        land: () => resolve(structuredClone(runFit(request))),
        fail: (message) => reject(new Error(message)),
      });
    });
  }

  get last() {
    return this.requests[this.requests.length - 1]!;
  }
}

/** Lets landed promises settle. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function demand(t: number, shift = 0): number {
  const draw = gaussian(Math.floor(t / STEP));
  return Math.max(0, Math.round(syntheticValue(SHAPE, t) + shift + 0.8 * draw()));
}

/** Observes one step into each forecaster and returns their views. */
function step(fs: GroupForecaster[], t: number, shift = 0) {
  return fs.map((f) => {
    f.observe(t + 7_000, demand(t, shift));
    return f.view(t + 9_000, 900, 1200, 0.9);
  });
}

/** What a view and the calibration behind it consist of: equal means installed identically. */
function internals(f: GroupForecaster) {
  const x = f as unknown as Record<string, unknown>;
  return {
    trust: x.trust,
    errorScale: x.errorScale,
    bands: x.bands,
    pending: x.pending,
    fits: f.status().fits,
  };
}

describe('GroupForecaster with a fitter', () => {
  it('serves nothing until the first fit lands, then exactly what an in-process refit serves', async () => {
    const fitter = new ManualFitter();
    const sync = new GroupForecaster(BASE);
    const bg = new GroupForecaster({ ...BASE, fitter });
    const start = MONDAY;
    let t = start;
    for (; t < start + DAY_MS + 2 * HOUR_MS; t += STEP) step([sync, bg], t);
    expect(sync.view(t, 900, 1200, 0.9)).toBeDefined();
    expect(bg.view(t, 900, 1200, 0.9)).toBeUndefined();
    expect(bg.status().reason).toBe('first model being fitted');
    expect(fitter.requests).toHaveLength(1);
    // Three more steps complete while the fit runs; installing folds them in.
    for (let k = 0; k < 3; k++, t += STEP) expect(step([sync, bg], t)[1]).toBeUndefined();
    fitter.last.land();
    await settle();
    for (let k = 0; k < 12; k++, t += STEP) {
      const [a, b] = step([sync, bg], t);
      expect(b).toEqual(a);
    }
    expect(bg.forecast(t, 12)).toEqual(sync.forecast(t, 12));
    expect(internals(bg)).toEqual(internals(sync));
    expect(bg.status()).toEqual(sync.status());
  });

  it('keeps serving the previous model during a refit, then matches an in-process refit', async () => {
    const fitter = new ManualFitter();
    const sync = new GroupForecaster(BASE);
    const bg = new GroupForecaster({ ...BASE, fitter });
    let landed = 0;
    let age = 0;
    let inFlightViews = 0;
    for (let t = MONDAY; t < MONDAY + 3 * DAY_MS; t += STEP) {
      // A level shift part-way through makes the steps folded during a fit matter to trust.
      const [a, b] = step([sync, bg], t, t > MONDAY + 2 * DAY_MS + 3 * HOUR_MS ? 12 : 0);
      if (fitter.requests.length === landed) {
        expect(b).toEqual(a);
        continue;
      }
      if (landed > 0) {
        expect(b).toBeDefined(); // the previous model still serves
        inFlightViews++;
      }
      // Each fit lands four steps after it started.
      if (++age === 4) {
        fitter.requests[landed++]!.land();
        age = 0;
        await settle();
      }
    }
    expect(landed).toBeGreaterThan(3);
    expect(inFlightViews).toBeGreaterThan(8);
    expect(internals(bg)).toEqual(internals(sync));
    expect(bg.status()).toEqual(sync.status());
  });

  it('records a failed fit, keeps going, and the next due fit installs', async () => {
    const fitter = new ManualFitter();
    const bg = new GroupForecaster({ ...BASE, fitter });
    let t = MONDAY;
    for (; t < MONDAY + DAY_MS + HOUR_MS; t += STEP) step([bg], t);
    fitter.last.fail('worker gone');
    await settle();
    expect(step([bg], t)[0]).toBeUndefined();
    t += STEP;
    const s = bg.status();
    expect(s.model).toBe('none');
    expect(s.reason).toBe('refit failed: worker gone');
    expect(fitter.requests).toHaveLength(1); // not retried at every step: at the next refit time
    for (; fitter.requests.length === 1; t += STEP) step([bg], t);
    expect(t - MONDAY).toBeLessThan(DAY_MS + HOUR_MS + BASE.refitSeconds * 1000 + STEP);
    fitter.last.land();
    await settle();
    expect(step([bg], t)[0]).toBeDefined();
    expect(bg.status().fits).toBe(1);
  });

  it('drops a fit that was running when history was backfilled', async () => {
    const fitter = new ManualFitter();
    const bg = new GroupForecaster({ ...BASE, fitter });
    let t = MONDAY;
    for (; t < MONDAY + DAY_MS + HOUR_MS; t += STEP) step([bg], t);
    const stale = fitter.last;
    // Backfilled history: the same days, a higher level.
    const values = Float64Array.from(
      { length: (t - MONDAY) / STEP },
      (_, i) => 50 + demand(MONDAY + i * STEP),
    );
    bg.backfill({ start: MONDAY, stepMs: STEP, values });
    stale.land();
    await settle();
    const view = step([bg], t, 50)[0];
    t += STEP;
    expect(view).toBeUndefined();
    expect(bg.status().fits).toBe(0);
    expect(fitter.requests).toHaveLength(2);
    const fresh = fitter.last.request.history.values;
    expect(fresh[fresh.length - 1]).toBeGreaterThan(50);
    fitter.last.land();
    await settle();
    const after = step([bg], t, 50)[0]!;
    expect(bg.status().fits).toBe(1);
    expect(after.pointAtLead).toBeGreaterThan(50);
  });
});
