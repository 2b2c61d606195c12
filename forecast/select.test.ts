import { describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS, makeSeries } from './series.js';
import { AutoModel, blendName, modelFor, selectModel } from './select.js';
import { gaussian, syntheticDemand } from './testing/synthetic.js';

const STEP = 30 * MINUTE_MS;

describe('selectModel', () => {
  it('prefers a seasonal model on a seasonal series and ranks every blend', () => {
    const s = syntheticDemand({ days: 8, stepMs: STEP, noise: 0.5, seed: 4 });
    const sel = selectModel(s, { horizonSteps: 4 });
    expect(sel.scores.length).toBe(8); // 3 singles, 3 pairs, the triple, the median of all
    expect(sel.scores[0]!.name).toBe(sel.chosen);
    for (let i = 1; i < sel.scores.length; i++) {
      expect(sel.scores[i]!.meanAbsError).toBeGreaterThanOrEqual(sel.scores[i - 1]!.meanAbsError);
    }
    // The choice beats plain persistence on the same validation window by a wide margin.
    const persistence = selectModel(s, {
      horizonSteps: 4,
      candidates: ['persistence', 'mstl'],
      medianExtras: [],
    });
    const p = persistence.scores.find((x) => x.name === 'persistence')!;
    expect(sel.scores[0]!.meanAbsError).toBeLessThan(0.5 * p.meanAbsError);
  });

  it("returns the chosen blend's validation errors, consistent with its score", () => {
    const draw = gaussian(8);
    const perDay = DAY_MS / STEP;
    const values = Float64Array.from({ length: 10 * perDay }, (_, i) =>
      Math.max(0, Math.round(5 + 4 * Math.sin((2 * Math.PI * i) / perDay) + 3 * draw())),
    );
    const sel = selectModel(makeSeries(0, STEP, values), { horizonSteps: 1, collectErrors: true });
    expect(sel.errors).toHaveLength(1);
    const errs = sel.errors![0]!;
    expect(errs.length).toBe(sel.validationSteps);
    const mae = errs.reduce((a, e) => a + Math.abs(e), 0) / errs.length;
    // Paths are stored as float32, so agreement is to float32 precision.
    expect(mae).toBeCloseTo(sel.scores[0]!.meanAbsError, 4);
  });

  it('names blends and builds the matching model', () => {
    expect(blendName({ members: ['a'], combine: 'mean' })).toBe('a');
    expect(blendName({ members: ['a', 'b'], combine: 'mean' })).toBe('a+b');
    expect(blendName({ members: ['a', 'b', 'c'], combine: 'median' })).toBe('median(a,b,c)');
    expect(modelFor({ members: ['persistence', 'mstl'], combine: 'mean' }, {}).name).toBe('persistence+mstl');
    expect(() => modelFor({ members: ['nope'], combine: 'mean' }, {})).toThrow(/unknown model "nope"/);
  });
});

describe('AutoModel', () => {
  it('reports its choice and forecasts with it', () => {
    const s = syntheticDemand({ days: 6, stepMs: STEP, noise: 0.5, seed: 5 });
    const auto = new AutoModel({ horizonSteps: 2 });
    expect(auto.chosen).toBeUndefined();
    auto.fit(s);
    expect(auto.chosen).toBe(auto.selection!.chosen);
    const direct = modelFor(auto.selection!.blend, { tuneHorizonSteps: 2 });
    direct.fit(s);
    expect(Array.from(auto.forecast(3).point)).toEqual(Array.from(direct.forecast(3).point));
  });
});
