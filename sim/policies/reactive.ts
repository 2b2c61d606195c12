/**
 * nodecast's own policy: the real `decide` (agent/decide/decide.ts) with the loaded config,
 * ticking every config.tickSeconds and after new unschedulable pods (debounced by
 * config.eventDebounceMs), as the agent does on a cluster. A predictive variant reuses this with
 * `inputs` (forecasts per tick) and the onPlan / onStep / onScaleOutLatency hooks.
 */
import type { Config } from '../../agent/config/types.js';
import { decide } from '../../agent/decide/decide.js';
import {
  initialPolicyState,
  type DecideInputs,
  type Plan,
  type PolicyState,
} from '../../agent/decide/plan.js';
import type { ClusterSnapshot } from '../../agent/state/snapshot.js';
import type { SimPolicy } from './policy.js';

export interface DecidePolicyOptions {
  /** Report name (default "reactive"). */
  readonly name?: string;
  /** Extra decide inputs for this tick (forecasts, overrides); none by default. */
  readonly inputs?: (snapshot: ClusterSnapshot, now: number) => DecideInputs | undefined;
  readonly stepSeconds?: number;
  readonly onStep?: (snapshot: ClusterSnapshot, now: number) => void;
  readonly onScaleOutLatency?: (group: string, seconds: number, now: number) => void;
  /** Every tick's plan, after decide: where a predictive policy records demand, as the agent loop does. */
  readonly onPlan?: (plan: Plan, now: number) => void;
}

export function decidePolicy(config: Config, options: DecidePolicyOptions = {}): SimPolicy {
  let state: PolicyState = initialPolicyState;
  return {
    name: options.name ?? 'reactive',
    tickSeconds: config.tickSeconds,
    eventDebounceMs: config.eventDebounceMs,
    stepSeconds: options.stepSeconds ?? config.forecast.stepSeconds,
    ...(options.onStep ? { onStep: options.onStep } : {}),
    ...(options.onScaleOutLatency ? { onScaleOutLatency: options.onScaleOutLatency } : {}),
    onTick(snapshot, now) {
      const result = decide(snapshot, config, state, now, options.inputs?.(snapshot, now));
      state = result.state;
      options.onPlan?.(result.plan, now);
      return { plan: result.plan };
    },
  };
}

export function reactivePolicy(config: Config): SimPolicy {
  return decidePolicy(config, { name: 'reactive' });
}
