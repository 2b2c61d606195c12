import { describe, expect, it } from 'vitest';
import { seedBands } from './band-seeding.js';
import { ConformalBands } from './conformal.js';
import { SeasonalErrorScale } from './error-scale.js';
import { copyState, modelState, objectState, restoreModel, restoreObject } from './model-state.js';
import { MODEL_SPECS } from './models/registry.js';
import { type Blend, MEDIAN_EXTRAS, modelFor } from './select.js';
import { MINUTE_MS, sliceSeries } from './series.js';
import { syntheticDemand } from './testing/synthetic.js';

const STEP = 10 * MINUTE_MS;
// 16 days: enough for every model's daily and weekly seasons (MSTL needs two weeks).
const series = syntheticDemand({
  days: 16,
  stepMs: STEP,
  base: 30,
  dailyAmplitude: 12,
  weekendDip: 8,
  noise: 1.5,
  seed: 3,
});
const FIT_STEPS = series.values.length - 60;
const history = sliceSeries(series, 0, FIT_STEPS);
const later = Array.from(series.values.subarray(FIT_STEPS));
later[7] = NaN; // a missing step exercises each model's imputation state too
const OPTS = { tuneHorizonSteps: 3 };

const BLENDS: Blend[] = [
  ...MODEL_SPECS.map((s): Blend => ({ members: [s.name], combine: 'mean' })),
  { members: ['seasonal-persistence', 'holt-winters', 'mstl'], combine: 'mean' },
  { members: ['seasonal-persistence', 'holt-winters', 'mstl', ...MEDIAN_EXTRAS], combine: 'median' },
];

describe('model state', () => {
  it.each(BLENDS.map((b) => [b.members.join('+') + ` (${b.combine})`, b] as const))(
    '%s survives snapshot, structured clone and restore exactly',
    (_, blend) => {
      const fitted = modelFor(blend, OPTS);
      fitted.fit(history);
      const restored = restoreModel(blend, structuredClone(modelState(fitted)), OPTS);
      expect(restored).not.toBe(fitted);
      expect(restored.forecast(24).point).toEqual(fitted.forecast(24).point);
      for (const v of later) {
        fitted.update(v);
        restored.update(v);
        // Exact: the same state must give bit-identical paths, not merely close ones.
        expect(Array.from(restored.forecast(12).point)).toStrictEqual(Array.from(fitted.forecast(12).point));
      }
    },
  );

  it('a snapshot is plain data: no prototypes to lose on the way', () => {
    const blend: Blend = { members: ['seasonal-naive-daily', 'holt-winters'], combine: 'mean' };
    const m = modelFor(blend, OPTS);
    m.fit(history);
    const state = modelState(m);
    expect(state.name).toBe('seasonal-naive-daily+holt-winters');
    expect(state.root.$class).toBe('EnsembleModel');
    expect(JSON.stringify(state, (_, v: unknown) => (ArrayBuffer.isView(v) ? 'typed' : v))).toContain(
      '"$class":"ValueRing"',
    );
  });

  it('refuses state of another model', () => {
    const m = modelFor({ members: ['holt-winters'], combine: 'mean' }, OPTS);
    m.fit(history);
    const state = structuredClone(modelState(m));
    expect(() => restoreModel({ members: ['mstl'], combine: 'mean' }, state, OPTS)).toThrow(
      /model state is for "holt-winters", not the blend "mstl"/,
    );
  });

  it('refuses state it could not carry', () => {
    const m = modelFor({ members: ['persistence'], combine: 'mean' }, OPTS);
    (m as unknown as { hook: unknown }).hook = () => 1;
    expect(() => modelState(m)).toThrow(/persistence\.hook: a function cannot be carried/);
    (m as unknown as { hook: unknown }).hook = new Map([[1, { a: 1 }]]);
    expect(() => modelState(m)).toThrow(/persistence\.hook: a Map is supported .* only with/);
    (m as unknown as { hook: unknown }).hook = new Set([1]);
    expect(() => modelState(m)).toThrow(/persistence\.hook: a Set is not supported/);
  });

  it('copyState gives an independent copy with the same behaviour', () => {
    const scale = new SeasonalErrorScale({ stepMs: STEP });
    for (let i = 0; i < 2000; i++) scale.observe(i * STEP, Math.sin(i / 10));
    const copy = copyState(scale);
    expect(copy).toBeInstanceOf(SeasonalErrorScale);
    const at = 2100 * STEP;
    const before = scale.at(at);
    expect(copy.at(at)).toBe(before);
    for (let i = 2000; i < 2300; i++) scale.observe(i * STEP, 5);
    expect(scale.at(at)).not.toBe(before);
    expect(copy.at(at)).toBe(before);
  });

  it('carries seeded bands (sorted windows, adaptive levels) and an error scale', () => {
    const blend: Blend = { members: ['holt-winters'], combine: 'mean' };
    const m = modelFor(blend, OPTS);
    m.fit(history);
    const errors = Array.from({ length: 6 }, (_, j) =>
      Float64Array.from({ length: 400 }, (_, k) => Math.sin(k / 7 + j) * (1 + (k % 13))),
    );
    const options = { horizonSteps: 6, window: 200, quantiles: [0.1, 0.5, 0.8, 0.9] };
    const scale = new SeasonalErrorScale({ stepMs: STEP });
    const bands = seedBands(errors, history, scale, { options, selectionHorizon: 3, seedScale: true });
    const [b, s] = structuredClone([objectState(bands), objectState(scale)] as const);
    const bands2 = restoreObject(new ConformalBands(options), b);
    const scale2 = restoreObject(new SeasonalErrorScale({ stepMs: STEP }), s);
    const t = history.start + history.values.length * STEP;
    for (let k = 0; k < 50; k++) {
      for (const [bb, sc] of [
        [bands, scale],
        [bands2, scale2],
      ] as const) {
        sc.observe(t + k * STEP, k % 5);
        bb.record(1 + (k % 6), (k % 7) - 3, sc.at(t + k * STEP));
      }
      for (const q of options.quantiles)
        expect(bands2.errorQuantile(1 + (k % 6), q, scale2.at(t))).toBe(
          bands.errorQuantile(1 + (k % 6), q, scale.at(t)),
        );
    }
  });
});
