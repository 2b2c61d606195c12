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
      // Spark sizes in whole MiB: 8192 MiB + floor(0.1 x 8192) MiB.
      executorMemoryBytes: (8192 + 819) * Mi,
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
    expect(small.executors).toBe(2); // spark.executor.instances defaults to 2
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
  it('reads state and executor shape; dynamic allocation starts at its initial count, bounded by maxExecutors', () => {
    const { view } = toSparkAppView({
      metadata: { name: 'job', namespace: 'etl' },
      spec: { executor: { cores: 2, memory: '4g' }, dynamicAllocation: { enabled: true, maxExecutors: 50 } },
      status: { applicationState: { state: 'RUNNING' } },
    });
    expect(view).toMatchObject({
      namespace: 'etl',
      name: 'job',
      state: 'RUNNING',
      executors: { dynamicAllocation: true, initial: 0, min: 0, max: 50 },
      executor: { cpu: 2, memoryBytes: (4096 + 409) * Mi },
    });
  });
});

describe('toScheduledJob: operator fields', () => {
  const template = {
    type: 'Scala',
    executor: { cores: 2, memory: '4g' },
    dynamicAllocation: { enabled: true, initialExecutors: 3, maxExecutors: 12 },
    batchSchedulerOptions: { queue: 'root.etl' },
  };

  it('carries dynamic allocation bounds: executors at start, maxExecutors as the upper bound', () => {
    const { job, problems } = toScheduledJob(
      scheduled({ schedule: '0 2 * * *', suspend: false, template }),
      600,
    );
    expect(problems).toEqual([]);
    expect(job).toMatchObject({ executors: 3, maxExecutors: 12, queue: 'root.etl', executorCpu: 2 });
    expect(job).not.toHaveProperty('concurrencyPolicy'); // Allow is the default
  });

  it('reads each concurrencyPolicy and reports an unknown one', () => {
    for (const policy of ['Forbid', 'Replace'] as const) {
      const { job } = toScheduledJob(
        scheduled({ schedule: '@hourly', concurrencyPolicy: policy, template }),
        60,
      );
      expect(job!.concurrencyPolicy).toBe(policy);
    }
    const allow = toScheduledJob(
      scheduled({ schedule: '@hourly', concurrencyPolicy: 'Allow', template }),
      60,
    );
    expect(allow.job!.concurrencyPolicy).toBeUndefined();
    const bad = toScheduledJob(scheduled({ schedule: '@hourly', concurrencyPolicy: 'Never', template }), 60);
    expect(bad.job).not.toBeNull();
    expect(bad.problems).toEqual([
      'spec.concurrencyPolicy: must be Allow, Forbid or Replace, got "Never"; using Allow',
    ]);
  });

  it('reads a time zone from spec.timeZone or a CRON_TZ= prefix, and rejects unknown zones', () => {
    const field = toScheduledJob(
      scheduled({ schedule: '0 2 * * *', timeZone: 'Europe/Paris', template }),
      60,
    );
    expect(field.job).toMatchObject({ cron: '0 2 * * *', timeZone: 'Europe/Paris' });
    const prefix = toScheduledJob(scheduled({ schedule: 'CRON_TZ=Asia/Tokyo 30 1 * * *', template }), 60);
    expect(prefix.job).toMatchObject({ cron: '30 1 * * *', timeZone: 'Asia/Tokyo' });
    const bad = toScheduledJob(scheduled({ schedule: '0 2 * * *', timeZone: 'Mars/Olympus', template }), 60);
    expect(bad.job).toBeNull();
    expect(bad.problems).toEqual(['spec.timeZone: unknown time zone "Mars/Olympus"']);
  });

  it('reports a non-boolean suspend and bad template fields by path, and still schedules the job', () => {
    const r = toScheduledJob(
      scheduled({
        schedule: '@daily',
        suspend: 'no',
        template: { executor: { memory: '4 GB', instances: 'x' } },
      }),
      60,
    );
    expect(r.job).not.toBeNull();
    expect(r.problems).toEqual([
      'spec.suspend: must be true or false, got "no"',
      'spec.template.executor.memory: not a Spark memory size, got "4 GB"',
      'spec.template.executor.instances: must be a whole number >= 0, got "x"',
    ]);
  });
});
