import { describe, expect, it } from 'vitest';
import { ClusterState } from './cluster-state.js';
import { ManualClock } from '../clock.js';
import { MemoryLogger } from '../logger.js';
import { testConfig } from '../../test/fakes/spark-cluster.js';

const Mi = 2 ** 20;

function setup() {
  const logger = new MemoryLogger();
  const state = new ClusterState({ config: testConfig(), clock: new ManualClock(0), logger });
  return { logger, state };
}

const app = (name: string, spec: unknown) => ({ metadata: { name, namespace: 'etl' }, spec });
const schedule = (name: string, spec: unknown) => ({ metadata: { name, namespace: 'etl' }, spec });

describe('ClusterState with Spark Operator objects', () => {
  it('keeps a bad SparkApplication with its defaults, logs its problems naming object and field, keeps others', () => {
    const { logger, state } = setup();
    state.upsertSparkApp(app('good', { executor: { instances: 4, cores: 2, memory: '4g' } }));
    expect(() =>
      state.upsertSparkApp(app('bad', { executor: { memory: '4 GB', instances: 'many' } })),
    ).not.toThrow();
    expect(() => state.upsertSparkApp('not an object')).not.toThrow();
    expect(() => state.upsertSparkApp(app('weird', [1, 2, 3]))).not.toThrow();
    const apps = new Map(state.sparkApplications().map((a) => [a.name, a]));
    expect(apps.get('good')!.executors.initial).toBe(4);
    expect(apps.get('good')!.executor.memoryBytes).toBe((4096 + 409) * Mi);
    expect(apps.get('bad')!.executors.initial).toBe(2);
    const warning = logger.entries.find((e) => e.message.includes('etl/bad'))!;
    expect(warning.level).toBe('warn');
    expect(warning.message).toBe(
      'malformed sparkapplication etl/bad: spec.executor.memory: not a Spark memory size, got "4 GB"; ' +
        'spec.executor.instances: must be a whole number >= 0, got "many"',
    );
    expect(state.health().malformedObjects).toBe(2); // "bad" and the nameless string
  });

  it('drops a ScheduledSparkApplication once suspended and brings it back when resumed', () => {
    const { state } = setup();
    const spec = {
      schedule: '0 2 * * *',
      concurrencyPolicy: 'Forbid',
      template: { executor: { instances: 3 } },
    };
    state.upsertScheduledSparkApp(schedule('nightly', spec));
    state.upsertScheduledSparkApp(schedule('hourly', { ...spec, schedule: '@hourly' }));
    expect(state.scheduledJobs().map((j) => j.name)).toEqual(['etl/nightly', 'etl/hourly']);
    state.upsertScheduledSparkApp(schedule('nightly', { ...spec, suspend: true }));
    expect(state.scheduledJobs().map((j) => j.name)).toEqual(['etl/hourly']);
    state.upsertScheduledSparkApp(schedule('nightly', { ...spec, suspend: false }));
    expect(state.scheduledJobs().find((j) => j.name === 'etl/nightly')).toMatchObject({
      executors: 3,
      concurrencyPolicy: 'Forbid',
    });
  });

  it('drops a schedule that turns unusable, logging why, and keeps the rest', () => {
    const { logger, state } = setup();
    state.upsertScheduledSparkApp(schedule('a', { schedule: '@daily' }));
    state.upsertScheduledSparkApp(schedule('b', { schedule: '@daily' }));
    state.upsertScheduledSparkApp(schedule('a', { schedule: 'every night' }));
    expect(state.scheduledJobs().map((j) => j.name)).toEqual(['etl/b']);
    expect(logger.entries.at(-1)!.message).toMatch(
      /^malformed scheduledsparkapplication etl\/a: spec\.schedule: /,
    );
  });
});
