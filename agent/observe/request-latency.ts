/**
 * Scale-out latency per request, the lead time the forecaster needs: from a scale request until
 * the group has as many Ready nodes as that request asked for. Measured per request rather than
 * per scale-out episode, because requests chain (a forecast floor rising node by node, pending
 * pods arriving while nodes boot) and an episode then lasts as long as the chain, far longer than
 * any node takes to provision.
 */

interface OpenRequest {
  readonly at: number;
  readonly to: number;
}

export class RequestLatencies {
  private readonly open = new Map<string, OpenRequest[]>();

  /** `timeoutMs`: forget a request never satisfied (nodes removed meanwhile, a failed boot). */
  constructor(private readonly timeoutMs = 3_600_000) {}

  /** The provider accepted a target of `to` nodes for the group at `now`. */
  requested(group: string, to: number, now: number): void {
    const list = this.open.get(group) ?? [];
    list.push({ at: now, to });
    this.open.set(group, list);
  }

  /**
   * The target went down to `to` (idle nodes removed while others boot): no open request can
   * wait for more nodes than the group is now meant to have.
   */
  lowered(group: string, to: number): void {
    const list = this.open.get(group);
    if (list)
      this.open.set(
        group,
        list.map((r) => ({ at: r.at, to: Math.min(r.to, to) })),
      );
  }

  /** Latencies (seconds) of the requests the group's `readyNodes` now satisfy; they are closed. */
  satisfied(group: string, readyNodes: number, now: number): number[] {
    const list = this.open.get(group);
    if (!list) return [];
    const done: number[] = [];
    const still: OpenRequest[] = [];
    for (const r of list) {
      if (readyNodes >= r.to) done.push((now - r.at) / 1000);
      else if (now - r.at <= this.timeoutMs) still.push(r);
    }
    if (still.length > 0) this.open.set(group, still);
    else this.open.delete(group);
    return done;
  }
}
