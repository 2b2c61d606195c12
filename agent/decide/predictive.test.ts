import { describe, expect, it } from 'vitest';
import { aConfig } from '../../test/fixtures/config-builder.js';
import { decisionFor, expectNoReason, expectReason } from '../../test/fixtures/expect-plan.js';
import {
  aDaemonPod,
  aPendingExecutor,
  aRunningExecutor,
  aSnapshot,
} from '../../test/fixtures/snapshot-builder.js';
import { decide } from './decide.js';
import { initialPolicyState, type ActiveOverride, type GroupForecastView, type PolicyState } from './plan.js';

const MIN = 60_000;
const NOW = 500 * MIN;
const active = aConfig({ 'spark-executor': { min: 1, forecast: { mode: 'active' } } });
const shadow = aConfig({ 'spark-executor': { min: 1, forecast: { mode: 'shadow' } } });

const forecast = (patch: Partial<GroupForecastView> = {}): GroupForecastView => ({
  group: 'spark-executor',
  model: 'mstl',
  trusted: true,
  demandAtLead: 7.3,
  pointAtLead: 6.1,
  maxDemandWithinHold: 7.3,
  leadSeconds: 390,
  ...patch,
});
const forecasts = (view?: GroupForecastView) => (view ? new Map([['spark-executor', view]]) : new Map());

/** 3 busy executor nodes + `idle` idle ones, idle long enough to be removable. */
function scenario(idle: number) {
  const builder = aSnapshot().withNodes('spark-executor', 3 + idle);
  for (let i = 0; i < 3; i++) builder.withPods(aRunningExecutor(`spark-executor-${i}`));
  for (let i = 3; i < 3 + idle; i++) builder.withPods(aDaemonPod(`spark-executor-${i}`));
  const unneededSince: Record<string, number> = {};
  for (let i = 3; i < 3 + idle; i++) unneededSince[`spark-executor-${i}`] = 0;
  const state: PolicyState = { ...initialPolicyState, unneededSince };
  return { snapshot: builder.build(), state };
}

const run = (config = active, view?: GroupForecastView, idle = 0, overrides?: ActiveOverride[]) => {
  const { snapshot, state } = scenario(idle);
  return decisionFor(
    decide(snapshot, config, state, NOW, { forecasts: forecasts(view), overrides }).plan,
    'spark-executor',
  );
};

describe('predictive floor', () => {
  it('raises the target to the forecast quantile of demand at lead', () => {
    const d = run(active, forecast());
    expect(d).toMatchObject({ current: 3, target: 8 });
    expectReason(
      d,
      'forecast',
      'p80 demand at +6m30s is 7.3 nodes (model mstl, point 6.1): at least 8 nodes',
    );
  });

  it('does not round a float just above an integer up by a whole node', () => {
    expect(run(active, forecast({ demandAtLead: 5.0000000001 })).target).toBe(5);
  });

  it('only raises floors: a low forecast never removes capacity', () => {
    const d = run(active, forecast({ demandAtLead: 0.5, maxDemandWithinHold: 0.5 }));
    expect(d.target).toBe(3);
    expectNoReason(d, 'forecast');
  });

  it('reactive scale-out still applies above the forecast', () => {
    const { snapshot } = scenario(0);
    const withPending = {
      ...snapshot,
      pods: new Map([
        ...snapshot.pods,
        ...Array.from({ length: 40 }, (_, i) => [`p${i}`, aPendingExecutor({ uid: `p${i}` })] as const),
      ]),
    };
    const d = decisionFor(
      decide(withPending, active, initialPolicyState, NOW, { forecasts: forecasts(forecast()) }).plan,
      'spark-executor',
    );
    expect(d.target).toBe(13); // 40 x 4 cpu = 10 nodes on top of 3, above the forecast floor of 8
    expectReason(d, 'pending-pods');
  });

  it('is capped by max, with a reason', () => {
    const d = run(aConfig({ 'spark-executor': { max: 6 } }), forecast());
    expect(d.target).toBe(6);
    expectReason(d, 'max', 'forecast floor 8 capped at max 6');
  });
});

describe('scale-in hold', () => {
  it('keeps idle nodes while the forecast says demand comes back within the hold window', () => {
    const d = run(active, forecast({ demandAtLead: 2, maxDemandWithinHold: 5.5 }), 4);
    expect(d).toMatchObject({ current: 7, target: 6 });
    expect(d.removeNodes).toHaveLength(1);
    expectReason(d, 'scale-in-hold', 'keeping 3 idle nodes: median demand reaches 5.5 nodes within 16m30s');
  });

  it('a model flagged but acted on within the trust grace says so in the floor and hold reasons', () => {
    const flagged = forecast({ maxDemandWithinHold: 9, graceReason: 'changepoint (60 s of a 990 s grace)' });
    const up = run(active, flagged);
    expect(up.target).toBe(8);
    expectReason(up, 'forecast', /acted on within the trust grace: changepoint \(60 s of a 990 s grace\)$/);
    const held = run(active, { ...flagged, demandAtLead: 2 }, 7);
    expect(held.target).toBe(9);
    expectReason(held, 'scale-in-hold', /acted on within the trust grace: changepoint/);
  });

  it('lets idle nodes go when the forecast stays low', () => {
    const d = run(active, forecast({ demandAtLead: 1, maxDemandWithinHold: 2 }), 4);
    expect(d.target).toBe(3);
    expectNoReason(d, 'scale-in-hold');
  });
});

describe('when the forecast cannot be used', () => {
  it('untrusted: reactive rules only, and says why', () => {
    const d = run(
      active,
      forecast({ trusted: false, untrustedReason: 'MASE 2.3 above 1.5', demandAtLead: 50 }),
      2,
    );
    expect(d.target).toBe(3); // the 2 idle nodes go: no hold from an untrusted forecast
    expectReason(d, 'forecast-untrusted', 'model mstl not trusted (MASE 2.3 above 1.5): reactive rules only');
  });

  it('non-finite numbers count as untrusted', () => {
    expectReason(run(active, forecast({ demandAtLead: NaN })), 'forecast-untrusted', 'non-finite');
  });

  it('missing for an active group: forecast-unavailable', () => {
    const d = run(active, undefined);
    expect(d.target).toBe(3);
    expectReason(d, 'forecast-unavailable', 'no forecast for this group yet');
  });

  it('shadow mode notes what it would have done and changes nothing', () => {
    const d = run(shadow, forecast({ demandAtLead: 9, maxDemandWithinHold: 9 }), 2);
    expect(d.target).toBe(3); // idle nodes still go: shadow holds nothing
    expectReason(d, 'forecast-shadow', 'would keep at least 9 nodes');
    expectNoReason(d, 'forecast');
  });

  it('a forecast-off override makes the group ignore its forecast', () => {
    const off: ActiveOverride = {
      id: 'ov-7',
      group: 'spark-executor',
      kind: 'forecast-off',
      reason: 'model drift after migration',
    };
    const d = run(active, forecast(), 0, [off]);
    expect(d.target).toBe(3);
    expectReason(d, 'override', 'forecasting off by override ov-7 (model drift after migration)');
    expectNoReason(d, 'forecast');
  });

  it('forecasts for non-executor groups are ignored', () => {
    const { snapshot, state } = scenario(0);
    const driverForecast = new Map([
      ['spark-driver', { ...forecast(), group: 'spark-driver', demandAtLead: 30 }],
    ]);
    const withDrivers = {
      ...snapshot,
      groups: new Map([...snapshot.groups, ['spark-driver', { name: 'spark-driver', targetSize: 2 }]]),
    };
    const d = decisionFor(
      decide(withDrivers, active, state, NOW, { forecasts: driverForecast }).plan,
      'spark-driver',
    );
    expect(d.target).toBe(2);
  });
});
