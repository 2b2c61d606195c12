/**
 * A fake AgentView for API tests: groups, forecasts and readiness are plain data the test sets.
 * `apiTestConfig()` is a complete Config with the three production-like groups the fake shows.
 */
import type { AgentView, ForecastResponse, GroupStatusView } from '../../agent/api/agent-view.js';
import type { Config, NodeGroupConfig } from '../../agent/config/types.js';

const GiB = 2 ** 30;

function group(name: string, role: NodeGroupConfig['role'], min: number, max: number): NodeGroupConfig {
  return {
    name,
    role,
    nodeSelector: { 'nodecast.io/node-group': name },
    min,
    max,
    shape: { cpu: 16, memoryBytes: 64 * GiB, pods: 110 },
    scaleIn: { enabled: role === 'executor', unneededSeconds: 600, maxNodesPerTick: 10 },
    scaleOutCooldownSeconds: 30,
    provider: { kind: 'dry-run' },
    pricePerNodeHour: 1,
    forecast: { mode: role === 'executor' ? 'active' : 'off', quantile: 0.9 },
  };
}

export function apiTestConfig(): Config {
  return {
    clusterName: 'test',
    tickSeconds: 10,
    eventDebounceMs: 500,
    nodeGroups: [
      group('spark-system', 'system', 3, 3),
      group('spark-driver', 'driver', 2, 40),
      group('spark-executor', 'executor', 2, 200),
    ],
    queues: [],
    server: { host: '127.0.0.1', port: 0 },
    forecast: { stepSeconds: 60, refitSeconds: 3600, maxTrustedError: 1.5 },
    scheduledJobs: [],
    history: { source: 'local', retentionDays: 35 },
    dataDir: '.nodecast-test',
    api: {},
    leaderElection: {
      enabled: false,
      namespace: 'nodecast',
      leaseName: 'nodecast-leader',
      leaseDurationSeconds: 15,
      renewDeadlineSeconds: 10,
      retryPeriodSeconds: 2,
    },
  };
}

export function groupStatusFromConfig(g: NodeGroupConfig, current = g.min): GroupStatusView {
  return {
    name: g.name,
    role: g.role,
    current,
    target: current,
    min: g.min,
    max: g.max,
    demandNodes: current,
    forecastMode: g.forecast.mode,
    lastReasons: [{ code: 'steady', message: `${g.name} needs ${current} nodes and has them` }],
    nodes: { ready: current, provisioning: 0 },
  };
}

/** A forecast of `level` nodes, one point per step, with a band of +-20%. */
export function flatForecast(
  now: number,
  horizonSeconds: number,
  level: number,
  stepSeconds = 60,
): ForecastResponse {
  const n = Math.floor(horizonSeconds / stepSeconds);
  return {
    model: 'seasonal-naive-daily',
    trusted: true,
    generatedAt: now,
    stepSeconds,
    points: Array.from({ length: n }, (_, i) => ({
      t: now + (i + 1) * stepSeconds * 1000,
      point: level,
      p10: level * 0.8,
      p50: level,
      p90: level * 1.2,
    })),
  };
}

export class FakeAgentView implements AgentView {
  groupViews: GroupStatusView[];
  forecasts = new Map<string, (horizonSeconds: number) => ForecastResponse>();
  readiness: { ready: boolean; reason?: string } = { ready: true };
  /** Every (group, horizonSeconds) forecast() was asked for. */
  readonly forecastCalls: { group: string; horizonSeconds: number }[] = [];

  constructor(config: Config = apiTestConfig()) {
    this.groupViews = config.nodeGroups.map((g) => groupStatusFromConfig(g));
  }

  groups(): readonly GroupStatusView[] {
    return this.groupViews;
  }

  forecast(group: string, horizonSeconds: number): ForecastResponse | undefined {
    this.forecastCalls.push({ group, horizonSeconds });
    return this.forecasts.get(group)?.(horizonSeconds);
  }

  ready(): { ready: boolean; reason?: string } {
    return this.readiness;
  }
}
