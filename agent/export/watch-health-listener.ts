/** Exports the watches' health (synced, last event, relists) once per tick. */
import type { TickListener, TickResult } from '../loop.js';
import type { StateHealth } from '../state/cluster-state.js';
import type { Metrics } from '../telemetry/metrics.js';
import { recordWatchEvent, recordWatchRelist, recordWatchSynced } from '../telemetry/record.js';

export class WatchHealthListener implements TickListener {
  private readonly relistsSeen = new Map<string, number>();

  constructor(
    private readonly metrics: Metrics,
    private readonly health: () => StateHealth,
    private readonly wallNow: () => number = Date.now,
  ) {}

  onTick(_result: TickResult): void {
    const h = this.health();
    const now = this.wallNow();
    for (const [kind, source] of Object.entries(h.sources))
      recordWatchSynced(this.metrics, kind, source.synced);
    for (const [kind, age] of Object.entries(h.lastEventAgeSeconds)) {
      if (age !== null) recordWatchEvent(this.metrics, kind, now - age * 1000);
    }
    for (const [kind, count] of Object.entries(h.relists)) {
      const seen = this.relistsSeen.get(kind) ?? 0;
      for (let i = seen; i < count; i++) recordWatchRelist(this.metrics, kind);
      this.relistsSeen.set(kind, count);
    }
  }
}
