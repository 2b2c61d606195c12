/** Spreading refits: a per-group phase in the refit period, and a shared cap on fits per tick. */

/** At most `perWindow` fits start in any window of `windowMs` (a tick), across the forecasters sharing it. */
export class FitBudget {
  private window = Number.NaN;
  private used = 0;

  constructor(
    readonly perWindow = 1,
    readonly windowMs = 10_000,
  ) {}

  tryAcquire(now: number): boolean {
    const w = Math.floor(now / this.windowMs);
    if (w !== this.window) [this.window, this.used] = [w, 0];
    if (this.used >= this.perWindow) return false;
    this.used++;
    return true;
  }
}

/** A stable pseudo-random offset in [0, period) so groups refit on different ticks. */
export function phaseFor(name: string, periodMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return periodMs > 0 ? h % periodMs : 0;
}
