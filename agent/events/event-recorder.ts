/**
 * Scale Events: the recorder interface the actuator calls, the message format, and an in-memory
 * recorder. The Kubernetes implementation is in kube-event-recorder.ts (kept apart so code that
 * only records in memory does not load the Kubernetes client).
 */
import type { ObjectReference } from '../providers/provider.js';

export type ScaleEventReason = 'ScaledOut' | 'ScaledIn' | 'ScaleFailed';

export interface ScaleEvent {
  /** The object scaled; undefined (dry-run, sim) falls back to the recorder's configured object. */
  readonly object?: ObjectReference;
  readonly group: string;
  readonly reason: ScaleEventReason;
  readonly from: number;
  readonly to: number;
  /** Human reasons behind the action (the plan's reason messages). */
  readonly reasons: readonly string[];
  readonly error?: string;
}

export interface EventRecorder {
  /** Never rejects. */
  record(event: ScaleEvent): Promise<void>;
}

const MAX_MESSAGE = 1024;

/** `3 -> 7: 12 executors pending; forecast p90 ...`, with the error first for failures. */
export function scaleMessage(e: ScaleEvent): string {
  const parts = e.error ? [`failed: ${e.error}`, ...e.reasons] : e.reasons;
  const text = `${e.from} -> ${e.to}: ${parts.join('; ') || 'no reason given'}`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 3)}...` : text;
}

/** Keeps events in memory (tests, and the simulator when it wants to show them). */
export class MemoryEventRecorder implements EventRecorder {
  readonly events: (ScaleEvent & { message: string })[] = [];
  async record(event: ScaleEvent): Promise<void> {
    this.events.push({ ...event, message: scaleMessage(event) });
  }
}
