import { describe, expect, it } from 'vitest';
import { parseSparkMemory, toScheduledJob, toSparkAppView } from './spark-apps.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;

describe('parseSparkMemory', () => {
  it('reads JVM notation, bare numbers as MiB', () => {
    expect(parseSparkMemory('512m')).toBe(512 * Mi);
    expect(parseSparkMemory('4g')).toBe(4 * Gi);
    expect(parseSparkMemory('4GB')).toBe(4 * Gi);
    expect(parseSparkMemory('2048')).toBe(2048 * Mi);
    expect(() => parseSparkMemory('four gigs')).toThrow(/four gigs/);
  });
});

const scheduled = (spec: Record<string, unknown>, annotations: Record<string, string> = {}) => ({
  metadata: { name: 'nightly', namespace: 'etl', annotations },
  spec,
});

describe('toScheduledJob', () => {
  it('turns a ScheduledSparkApplication into a scheduled job', () => {
    const { job, problems } = toScheduledJob(
      scheduled(
        {
          schedule: '0 2 * * *',
          template: {
            type: 'Scala',
            executor: { instances: 20, cores: 4, memory: '8g' },
            batchSchedulerOptions: { queue: 'root.etl' },
          },
        },
        { 'nodecast.io/expected-duration-seconds': '5400' },
      ),
      1800,
    );
    expect(problems).toEqual([]);
    expect(job).toEqual({
      name: 'etl/nightly',
      cron: '0 2 * * *',
      queue: 'root.etl',
      executors: 20,
      executorCpu: 4,
      executorMemoryBytes: 8 * Gi + Math.round(0.1 * 8 * Gi),
      durationSeconds: 5400,
    });
  });

  it('applies Spark defaults: 384 MiB minimum overhead, 0.4 for Python, coreRequest over cores', () => {
    const small = toScheduledJob(
      scheduled({ schedule: '@hourly', template: { executor: { memory: '1g' } } }),
      1800,
    ).job!;
    expect(small.executorMemoryBytes).toBe(Gi + 384 * Mi);
    expect(small.durationSeconds).toBe(1800);
    expect(small.executors).toBe(1);
    const py = toScheduledJob(
      scheduled({
        schedule: '@hourly',
        template: { type: 'Python', executor: { memory: '10g', coreRequest: '1500m', cores: 2 } },
      }),
      1800,
    ).job!;
    expect(py.executorMemoryBytes).toBe(10 * Gi + 4 * Gi);
    expect(py.executorCpu).toBe(1.5);
  });

  it('skips suspended schedules and reports unusable ones', () => {
    expect(toScheduledJob(scheduled({ schedule: '@hourly', suspend: true }), 1).job).toBeNull();
    const bad = toScheduledJob(scheduled({ schedule: '@every 5m' }), 1);
    expect(bad.job).toBeNull();
    expect(bad.problems[0]).toMatch(/^spec\.schedule:/);
    expect(toScheduledJob(scheduled({}), 1).problems).toEqual(['spec.schedule: missing']);
  });

  it('reports malformed executor memory by field', () => {
    const r = toScheduledJob(
      scheduled({ schedule: '@daily', template: { executor: { memory: 'lots' } } }),
      1,
    );
    expect(r.job).not.toBeNull();
    expect(r.problems).toEqual([expect.stringMatching(/^spec\.template\.executor\.memory:/)]);
  });
});

describe('toSparkAppView', () => {
  it('reads state and executor shape, using maxExecutors under dynamic allocation', () => {
    const { view } = toSparkAppView({
      metadata: { name: 'job', namespace: 'etl' },
      spec: { executor: { cores: 2, memory: '4g' }, dynamicAllocation: { enabled: true, maxExecutors: 50 } },
      status: { applicationState: { state: 'RUNNING' } },
    });
    expect(view).toMatchObject({
      namespace: 'etl',
      name: 'job',
      state: 'RUNNING',
      executors: 50,
      executorCpu: 2,
    });
  });
});
