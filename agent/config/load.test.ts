import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD_CONFIG_YAML as GOOD } from '../../test/fixtures/config-yaml.js';
import { issuesOf, paths } from '../../test/fixtures/config-issues.js';
import { ConfigError, defaultConfig, loadConfig, parseConfig } from './load.js';

const GiB = 2 ** 30;

describe('loadConfig: a good file', () => {
  const config = loadConfig({ yamlText: GOOD, env: {} });

  it('normalises quantities, durations and nested sections', () => {
    const executor = config.nodeGroups[1]!;
    expect(config.clusterName).toBe('prod-east');
    expect(config.tickSeconds).toBe(15);
    expect(config.server).toEqual({ host: '0.0.0.0', port: 9090 });
    expect(executor.shape).toEqual({ cpu: 15.5, memoryBytes: 120 * GiB, pods: 110 });
    expect(executor.scaleIn).toEqual({ enabled: true, unneededSeconds: 300, maxNodesPerTick: 4 });
    expect(executor.scaleOutCooldownSeconds).toBe(90);
    expect(executor.provider).toEqual({
      kind: 'clusterapi',
      namespace: 'capi',
      name: 'exec-md',
      resource: 'MachineDeployment',
    });
    expect(executor.forecast).toEqual({ mode: 'active', quantile: 0.95 });
    expect(config.queues[0]).toEqual({
      name: 'etl',
      executorGroup: 'spark-executor',
      maxCpu: 800,
      maxMemoryBytes: 6 * 1024 * GiB,
    });
    expect(config.scheduledJobs[0]!.durationSeconds).toBe(2700);
    expect(config.leaderElection.retryPeriodSeconds).toBe(3);
  });

  it('fills defaults by role: drivers scale out only, executors scale in, forecasts off outside executors', () => {
    const driver = config.nodeGroups[0]!;
    expect(driver.scaleIn.enabled).toBe(false);
    expect(driver.forecast.mode).toBe('off');
    expect(driver.provider.kind).toBe('dry-run');
    expect(driver.scaleOutCooldownSeconds).toBe(30);
    expect(config.queues[1]!.maxCpu).toBe(Infinity);
    expect(config.eventDebounceMs).toBe(500);
    expect(config.dataDir).toBe('.nodecast');
  });

  it('returns a frozen config', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.nodeGroups[1]!.shape)).toBe(true);
  });

  it('reads a file, and NODECAST_CONFIG when no file is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodecast-config-'));
    const file = join(dir, 'nodecast.yaml');
    writeFileSync(file, GOOD);
    expect(loadConfig({ file, env: {} }).clusterName).toBe('prod-east');
    expect(loadConfig({ env: { NODECAST_CONFIG: file } }).clusterName).toBe('prod-east');
  });

  it('names the variable when NODECAST_CONFIG points at a missing file', () => {
    expect(() => loadConfig({ env: { NODECAST_CONFIG: '/nonexistent/nodecast.yaml' } })).toThrowError(
      /NODECAST_CONFIG: cannot read/,
    );
  });
});

describe('defaultConfig', () => {
  it('is valid and describes the production layout', () => {
    const config = defaultConfig();
    const byName = new Map(config.nodeGroups.map((g) => [g.name, g]));
    expect(byName.get('spark-system')).toMatchObject({
      role: 'system',
      min: 3,
      max: 3,
      scaleIn: { enabled: false },
    });
    expect(byName.get('spark-driver')).toMatchObject({
      role: 'driver',
      min: 2,
      max: 40,
      scaleIn: { enabled: false },
    });
    expect(byName.get('spark-executor')).toMatchObject({
      role: 'executor',
      min: 2,
      max: 200,
      shape: { cpu: 16, memoryBytes: 128 * GiB, pods: 110 },
      scaleIn: { enabled: true, unneededSeconds: 600, maxNodesPerTick: 20 },
      forecast: { mode: 'active', quantile: 0.8 },
      provider: { kind: 'sim' },
    });
    expect(config.queues.map((q) => q.name)).toEqual(['etl', 'adhoc', 'ml', 'backfill']);
    expect(config.queues.every((q) => q.executorGroup === 'spark-executor')).toBe(true);
  });

  it('is what loadConfig returns without a file, with env overrides applied on top', () => {
    expect(loadConfig({ env: {} })).toEqual(defaultConfig());
    expect(loadConfig({ env: { NODECAST_CLUSTER_NAME: 'lab' } }).clusterName).toBe('lab');
  });

  it('parseConfig accepts the same data as objects', () => {
    const raw = {
      clusterName: 'c',
      nodeGroups: [
        {
          name: 'e',
          role: 'executor',
          nodeSelector: { a: 'b' },
          min: 0,
          max: 3,
          shape: { cpu: 4, memory: '16Gi', pods: 20 },
        },
      ],
    };
    expect(parseConfig(raw).nodeGroups[0]!.shape.memoryBytes).toBe(16 * GiB);
    expect(() => parseConfig({ ...raw, clusterName: 3 })).toThrowError(/clusterName: must be a string/);
  });
});

describe('loadConfig: errors name the field', () => {
  it('min above max, in the documented form', () => {
    const issues = issuesOf(GOOD.replace('min: 0\n    max: 100', 'min: 5\n    max: 3'));
    expect(issues).toEqual([
      { path: 'nodeGroups[1].max', message: 'must be >= min (5)', line: 15, column: 10 },
    ]);
  });

  it('unknown keys, with a suggestion for typos', () => {
    const issues = issuesOf(
      GOOD.replace('scaleOutCooldown: 1m30s', 'scaleOutColdown: 1m30s').replace(
        'tickSeconds: 15',
        'tickSeconds: 15\nbogus: 1',
      ),
    );
    expect(paths(issues).sort()).toEqual(['bogus', 'nodeGroups[1].scaleOutColdown']);
    expect(issues.find((i) => i.path === 'nodeGroups[1].scaleOutColdown')!.message).toMatch(
      /did you mean "scaleOutCooldown"/,
    );
  });

  it('bad quantities and durations', () => {
    const issues = issuesOf(
      GOOD.replace('memory: 120Gi', 'memory: 120GB').replace('unneededTime: 5m', 'unneededTime: 5 minutes'),
    );
    expect(paths(issues).sort()).toEqual([
      'nodeGroups[1].scaleIn.unneededTime',
      'nodeGroups[1].shape.memory',
    ]);
    expect(issues[0]!.message).toMatch(/got "/);
  });

  it('missing required fields and wrong types', () => {
    const issues = issuesOf(GOOD.replace('    role: driver\n', '').replace('port: 9090', 'port: high'));
    expect(paths(issues).sort()).toEqual(['nodeGroups[0].role', 'server.port']);
    expect(issues.find((i) => i.path === 'server.port')!.message).toBe('must be an integer (got "high")');
  });

  it('enums list the allowed values', () => {
    const [issue] = issuesOf(GOOD.replace('kind: clusterapi', 'kind: aws'));
    expect(issue).toMatchObject({
      path: 'nodeGroups[1].provider.kind',
      message: expect.stringMatching(/must be one of sim, dry-run, clusterapi, headroom/),
    });
  });

  it('quantile must be strictly between 0 and 1', () => {
    expect(paths(issuesOf(GOOD.replace('quantile: 0.95', 'quantile: 1')))).toEqual([
      'nodeGroups[1].forecast.quantile',
    ]);
  });

  it('duplicate group and queue names', () => {
    const issues = issuesOf(
      GOOD.replace('name: spark-driver\n', 'name: spark-executor\n').replace('name: adhoc', 'name: etl'),
    );
    expect(paths(issues).sort()).toEqual(['nodeGroups[1].name', 'queues[1].name']);
  });

  it('queues must name an executor group', () => {
    const [issue] = issuesOf(
      GOOD.replace('name: adhoc, executorGroup: spark-executor', 'name: adhoc, executorGroup: spark-driver'),
    );
    expect(issue).toMatchObject({
      path: 'queues[1].executorGroup',
      message: 'no executor group named "spark-driver" (executor groups: spark-executor)',
    });
  });

  it('system groups cannot scale in, and only executor groups forecast', () => {
    const system = `  - name: spark-system
    role: system
    nodeSelector: { nodecast.io/node-group: spark-system }
    min: 3
    max: 3
    shape: { cpu: 8, memory: 32Gi, pods: 110 }
    scaleIn: { enabled: true }
    forecast: { mode: shadow }
`;
    const issues = issuesOf(GOOD.replace('nodeGroups:\n', `nodeGroups:\n${system}`));
    expect(paths(issues).sort()).toEqual(['nodeGroups[0].forecast.mode', 'nodeGroups[0].scaleIn.enabled']);
  });

  it('provider settings must match the kind', () => {
    const issues = issuesOf(
      GOOD.replace(
        'provider: { kind: clusterapi, namespace: capi, name: exec-md }',
        'provider: { kind: clusterapi, priorityClassName: low }',
      ),
    );
    expect(paths(issues).sort()).toEqual([
      'nodeGroups[1].provider.name',
      'nodeGroups[1].provider.namespace',
      'nodeGroups[1].provider.priorityClassName',
    ]);
  });

  it('prometheus history needs a URL', () => {
    expect(issuesOf(GOOD.replace(', prometheusUrl: "http://prometheus:9090"', ''))).toMatchObject([
      { path: 'history.prometheusUrl', message: 'is required when history.source is prometheus' },
    ]);
    expect(paths(issuesOf(GOOD.replace('http://prometheus:9090', 'prometheus:9090')))).toEqual([
      'history.prometheusUrl',
    ]);
  });

  it('scheduled jobs: cron, queue reference and executor size', () => {
    const issues = issuesOf(
      GOOD.replace('cron: "0 2 * * *", queue: etl', 'cron: "0 2 * *", queue: nope').replace(
        'executorCpu: 4,',
        'executorCpu: 4, extra: 1,',
      ),
    );
    expect(paths(issues).sort()).toEqual([
      'scheduledJobs[0].cron',
      'scheduledJobs[0].extra',
      'scheduledJobs[0].queue',
    ]);
    const tooBig = issuesOf(GOOD.replace('executorCpu: 4', 'executorCpu: 32'));
    expect(tooBig).toMatchObject([
      {
        path: 'scheduledJobs[0].executorCpu',
        message: '32 cpu does not fit a spark-executor node (15.5 cpu)',
      },
    ]);
  });

  it('leader election timings must nest', () => {
    expect(paths(issuesOf(GOOD.replace('renewDeadline: 15s', 'renewDeadline: 25s')))).toEqual([
      'leaderElection.renewDeadline',
    ]);
  });

  it('timeouts must be positive; the override store follows leader election unless set', () => {
    expect(paths(issuesOf(`${GOOD}\nkubeRequestTimeout: 0s\n`))).toEqual(['kubeRequestTimeout']);
    expect(paths(issuesOf(`${GOOD}\noverrides: { timeout: 0s }\n`))).toEqual(['overrides.timeout']);
    const withElection = loadConfig({ yamlText: GOOD, env: {} });
    expect(withElection.overrides?.store).toBe(withElection.leaderElection.enabled ? 'kubernetes' : 'local');
    const local = loadConfig({ yamlText: `${GOOD}\noverrides: { store: local }\n`, env: {} });
    expect(local.overrides).toMatchObject({ store: 'local', timeoutSeconds: 5 });
    expect(local.kubeRequestTimeoutSeconds).toBe(10);
  });

  it('collects every problem at once, and the message lists them with positions', () => {
    const text = GOOD.replace('min: 0\n    max: 100', 'min: 5\n    max: 3')
      .replace('kind: clusterapi', 'kind: aws')
      .replace('tickSeconds: 15', 'tickSeconds: 0');
    let error: ConfigError | undefined;
    try {
      loadConfig({ yamlText: text, env: {} });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues).toHaveLength(3);
    expect(error?.message).toContain('nodeGroups[1].max: must be >= min (5) (line 15, column 10)');
    expect(error?.message).toContain('tickSeconds: must be > 0 (got 0) (line 2, column 14)');
  });

  it('YAML syntax errors and duplicate keys carry line and column', () => {
    const [syntax] = issuesOf('clusterName: [unclosed\nnodeGroups: []\n');
    expect(syntax).toMatchObject({ path: '(yaml)', line: expect.any(Number) });
    const [duplicate] = issuesOf(GOOD.replace('tickSeconds: 15', 'tickSeconds: 15\ntickSeconds: 20'));
    expect(duplicate).toMatchObject({ path: '(yaml)', line: 3 });
  });

  it('an empty file says what is required', () => {
    expect(paths(issuesOf('')).sort()).toEqual(['clusterName', 'nodeGroups']);
    expect(paths(issuesOf('{}')).sort()).toEqual(['clusterName', 'nodeGroups']);
  });
});
