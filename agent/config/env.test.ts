import { describe, expect, it } from 'vitest';
import { GOOD_CONFIG_YAML as GOOD } from '../../test/fixtures/config-yaml.js';
import { issuesOf } from '../../test/fixtures/config-issues.js';
import { loadConfig } from './load.js';

const GiB = 2 ** 30;

describe('environment overrides', () => {
  it('named variables override their fields', () => {
    const config = loadConfig({
      yamlText: GOOD,
      env: {
        NODECAST_HOST: '10.0.0.1',
        NODECAST_PORT: '8443',
        NODECAST_CLUSTER_NAME: '12345',
        NODECAST_DATA_DIR: '/var/lib/nodecast',
        NODECAST_TICK_SECONDS: '5',
        NODECAST_HISTORY_SOURCE: 'local',
        NODECAST_PROMETHEUS_URL: 'https://thanos:10902',
      },
    });
    expect(config.server).toEqual({ host: '10.0.0.1', port: 8443 });
    expect(config.clusterName).toBe('12345');
    expect(config.dataDir).toBe('/var/lib/nodecast');
    expect(config.tickSeconds).toBe(5);
    expect(config.history).toMatchObject({ source: 'local', prometheusUrl: 'https://thanos:10902' });
  });

  it('generic NODECAST__path variables reach any field, indexing lists', () => {
    const config = loadConfig({
      yamlText: GOOD,
      env: {
        NODECAST__nodeGroups__1__max: '150',
        NODECAST__nodeGroups__1__scaleIn__enabled: 'false',
        NODECAST__queues__0__maxMemory: '8Ti',
      },
    });
    expect(config.nodeGroups[1]!.max).toBe(150);
    expect(config.nodeGroups[1]!.scaleIn.enabled).toBe(false);
    expect(config.queues[0]!.maxMemoryBytes).toBe(8 * 1024 * GiB);
  });

  it('ignores empty values', () => {
    expect(
      loadConfig({ yamlText: GOOD, env: { NODECAST_PORT: '', NODECAST__tickSeconds: '' } }).server.port,
    ).toBe(9090);
  });

  it('errors name the variable', () => {
    const issues = issuesOf(GOOD, {
      NODECAST_PORT: 'http',
      NODECAST__nodeGroups__7__max: '3',
      NODECAST__nodeGroups__0__min: '{a: 1}',
      NODECAST__clusterName____x: '1',
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'server.port', message: 'must be an integer (got "http") (set by NODECAST_PORT)' },
        { path: 'NODECAST__nodeGroups__7__max', message: 'index 7 is out of range: nodeGroups has 2 items' },
        expect.objectContaining({
          path: 'NODECAST__nodeGroups__0__min',
          message: expect.stringMatching(/YAML scalar/),
        }),
        expect.objectContaining({
          path: 'NODECAST__clusterName____x',
          message: expect.stringMatching(/empty path segment/),
        }),
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('an override can break semantics, and the error says which variable set it', () => {
    const [issue] = issuesOf(GOOD, { NODECAST__nodeGroups__1__min: '500' });
    expect(issue).toEqual({
      path: 'nodeGroups[1].max',
      message: 'must be >= min (500)',
      line: 15,
      column: 10,
    });
    const [viaMax] = issuesOf(GOOD, { NODECAST__nodeGroups__1__max: '-1' });
    expect(viaMax!.message).toMatch(/set by NODECAST__nodeGroups__1__max/);
  });
});
