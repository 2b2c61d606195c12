import { describe, expect, it } from 'vitest';
import { ClusterState } from './cluster-state.js';
import { ManualClock } from '../clock.js';
import { pod, testConfig } from '../../test/fakes/spark-cluster.js';
import { collectGroupFacts } from '../decide/group-facts.js';
import { demandNodes } from '../decide/estimator.js';

const Mi = 2 ** 20;
const config = testConfig();
const SHAPE = { cpu: 16, memoryBytes: 64 * 2 ** 30, pods: 110 };

const app = (name: string, status: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'etl' },
  spec: {
    batchSchedulerOptions: { queue: 'root.etl' },
    executor: { cores: 4, memory: '8g' },
    dynamicAllocation: { enabled: true, initialExecutors: 3, maxExecutors: 30 },
    ...spec,
  },
  status,
});
const executorPod = (name: string, appId: string) =>
  pod(name, {
    namespace: 'etl',
    role: 'executor',
    app: appId,
    queue: 'root.etl',
    cpu: '4',
    memory: '9011Mi',
  });

function stateWith(...objects: { apps?: unknown[]; pods?: unknown[] }[]) {
  const state = new ClusterState({ config, clock: new ManualClock(0) });
  for (const o of objects) {
    for (const a of o.apps ?? []) state.upsertSparkApp(a);
    for (const p of o.pods ?? []) state.upsertPod(p);
  }
  return state;
}

describe('executors SparkApplications are about to create', () => {
  it('count as pending demand in their executor group, not as unschedulable pods', () => {
    const state = stateWith({ apps: [app('fresh', { applicationState: { state: 'SUBMITTED' } })] });
    const snap = state.snapshot(0);
    const expected = snap.expectedExecutors!.get('spark-executor')!;
    expect(expected).toEqual(Array(3).fill({ cpu: 4, memoryBytes: (8192 + 819) * Mi }));
    const facts = collectGroupFacts(snap, config.nodeGroups).get('spark-executor')!;
    expect(facts.pending).toHaveLength(3);
    expect(facts.unschedulable).toHaveLength(0);
    expect(facts.requestedCpu).toBe(12);
    expect(demandNodes(facts.occupied, facts.pending, SHAPE)).toBe(1);
  });

  it('leave out the executors whose pods already exist', () => {
    const state = stateWith({
      apps: [app('half', { applicationState: { state: 'RUNNING' }, sparkApplicationId: 'spark-123' })],
      pods: [
        executorPod('e1', 'spark-123'),
        executorPod('e2', 'spark-123'),
        executorPod('other', 'spark-999'),
      ],
    });
    expect(state.snapshot(0).expectedExecutors!.get('spark-executor')).toHaveLength(1);
  });

  it('stop counting once the app has had executors, or has finished', () => {
    const state = stateWith({
      apps: [
        app('scaled-down', {
          applicationState: { state: 'RUNNING' },
          executorState: { 'x-exec-1': 'COMPLETED' },
        }),
        app('done', { applicationState: { state: 'COMPLETED' } }),
        app('failed', { applicationState: { state: 'FAILED' } }),
      ],
    });
    expect(state.snapshot(0).expectedExecutors).toBeUndefined();
  });

  it('count a static app at its instances and leave the snapshot unchanged without apps', () => {
    const state = stateWith({
      apps: [
        app(
          'static',
          {},
          { dynamicAllocation: undefined, executor: { instances: 5, cores: 1, memory: '1g' } },
        ),
      ],
    });
    expect(state.snapshot(0).expectedExecutors!.get('spark-executor')).toHaveLength(5);
    expect(stateWith({}).snapshot(0)).not.toHaveProperty('expectedExecutors');
  });
});
