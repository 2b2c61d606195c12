import { describe, expect, it } from 'vitest';
import { aConfig } from '../../test/fixtures/config-builder.js';
import { decisionFor, expectReason } from '../../test/fixtures/expect-plan.js';
import {
  aDaemonPod,
  aPendingExecutor,
  aRunningExecutor,
  aSnapshot,
} from '../../test/fixtures/snapshot-builder.js';
import { decide } from './decide.js';
import { initialPolicyState, type ActiveOverride, type GroupForecastView } from './plan.js';
import { resolveOverrides } from './overrides.js';

const NOW = 1_000_000_000;
const config = aConfig({ 'spark-executor': { min: 2, max: 50, scaleIn: { maxNodesPerTick: 2 } } });
const override = (
  kind: ActiveOverride['kind'],
  value?: number,
  id = `ov-${kind}-${value}`,
): ActiveOverride => ({
  id,
  group: 'spark-executor',
  kind,
  value,
  reason: 'test',
});

/** `busy` nodes with executors, `idle` nodes idle for an hour, `pending` unschedulable 4-cpu pods. */
function run(opts: {
  busy: number;
  idle?: number;
  pending?: number;
  target?: number;
  overrides?: ActiveOverride[];
  forecast?: Partial<GroupForecastView>;
}) {
  const idle = opts.idle ?? 0;
  const builder = aSnapshot().withNodes('spark-executor', opts.busy + idle);
  for (let i = 0; i < opts.busy; i++) builder.withPods(aRunningExecutor(`spark-executor-${i}`));
  for (let i = opts.busy; i < opts.busy + idle; i++) builder.withPods(aDaemonPod(`spark-executor-${i}`));
  for (let i = 0; i < (opts.pending ?? 0); i++) builder.withPods(aPendingExecutor());
  if (opts.target !== undefined) builder.withTargetSize('spark-executor', opts.target);
  const unneededSince = Object.fromEntries(
    Array.from({ length: idle }, (_, i) => [`spark-executor-${opts.busy + i}`, 0]),
  );
  const forecasts = opts.forecast
    ? new Map([
        [
          'spark-executor',
          {
            group: 'spark-executor',
            model: 'ets',
            trusted: true,
            demandAtLead: 0,
            pointAtLead: 0,
            maxDemandWithinHold: 0,
            leadSeconds: 300,
            ...opts.forecast,
          },
        ],
      ])
    : undefined;
  const result = decide(builder.build(), config, { ...initialPolicyState, unneededSince }, NOW, {
    overrides: opts.overrides,
    forecasts,
  });
  return decisionFor(result.plan, 'spark-executor');
}

describe('min and max', () => {
  it('raises a group below min to min', () => {
    const d = run({ busy: 1 });
    expect(d.target).toBe(2);
    expectReason(d, 'min', 'raised to min 2');
  });

  it('above max: idle nodes go at once (no wait, no per-tick cap); busy ones stay until empty', () => {
    const cfg = aConfig({ 'spark-executor': { max: 3, scaleIn: { maxNodesPerTick: 1 } } });
    const builder = aSnapshot().withNodes('spark-executor', 6);
    for (let i = 0; i < 5; i++) builder.withPods(aRunningExecutor(`spark-executor-${i}`));
    const d = decisionFor(decide(builder.build(), cfg, initialPolicyState, NOW).plan, 'spark-executor');
    expect(d).toMatchObject({ current: 6, target: 5, removeNodes: ['spark-executor-5'] });
    expectReason(
      d,
      'max',
      'above max 3: removing 1 node idle (spark-executor-5); 2 nodes more still run Spark pods',
    );
  });
});

describe('overrides', () => {
  it('a pin wins over pending pods and the forecast', () => {
    const d = run({
      busy: 4,
      pending: 40,
      overrides: [override('pin', 10, 'pin-1')],
      forecast: { demandAtLead: 30 },
    });
    expect(d.target).toBe(10);
    expectReason(d, 'override', 'pinned by override pin-1 (pin 10: test)');
  });

  it('a pin is clamped to max and min, and says so', () => {
    expectReason(run({ busy: 4, overrides: [override('pin', 80)] }), 'override', 'clamped to 50');
    expect(run({ busy: 4, overrides: [override('pin', 80)] }).target).toBe(50);
    // Clamped to min 2, but all 4 nodes run executors: none can go yet.
    expect(run({ busy: 4, overrides: [override('pin', 0)] }).target).toBe(4);
  });

  it('a pin below current removes idle nodes only, at once', () => {
    const d = run({ busy: 3, idle: 4, overrides: [override('pin', 4)] });
    expect(d).toMatchObject({ current: 7, target: 4 });
    expect(d.removeNodes).toHaveLength(3);
  });

  it('the highest floor applies, and scale-in stops at it', () => {
    const d = run({
      busy: 3,
      idle: 5,
      overrides: [override('floor', 6, 'low'), override('floor', 7, 'high')],
    });
    expect(d).toMatchObject({ current: 8, target: 7 });
    expectReason(d, 'override', 'not going below the floor of override high');
  });

  it('a floor raises the target', () => {
    const d = run({ busy: 3, overrides: [override('floor', 12, 'bf')] });
    expect(d.target).toBe(12);
    expectReason(d, 'override', 'raised to the floor of override bf');
  });

  it('the lowest ceiling caps scale-out', () => {
    const d = run({
      busy: 3,
      pending: 40,
      overrides: [override('ceiling', 9, 'c9'), override('ceiling', 6, 'c6')],
    });
    expect(d.target).toBe(6);
    expectReason(d, 'override', 'capped at ceiling of override c6 (ceiling 6: test): 28 pods stay pending');
  });

  it('a ceiling beats a floor and the forecast when they conflict', () => {
    const d = run({
      busy: 3,
      overrides: [override('floor', 20), override('ceiling', 8)],
      forecast: { demandAtLead: 30 },
    });
    expect(d.target).toBe(8);
  });

  it('a ceiling never goes below min', () => {
    expect(run({ busy: 1, overrides: [override('ceiling', 0)] }).target).toBe(2);
  });

  it('overrides for other groups, and valueless ones, are ignored', () => {
    const other: ActiveOverride = { ...override('pin', 30), group: 'spark-driver' };
    const broken = override('floor', undefined, 'broken');
    const d = run({ busy: 3, overrides: [other, broken] });
    expect(d.target).toBe(3);
    expectReason(d, 'override', 'override broken (floor) ignored');
  });

  it('resolveOverrides picks highest pin and floor, lowest ceiling', () => {
    const bounds = resolveOverrides('spark-executor', [
      override('pin', 3),
      override('pin', 5),
      override('ceiling', 9),
      override('ceiling', 4),
      override('floor', 1),
      override('floor', 2),
    ]);
    expect([bounds.pin?.value, bounds.ceiling?.value, bounds.floor?.value]).toEqual([5, 4, 2]);
  });
});

describe('steady', () => {
  it('every unchanged decision says steady', () => {
    expectReason(run({ busy: 3 }), 'steady', 'staying at 3 nodes');
  });
});
