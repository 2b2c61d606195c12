/**
 * Reads current values back out of a Metrics registry: for tests ("expect the gauge to be 3") and
 * for the API's status views. Histograms answer with their `_count`, `_sum` or `_bucket` series.
 */
import type { Metrics } from './metrics.js';

export type LabelFilter = Readonly<Record<string, string | number>>;

/**
 * The value of the single series of `name` whose labels include `labels`; undefined when there is
 * none. `name` is the catalog name, or for histograms `<name>_count`, `<name>_sum`, `<name>_bucket`
 * (with `le` among the labels).
 */
export async function metricValue(
  m: Metrics,
  name: string,
  labels: LabelFilter = {},
): Promise<number | undefined> {
  const values = await metricSeries(m, name);
  const hits = values.filter((v) =>
    Object.entries(labels).every(([k, want]) => String(v.labels[k]) === String(want)),
  );
  if (hits.length > 1) throw new Error(`${name}${JSON.stringify(labels)} matches ${hits.length} series`);
  return hits[0]?.value;
}

export interface SeriesValue {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** Every series of a metric (histograms: of one of its _bucket/_sum/_count families). */
export async function metricSeries(m: Metrics, name: string): Promise<SeriesValue[]> {
  const suffix = /_(bucket|sum|count)$/.exec(name);
  const family =
    m.registry.getSingleMetric(name) ??
    (suffix ? m.registry.getSingleMetric(name.slice(0, suffix.index)) : undefined);
  if (!family) throw new Error(`no metric named ${name}`);
  const data = await family.get();
  const values = data.values as {
    labels: Record<string, string | number>;
    value: number;
    metricName?: string;
  }[];
  return values
    .filter((v) => v.metricName === undefined || v.metricName === name)
    .map((v) => ({ labels: v.labels, value: v.value }));
}
