/**
 * The span a simulation must cover: from the first submit to the end of the app that ends last
 * (its submit plus its duration: the run-out). A trace whose jobs lie years apart would otherwise
 * run without bound, so `simulate` refuses spans over `--max-span`.
 */
import { formatSeconds } from '../agent/config/duration.js';
import type { TraceJob } from './trace-types.js';

export const DEFAULT_MAX_SPAN = '400d';

/** Why the trace's span exceeds maxSpanSeconds, naming the two apps that make it; else undefined. */
export function spanProblem(jobs: readonly TraceJob[], maxSpanSeconds: number): string | undefined {
  if (jobs.length === 0) return undefined;
  let first = jobs[0]!;
  let last = jobs[0]!;
  const endOf = (j: TraceJob) => j.submitTime + j.durationSeconds * 1000;
  for (const j of jobs) {
    if (j.submitTime < first.submitTime) first = j;
    if (endOf(j) > endOf(last)) last = j;
  }
  const spanSeconds = (endOf(last) - first.submitTime) / 1000;
  if (spanSeconds <= maxSpanSeconds) return undefined;
  return (
    `--max-span: the trace spans ${formatSeconds(Math.round(spanSeconds))}, more than ${formatSeconds(maxSpanSeconds)}: ` +
    `from ${first.app} submitted ${new Date(first.submitTime).toISOString()} ` +
    `to ${last.app} ending ${new Date(endOf(last)).toISOString()} ` +
    `(raise --max-span to simulate it anyway)`
  );
}
