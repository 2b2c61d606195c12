/**
 * Overrides as operators make them (through the store the API writes to) change the plan the
 * policy makes, and stop applying on their own when their window ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../agent/clock.js';
import { defaultConfig } from '../../agent/config/load.js';
import { decide } from '../../agent/decide/decide.js';
import { initialPolicyState, type GroupForecastView } from '../../agent/decide/plan.js';
import { openStore, type Store } from '../../agent/store/index.js';
import { aPendingExecutor, aSnapshot } from '../fixtures/snapshot-builder.js';

const config = defaultConfig();
const T0 = Date.parse('2026-11-26T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** 10 executor nodes running, 4 more needed by pending pods. */
const snapshot = (now: number) =>
  aSnapshot()
    .withNodes('spark-executor', 10)
    .withPods(
      ...Array.from({ length: 8 }, () =>
        aPendingExecutor({ cpu: 8, group: 'spark-executor', unschedulableSince: now - 5000 }),
      ),
    )
    .withTargetSize('spark-executor', 10)
    .build(now);

const forecast: GroupForecastView = {
  group: 'spark-executor',
  model: 'test',
  trusted: true,
  demandAtLead: 30,
  pointAtLead: 25,
  maxDemandWithinHold: 30,
  leadSeconds: 300,
};

describe('overrides change the plan', () => {
  let dir: string;
  let store: Store;
  const clock = new ManualClock(T0);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nodecast-ovr-'));
    store = openStore(dir, { clock });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const target = (now: number, withForecast = false) => {
    const forecasts = withForecast ? new Map([['spark-executor', forecast]]) : undefined;
    const { plan } = decide(snapshot(now), config, initialPolicyState, now, {
      overrides: store.activeOverrides(now),
      ...(forecasts ? { forecasts } : {}),
    });
    return plan.decisions.find((d) => d.group === 'spark-executor')!;
  };
  const window = { start: iso(T0 - 60_000), end: iso(T0 + 3_600_000) };

  it('without overrides the pending pods decide: 10 -> 14', () => {
    expect(target(T0).target).toBe(14);
  });

  it('a floor raises the target, and names itself in the reasons', () => {
    const o = store.createOverride(
      { group: 'spark-executor', kind: 'floor', value: 50, reason: 'backfill', ...window },
      'alice',
    );
    const d = target(T0);
    expect(d.target).toBe(50);
    expect(d.reasons.find((r) => r.code === 'override')?.message).toContain(o.id);
  });

  it('a ceiling caps the target', () => {
    store.createOverride(
      { group: 'spark-executor', kind: 'ceiling', value: 12, reason: 'budget', ...window },
      'bob',
    );
    expect(target(T0).target).toBe(12);
  });

  it('a pin fixes the target', () => {
    store.createOverride(
      { group: 'spark-executor', kind: 'pin', value: 20, reason: 'migration', ...window },
      'carol',
    );
    expect(target(T0).target).toBe(20);
  });

  it('forecast-off drops back to the reactive rules', () => {
    expect(target(T0, true).target).toBe(30);
    store.createOverride(
      { group: 'spark-executor', kind: 'forecast-off', reason: 'holiday', ...window },
      'dave',
    );
    expect(target(T0, true).target).toBe(14);
  });

  it('an expired override stops applying on its own and stays in history', () => {
    const o = store.createOverride(
      { group: 'spark-executor', kind: 'floor', value: 50, reason: 'backfill', ...window },
      'alice',
    );
    expect(target(T0 + 3_599_000).target).toBe(50);
    expect(target(T0 + 3_600_000 + 1).target).toBe(14);
    expect(store.getOverride(o.id)).toMatchObject({ id: o.id, value: 50 });
  });

  it('a recurring override applies in each occurrence only', () => {
    // 02:00-04:00 UTC every day.
    store.createOverride(
      {
        group: 'spark-executor',
        kind: 'floor',
        value: 40,
        reason: 'nightly ETL',
        cron: '0 2 * * *',
        durationSeconds: 7200,
      },
      'erin',
    );
    const day = Date.parse('2026-11-27T00:00:00Z');
    expect(target(day + 3 * 3_600_000).target).toBe(40);
    expect(target(day + 5 * 3_600_000).target).toBe(14);
  });
});
