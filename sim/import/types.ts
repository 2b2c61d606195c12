/**
 * What every trace importer returns (`nodecast import-trace`): the jobs it could rebuild, counts
 * of what it found, and every record it skipped with the reason, so that nothing is dropped
 * silently.
 */
import type { TraceJob } from '../trace-types.js';

export interface ImportSkip {
  /** Where the record came from: `file:line`, `pod namespace/name`, `app spark-xyz`. */
  readonly where: string;
  readonly reason: string;
}

export interface ImportResult {
  readonly jobs: readonly TraceJob[];
  /** What was found, by kind (e.g. `applications`, `executors`, `pods`), for the summary. */
  readonly found: Readonly<Record<string, number>>;
  readonly skipped: readonly ImportSkip[];
}

/** Progress of a long import (bytes read, series fetched): drives the terminal progress bar. */
export type ImportProgress = (done: number, total: number) => void;
