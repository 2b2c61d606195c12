/** Rebuilds a workload trace from kube-state-metrics series in Prometheus (being written). */
import type { ImportProgress, ImportResult } from './types.js';

export interface PrometheusImportOptions {
  /** Base URL of any server with the Prometheus HTTP query API. */
  readonly url: string;
  /** Epoch ms range to import. */
  readonly start: number;
  readonly end: number;
  /** Query resolution, seconds. */
  readonly stepSeconds: number;
}

export async function importFromPrometheus(
  options: PrometheusImportOptions,
  progress?: ImportProgress,
): Promise<ImportResult> {
  void progress;
  throw new Error(`import from Prometheus at ${options.url} is not available yet`);
}
