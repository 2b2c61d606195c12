/**
 * Executors a SparkApplication is about to ask for but has no pods for yet. Between submission
 * and its first executor pods (driver starting up), the spec already says how many executors it
 * starts with; counting them as pending demand lets the history and the forecast see the app a
 * little earlier than its pods. Only apps that never had an executor (none in
 * status.executorState) and are not finished count: after that, dynamic allocation moves the
 * count and the executor pods tell it.
 */
import type { PodView, Resources } from './snapshot.js';
import type { SparkAppView } from './spark-apps.js';

/** Operator states in which an app without executors will still create them. */
const STARTING_STATES = new Set<string | null>([null, '', 'SUBMITTED', 'RUNNING']);

/**
 * Per executor group, the requests of executors not yet created. `groupOf` places an executor
 * of the app's queue as the pods' group resolver would; apps it places nowhere are left out.
 */
export function expectedExecutors(
  apps: Iterable<SparkAppView>,
  pods: Iterable<PodView>,
  groupOf: (queue: string | null) => string | null,
): Map<string, Resources[]> {
  const present = new Map<string, number>();
  for (const pod of pods) {
    if (pod.sparkRole !== 'executor' || pod.app === null) continue;
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    const key = `${pod.namespace}/${pod.app}`;
    present.set(key, (present.get(key) ?? 0) + 1);
  }
  const out = new Map<string, Resources[]>();
  for (const app of apps) {
    if (app.executorsRecorded > 0 || !STARTING_STATES.has(app.state)) continue;
    const group = groupOf(app.queue);
    if (group === null) continue;
    const have =
      (app.appId !== null ? (present.get(`${app.namespace}/${app.appId}`) ?? 0) : 0) +
      (present.get(`${app.namespace}/${app.name}`) ?? 0);
    const missing = app.executors.initial - have;
    if (missing <= 0) continue;
    const request: Resources = { cpu: app.executor.cpu, memoryBytes: app.executor.memoryBytes };
    const list = out.get(group) ?? [];
    for (let i = 0; i < missing; i++) list.push(request);
    out.set(group, list);
  }
  return out;
}
