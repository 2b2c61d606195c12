import { describe, expect, it } from 'vitest';
import { groupForecasterOptions } from '../../agent/runtime/forecast-options.js';

describe('groupForecasterOptions', () => {
  it('builds its options from the config', () => {
    const group = {
      name: 'exec',
      role: 'executor' as const,
      nodeSelector: {},
      min: 0,
      max: 10,
      shape: { cpu: 8, memoryBytes: 2 ** 35, pods: 50 },
      scaleIn: { enabled: true, unneededSeconds: 600, maxNodesPerTick: 5 },
      scaleOutCooldownSeconds: 0,
      provider: { kind: 'sim' as const },
      pricePerNodeHour: 1,
      forecast: { mode: 'active' as const, quantile: 0.95 },
    };
    const job = {
      name: 'j',
      cron: '0 * * * *',
      queue: 'q',
      executors: 1,
      executorCpu: 1,
      executorMemoryBytes: 1,
      durationSeconds: 60,
    };
    const config = {
      forecast: { stepSeconds: 60, refitSeconds: 3600, maxTrustedError: 1.5 },
      history: { source: 'local' as const, retentionDays: 7 },
      queues: [{ name: 'q', executorGroup: 'exec', maxCpu: Infinity, maxMemoryBytes: Infinity }],
      scheduledJobs: [job, { ...job, name: 'other', queue: 'elsewhere' }],
      nodeGroups: [group],
    };
    const o = groupForecasterOptions(config as never, group);
    expect(o).toMatchObject({
      group: 'exec',
      stepSeconds: 60,
      refitSeconds: 3600,
      maxTrustedError: 1.5,
      quantiles: [0.95],
    });
    expect(o.scheduledJobs?.map((j) => j.cron)).toEqual(['0 * * * *']);
  });
});
