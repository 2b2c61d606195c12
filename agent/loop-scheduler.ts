/**
 * Runs the control loop on timers: every tick interval, and shortly after an urgent watch event
 * (a new unschedulable pod), debounced so a burst of pending pods makes one decision. Ticks never
 * overlap: a trigger during a tick schedules exactly one follow-up.
 */
import type { Clock } from './clock.js';
import { systemTimers, type Timers } from './timers.js';
import type { ControlLoop, TickResult } from './loop.js';

export class LoopScheduler {
  private periodic: unknown;
  private debounce: unknown;
  private running: Promise<TickResult> | undefined;
  private followUp: TickResult['trigger'] | undefined;
  private stopped = true;

  constructor(
    private readonly loop: ControlLoop,
    private readonly clock: Clock,
    private readonly opts: { tickMs: number; debounceMs: number; timers?: Timers },
  ) {}

  private get timers(): Timers {
    return this.opts.timers ?? systemTimers;
  }

  start(): void {
    this.stopped = false;
    this.schedulePeriodic(0);
  }

  /** An event that can change a decision happened: decide within debounceMs. */
  trigger(): void {
    if (this.stopped || this.debounce !== undefined) return;
    this.debounce = this.timers.setTimeout(() => {
      this.debounce = undefined;
      void this.run('event');
    }, this.opts.debounceMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearTimeout(this.periodic);
    if (this.debounce !== undefined) this.timers.clearTimeout(this.debounce);
    this.debounce = undefined;
    await this.running;
  }

  private schedulePeriodic(ms: number): void {
    this.timers.clearTimeout(this.periodic);
    this.periodic = this.timers.setTimeout(() => void this.run('timer'), ms);
  }

  private async run(trigger: TickResult['trigger']): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.followUp ??= trigger;
      return;
    }
    this.running = this.loop.runOnce(this.clock.now(), trigger);
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    if (this.stopped) return;
    // The periodic timer restarts after every tick so an event-driven tick also resets the period.
    this.schedulePeriodic(this.opts.tickMs);
    const next = this.followUp;
    this.followUp = undefined;
    if (next) void this.run(next);
  }
}
