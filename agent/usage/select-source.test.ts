import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../logger.js';
import { createUsageSource } from './select-source.js';

const kc = new KubeConfig();
kc.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
  users: [{ name: 'u' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x',
});
const base = { kc, snapshot: () => undefined };
const collectors = async () => [{ pod: 'nodecast/c-1', url: 'http://10.0.0.1:9102/usage' }];

describe('createUsageSource', () => {
  it('prefers metrics-server when discovery serves metrics.k8s.io', async () => {
    const choice = await createUsageSource({
      ...base,
      hasMetricsApi: async () => true,
      discoverCollectors: collectors,
    });
    expect(choice.source?.kind).toBe('metrics-server');
    expect(choice.reason).toMatch(/metrics.k8s.io/);
  });

  it('uses the collectors when metrics-server is absent and collector pods run', async () => {
    const choice = await createUsageSource({
      ...base,
      hasMetricsApi: async () => false,
      discoverCollectors: collectors,
    });
    expect(choice.source?.kind).toBe('collector');
    expect(choice.reason).toMatch(/1 collector pod/);
  });

  it('chooses none, and says why, when neither exists', async () => {
    const choice = await createUsageSource({
      ...base,
      hasMetricsApi: async () => false,
      discoverCollectors: async () => [],
    });
    expect(choice.source).toBeNull();
    expect(choice.reason).toMatch(/no usage source/);
  });

  it('survives a failing discovery call by logging it and trying the next option', async () => {
    const logger = new MemoryLogger();
    const choice = await createUsageSource({
      ...base,
      logger,
      hasMetricsApi: () => Promise.reject(new Error('503 from /apis')),
      discoverCollectors: collectors,
    });
    expect(choice.source?.kind).toBe('collector');
    expect(logger.entries[0]?.message).toMatch(/discovery failed/);
  });

  it('honours a forced mode without probing', async () => {
    const never = () => Promise.reject(new Error('must not be called'));
    expect((await createUsageSource({ ...base, mode: 'collector', hasMetricsApi: never })).source?.kind).toBe(
      'collector',
    );
    expect(
      (await createUsageSource({ ...base, mode: 'metrics-server', discoverCollectors: never })).source?.kind,
    ).toBe('metrics-server');
    expect((await createUsageSource({ ...base, mode: 'off' })).source).toBeNull();
  });
});
