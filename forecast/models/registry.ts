/** Every model by name, with what it needs to run: the one place a new model is registered. */
import { DAY_MS, WEEK_MS } from '../series.js';
import type { Model } from '../types.js';
import type { ModelOptions } from './common.js';
import { EnsembleModel } from './ensemble.js';
import { HoltWintersModel } from './holt-winters.js';
import { MstlModel } from './mstl.js';
import { PersistenceModel } from './persistence.js';
import { SeasonalNaiveModel } from './seasonal-naive.js';
import { SeasonalPersistenceModel } from './seasonal-persistence.js';

export interface ModelSpec {
  readonly name: string;
  readonly description: string;
  /** A baseline the automatic choice has to beat (not itself a candidate for it). */
  readonly baseline: boolean;
  /** History the model needs before its first fit. */
  readonly minHistoryMs: number;
  readonly create: (opts?: ModelOptions) => Model;
}

export const MODEL_SPECS: readonly ModelSpec[] = [
  {
    name: 'persistence',
    description: 'last value, flat',
    baseline: true,
    minHistoryMs: 0,
    create: () => new PersistenceModel(),
  },
  {
    name: 'seasonal-naive-daily',
    description: 'value one day earlier',
    baseline: true,
    minHistoryMs: DAY_MS,
    create: () => new SeasonalNaiveModel('seasonal-naive-daily', DAY_MS),
  },
  {
    name: 'seasonal-naive-weekly',
    description: 'value one week earlier',
    baseline: true,
    minHistoryMs: WEEK_MS,
    create: () => new SeasonalNaiveModel('seasonal-naive-weekly', WEEK_MS),
  },
  {
    name: 'holt-winters',
    description: 'additive Holt-Winters, damped trend, daily season, grid-tuned',
    baseline: false,
    minHistoryMs: 0,
    create: (o) => new HoltWintersModel(o),
  },
  {
    name: 'mstl',
    description: 'augurs MSTL (daily + weekly) with AutoETS trend, drift-corrected between fits',
    baseline: false,
    minHistoryMs: 0,
    create: () => new MstlModel(),
  },
  {
    name: 'seasonal-persistence',
    description: 'current level carried along a smoothed daily/weekly profile, tuned',
    baseline: false,
    minHistoryMs: 0,
    create: (o) => new SeasonalPersistenceModel(o),
  },
  {
    name: 'ensemble',
    description: 'mean of seasonal-persistence, holt-winters and mstl',
    baseline: false,
    minHistoryMs: 0,
    create: (o) =>
      new EnsembleModel('ensemble', [
        new SeasonalPersistenceModel(o),
        new HoltWintersModel(o),
        new MstlModel(),
      ]),
  },
  {
    name: 'median-ensemble',
    description: 'median of persistence, seasonal naives, seasonal-persistence, holt-winters and mstl',
    baseline: false,
    minHistoryMs: 0,
    create: (o) =>
      new EnsembleModel(
        'median-ensemble',
        [
          new PersistenceModel(),
          new SeasonalNaiveModel('seasonal-naive-daily', DAY_MS),
          new SeasonalNaiveModel('seasonal-naive-weekly', WEEK_MS),
          new SeasonalPersistenceModel(o),
          new HoltWintersModel(o),
          new MstlModel(),
        ],
        'median',
      ),
  },
];

export function modelSpec(name: string): ModelSpec | undefined {
  return MODEL_SPECS.find((s) => s.name === name);
}
