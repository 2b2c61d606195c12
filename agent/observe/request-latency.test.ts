import { describe, expect, it } from 'vitest';
import { RequestLatencies } from './request-latency.js';

describe('RequestLatencies', () => {
  it('times each request to the moment the group has the nodes it asked for', () => {
    const l = new RequestLatencies();
    l.requested('g', 5, 0);
    l.requested('g', 8, 60_000); // a second request while the first boots
    expect(l.satisfied('g', 4, 100_000)).toEqual([]);
    expect(l.satisfied('g', 5, 180_000)).toEqual([180]);
    // The chain ends at 300 s, but the second request waited 240 s, not 300.
    expect(l.satisfied('g', 8, 300_000)).toEqual([240]);
    expect(l.satisfied('g', 8, 310_000)).toEqual([]);
  });

  it('a lowered target caps what open requests wait for', () => {
    const l = new RequestLatencies();
    l.requested('g', 12, 0);
    l.lowered('g', 9); // idle nodes removed while the new ones boot
    expect(l.satisfied('g', 9, 200_000)).toEqual([200]);
  });

  it('forgets a request never served after the timeout', () => {
    const l = new RequestLatencies(600_000);
    l.requested('g', 12, 0);
    expect(l.satisfied('g', 3, 700_000)).toEqual([]);
    expect(l.satisfied('g', 12, 800_000)).toEqual([]);
  });
});
