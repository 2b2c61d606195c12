/**
 * Time series and model contracts. forecast/ is pure: it never imports Kubernetes code, providers
 * or the API.
 */

/** A regular series: values[i] is the value at start + i * stepMs; NaN marks a missing step. */
export interface Series {
  readonly start: number;
  readonly stepMs: number;
  readonly values: Float64Array;
}

export interface PointForecast {
  /** point[i] is the forecast for the (i + 1)-th step after the end of the history. */
  readonly point: Float64Array;
}

export interface ForecastWithBands extends PointForecast {
  /** Quantile level (e.g. 0.1, 0.5, 0.9) -> values per step, same length as point. */
  readonly quantiles: ReadonlyMap<number, Float64Array>;
  readonly model: string;
}

/** Every model implements this; `fit` may be expensive, `update` must be cheap (one new value). */
export interface Model {
  readonly name: string;
  fit(history: Series): void;
  /** Append one observation after fit without a full refit (models that cannot, refit lazily). */
  update(value: number): void;
  forecast(horizonSteps: number): PointForecast;
}
