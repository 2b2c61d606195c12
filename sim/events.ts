/** Everything that can happen in the simulation, ordered by the event queue. */
import type { SimApp, SimNode } from './model.js';
import type { TraceJob } from './trace-types.js';

export type SimEvent =
  | { readonly kind: 'submit'; readonly job: TraceJob }
  | { readonly kind: 'batch'; readonly app: SimApp }
  | { readonly kind: 'finish'; readonly app: SimApp; readonly version: number }
  | { readonly kind: 'node-ready'; readonly node: SimNode }
  /** Periodic policy tick. */
  | { readonly kind: 'tick' }
  /** Debounced policy tick after new unschedulable pods. */
  | { readonly kind: 'event-tick' }
  /** Timeline sample for the HTML report (sim/timeline.ts). */
  | { readonly kind: 'sample' };

export type Schedule = (time: number, event: SimEvent) => void;
