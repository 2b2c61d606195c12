import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { type FitRequest, fitBlend, runFit } from './fit-job.js';
import { GroupForecaster } from './group-forecaster.js';
import { restoreModel } from './model-state.js';
import { AUTO_CANDIDATES } from './select.js';
import { DAY_MS, MINUTE_MS } from './series.js';
import { MONDAY, syntheticDemand, syntheticValue } from './testing/synthetic.js';
import { WorkerFitter, startFitWorker } from './worker-fitter.js';

const SHAPE = { base: 40, dailyAmplitude: 25, weekendDip: 15, noise: 2, seed: 1 };

function request(days: number, stepMs: number, candidates = AUTO_CANDIDATES): FitRequest {
  const horizon = Math.round((30 * MINUTE_MS) / stepMs);
  return {
    history: syntheticDemand({ ...SHAPE, days, stepMs }),
    horizonSteps: horizon,
    pathSteps: 2 * horizon,
    candidates,
    ...(candidates === AUTO_CANDIDATES ? {} : { medianExtras: [] }),
    tuneHorizonSteps: horizon,
  };
}

/** A worker that dies when asked to fit: by throwing, or by exiting. */
function dyingWorker(how: 'throw' | 'exit'): Worker {
  const die = how === 'throw' ? "throw new Error('boom')" : 'process.exit(3)';
  return new Worker(`require('node:worker_threads').parentPort.on('message', () => { ${die} });`, {
    eval: true,
  });
}

const fitters: WorkerFitter[] = [];
function fitter(spawn?: () => Worker): WorkerFitter {
  const f = new WorkerFitter(spawn ? { spawn } : {});
  fitters.push(f);
  return f;
}
afterEach(async () => {
  for (const f of fitters.splice(0)) await f.close();
});

describe('WorkerFitter', () => {
  it('returns what an in-process fit returns, bit for bit', async () => {
    const req = request(10, 5 * MINUTE_MS);
    const viaWorker = await fitter().fit(req);
    const local = runFit(req);
    expect(viaWorker.blend).toEqual(local.blend);
    expect(viaWorker.modelName).toBe(local.modelName);
    expect(viaWorker.errors.length).toBe(2 * req.horizonSteps);
    expect(viaWorker.errors.map((e) => Array.from(e))).toStrictEqual(local.errors.map((e) => Array.from(e)));
    const opts = { tuneHorizonSteps: req.tuneHorizonSteps };
    const restored = restoreModel(viaWorker.blend, viaWorker.modelState, opts);
    const model = fitBlend(req).model;
    for (const v of [41, NaN, 39.5]) {
      expect(Array.from(restored.forecast(12).point)).toStrictEqual(Array.from(model.forecast(12).point));
      restored.update(v);
      model.update(v);
    }
  });

  it('keeps the event loop free while a 28-day auto fit runs', async () => {
    const f = fitter();
    await f.fit(request(2, 10 * MINUTE_MS)); // worker started and modules loaded before timing
    const req = request(28, MINUTE_MS);
    let last = performance.now();
    let maxGap = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 20);
    const t0 = performance.now();
    try {
      const result = await f.fit(req);
      expect(result.modelName.length).toBeGreaterThan(0);
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - t0;
    // In-process this fit blocks for its whole duration (seconds); here the timer keeps firing.
    expect(elapsed).toBeGreaterThan(500);
    expect(ticks).toBeGreaterThan(elapsed / 20 / 4);
    expect(maxGap, `longest timer gap during a ${elapsed.toFixed(0)} ms fit`).toBeLessThan(
      Math.min(400, elapsed / 3),
    );
  });

  it('rejects a fit that throws with its message and serves the next one', async () => {
    const f = fitter();
    await expect(f.fit(request(3, 10 * MINUTE_MS, ['no-such-model']))).rejects.toThrow(
      /no known candidate models/,
    );
    const ok = await f.fit(request(3, 10 * MINUTE_MS, ['holt-winters']));
    expect(ok.modelName).toBe('holt-winters');
  });

  it.each(['throw', 'exit'] as const)(
    'rejects the running fit when the worker dies (%s), restarts it for the next',
    async (how) => {
      let spawned = 0;
      const f = fitter(() => (spawned++ === 0 ? dyingWorker(how) : startFitWorker()));
      const first = f.fit(request(3, 10 * MINUTE_MS, ['holt-winters']));
      const queued = f.fit(request(3, 10 * MINUTE_MS, ['seasonal-persistence']));
      await expect(first).rejects.toThrow(
        how === 'throw' ? /fit worker crashed: boom/ : /exited with code 3/,
      );
      expect((await queued).modelName).toBe('seasonal-persistence');
      expect(spawned).toBe(2);
    },
  );

  it('rejects when the worker cannot start', async () => {
    const f = fitter(() => new Worker(new URL('./no-such-fit-worker.js', import.meta.url)));
    await expect(f.fit(request(3, 10 * MINUTE_MS))).rejects.toThrow(/fit worker (crashed|exited)/);
    const g = fitter(() => {
      throw new Error('no threads');
    });
    await expect(g.fit(request(3, 10 * MINUTE_MS))).rejects.toThrow(/fit worker could not start: no threads/);
  });

  it('close() rejects waiting fits and refuses new ones', async () => {
    const f = fitter();
    const running = f.fit(request(10, 5 * MINUTE_MS));
    const waiting = f.fit(request(10, 5 * MINUTE_MS));
    expect(f.pending).toBe(2);
    const rejected = Promise.all([
      expect(running).rejects.toThrow(/fit worker closed/),
      expect(waiting).rejects.toThrow(/fit worker closed/),
    ]);
    await f.close();
    await rejected;
    await expect(f.fit(request(3, 10 * MINUTE_MS))).rejects.toThrow(/closed/);
    expect(f.pending).toBe(0);
  });

  it('drives a GroupForecaster: no view until the fit lands, then the in-process views', async () => {
    const opts = { group: 'g', stepSeconds: 300, refitSeconds: 6 * 3600, maxTrustedError: 1.5 };
    const sync = new GroupForecaster(opts);
    const bg = new GroupForecaster({ ...opts, fitter: fitter() });
    const step = 5 * MINUTE_MS;
    const at = (t: number) => Math.round(syntheticValue({ ...SHAPE, days: 0 }, t));
    /** Waits (a real worker, real time) until bg has installed as many fits as sync. */
    const caughtUp = async () => {
      for (let waited = 0; bg.status().fits < sync.status().fits && waited < 20_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
    };
    let views = 0;
    for (let t = MONDAY; t < MONDAY + 2 * DAY_MS; t += step) {
      for (const f of [sync, bg]) f.observe(t, at(t));
      const expected = sync.view(t + 1000, 600, 600, 0.9);
      if (bg.status().fits === 0) expect(bg.view(t + 1000, 600, 600, 0.9)).toBeUndefined();
      await caughtUp();
      expect(bg.view(t + 1000, 600, 600, 0.9)).toEqual(expected);
      if (expected) views++;
    }
    expect(views).toBeGreaterThan(250);
    expect(sync.status().fits).toBeGreaterThan(1);
    expect(bg.status()).toEqual(sync.status());
  });
});
