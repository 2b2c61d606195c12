/**
 * Timers driven by a ManualClock: nothing fires until the test advances time. Pairs with code that
 * takes a `Timers` seam (agent/leader/timers.ts) so waiting seconds costs nothing in tests.
 */
import type { ManualClock } from '../../agent/clock.js';
import type { Timers } from '../../agent/timers.js';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

export class ManualTimers implements Timers {
  private queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly clock: ManualClock) {}

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.clock.now() + Math.max(0, ms), fn };
    this.queue.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }

  /** Move the clock forward by `ms`, firing due timers in time order (the clock reads each one's time). */
  advance(ms: number): void {
    const end = this.clock.now() + ms;
    for (;;) {
      const due = this.queue.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.queue = this.queue.filter((t) => t !== due);
      this.clock.set(Math.max(this.clock.now(), due.at));
      due.fn();
    }
    this.clock.set(end);
  }

  pending(): number {
    return this.queue.length;
  }
}
