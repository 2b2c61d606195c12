import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../agent/config/load.js';
import type { ActuationResult } from '../../agent/actuate/result.js';
import type { GroupDecision } from '../../agent/decide/plan.js';
import { TelemetryListener } from '../../agent/export/telemetry-listener.js';
import type { TickResult } from '../../agent/loop.js';
import { createMetrics } from '../../agent/telemetry/metrics.js';
import { metricValue } from '../../agent/telemetry/metric-values.js';
import { catalog } from '../../agent/telemetry/catalog.js';
import { FakeApiError } from '../fakes/fake-provider.js';
import { aPendingExecutor, aRunningExecutor, aSnapshot } from '../fixtures/snapshot-builder.js';

const config = defaultConfig();
const decision = (group: string, current: number, target: number): GroupDecision => ({
  group,
  role: 'executor',
  current,
  target,
  removeNodes: [],
  demandNodes: target,
  reasons: [{ code: 'pending-pods', message: 'test' }],
});
const result = (
  r: Partial<ActuationResult> & Pick<ActuationResult, 'group' | 'outcome' | 'from' | 'to'>,
): ActuationResult => ({
  action: r.to > r.from ? 'scale-out' : 'scale-in',
  requested: r.to,
  removedNodes: [],
  droppedNodes: [],
  attempts: 1,
  durationMs: 1,
  ...r,
});

function tick(
  at: number,
  pods: Parameters<ReturnType<typeof aSnapshot>['withPods']>,
  extra: Partial<TickResult> = {},
): TickResult {
  const snapshot = aSnapshot()
    .withNodes('spark-executor', 2)
    .withPods(...pods)
    .withTargetSize('spark-executor', 2)
    .build(at);
  return {
    at,
    snapshot,
    plan: { at, decisions: [decision('spark-executor', 2, 2)] },
    actuation: [],
    leader: true,
    trigger: 'timer',
    ...extra,
  };
}

describe('TelemetryListener', () => {
  it('counts applied scale-outs by the provider result, and failures by error kind', async () => {
    const m = createMetrics();
    const listener = new TelemetryListener(m, config);
    listener.onTick(
      tick(0, [], {
        plan: { at: 0, decisions: [decision('spark-executor', 2, 6), decision('spark-driver', 2, 3)] },
        actuation: [
          result({ group: 'spark-executor', outcome: 'applied', from: 2, to: 6 }),
          result({ group: 'spark-driver', outcome: 'failed', from: 2, to: 2, cause: new FakeApiError(409) }),
        ],
      }),
    );
    expect(
      await metricValue(m, catalog.scaleOutNodes.name, { group: 'spark-executor', reason: 'pending-pods' }),
    ).toBe(4);
    expect(
      await metricValue(m, catalog.scaleOutActions.name, { group: 'spark-driver', reason: 'pending-pods' }),
    ).toBe(0);
    expect(
      await metricValue(m, catalog.providerErrors.name, { group: 'spark-driver', kind: 'conflict' }),
    ).toBe(1);
  });

  it('observes pod pending time once, when an unschedulable pod gets a node', async () => {
    const m = createMetrics();
    const listener = new TelemetryListener(m, config);
    const pending = aPendingExecutor({ uid: 'p1', unschedulableSince: 10_000, group: 'spark-executor' });
    listener.onTick(tick(20_000, [pending]));
    listener.onTick(
      tick(90_000, [aRunningExecutor('spark-executor-0', { uid: 'p1', group: 'spark-executor' })]),
    );
    listener.onTick(
      tick(100_000, [aRunningExecutor('spark-executor-0', { uid: 'p1', group: 'spark-executor' })]),
    );
    expect(
      await metricValue(m, `${catalog.podPendingTime.name}_count`, {
        group: 'spark-executor',
        role: 'executor',
      }),
    ).toBe(1);
    expect(
      await metricValue(m, `${catalog.podPendingTime.name}_sum`, {
        group: 'spark-executor',
        role: 'executor',
      }),
    ).toBe(80);
  });

  it('accumulates cost and the saving against a fleet at max', async () => {
    const m = createMetrics();
    const listener = new TelemetryListener(m, config);
    const executor = config.nodeGroups.find((g) => g.name === 'spark-executor')!;
    listener.onTick(tick(0, []));
    listener.onTick(tick(3_600_000, []));
    expect(await metricValue(m, catalog.costTotal.name, { group: 'spark-executor' })).toBeCloseTo(
      2 * executor.pricePerNodeHour,
    );
    expect(await metricValue(m, catalog.savingTotal.name, { group: 'spark-executor' })).toBeCloseTo(
      (executor.max - 2) * executor.pricePerNodeHour,
    );
  });
});
