/**
 * Runs an async task now and then every `intervalMs` after the previous run ends (never two at
 * once, no pile-up behind a slow kubelet or API). Errors go to `onError`; the poller carries on.
 */
import { systemTimers, type Timers } from '../timers.js';

export class Poller {
  private timer: unknown;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly timers: Timers = systemTimers,
  ) {
    if (!(intervalMs > 0)) throw new Error(`poll interval must be > 0 ms, got ${intervalMs}`);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.runNow();
  }

  /** Cancels the next run and waits for one in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private runNow(): void {
    this.timer = undefined;
    this.running = this.task()
      .catch((err: unknown) => {
        try {
          this.onError(err);
        } catch {
          // an error reporter that fails must not stop the polling
        }
      })
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = this.timers.setTimeout(() => this.runNow(), this.intervalMs);
      });
  }
}
