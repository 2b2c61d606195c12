/**
 * Leader election on a coordination.k8s.io/v1 Lease, the way client-go's leaderelection package
 * does it (client-node has none):
 * - Every retryPeriod, try to acquire or renew: create the Lease when absent; take it when it is
 *   free (no holder) or expired; renew it when we hold it. Writes are compare-and-swap on the
 *   observed metadata.resourceVersion, so of two racing candidates the API server lets one win
 *   (the other gets 409 Conflict / AlreadyExists and stays a follower).
 * - Expiry is judged on our own clock: a lease is expired when its record has not changed for
 *   leaseDurationSeconds since we first saw it as it is (not by comparing its renewTime with our
 *   clock), so clock skew between nodes cannot make two leaders. See docs/adr/0004-leader-election-observed-expiry.md.
 * - A leader that cannot renew within renewDeadlineSeconds steps down (onStoppedLeading) on a
 *   timer, even while a request hangs; renewDeadline < leaseDuration leaves the gap in which
 *   nobody leads rather than two.
 * - stop() releases the lease (empty holder) so a standby takes over at once; stop({release:false})
 *   simulates a crash.
 */
import type { V1Lease } from '@kubernetes/client-node';
import type { Clock } from '../clock.js';
import { silentLogger, type Logger } from '../logger.js';
import {
  nextRecord,
  readRecord,
  releasedRecord,
  sameRecord,
  writeSpec,
  type LeaseRecord,
} from './lease-record.js';
import { systemTimers, type Timers } from '../timers.js';

/** The part of client-node's CoordinationV1Api this uses (object-parameter style, client-node 2.x). */
export interface LeaseApi {
  readNamespacedLease(param: { name: string; namespace: string }): Promise<V1Lease>;
  createNamespacedLease(param: { namespace: string; body: V1Lease }): Promise<V1Lease>;
  replaceNamespacedLease(param: { name: string; namespace: string; body: V1Lease }): Promise<V1Lease>;
}

export interface LeaderElectorOptions {
  api: LeaseApi;
  namespace: string;
  name: string;
  /** Unique per candidate (pod name); it is what the Lease shows as holder. */
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
  clock: Clock;
  timers?: Timers;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  /** Called when the observed holder changes (including to ourselves, and to '' on release). */
  onNewLeader?(identity: string): void;
  logger?: Logger;
}

/** 'conflict': our compare-and-swap lost; the next read tells whether someone else now holds it. */
type Attempt = 'leading' | 'following' | 'conflict' | 'failed';

/** ApiException (client-node) and similar errors carry the HTTP status as `code` or `statusCode`. */
function httpStatus(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown } | null;
  const code = typeof e?.code === 'number' ? e.code : e?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

export class LeaderElector {
  private readonly opts: LeaderElectorOptions;
  private readonly timers: Timers;
  private readonly log: Logger;
  private leader = false;
  private running = false;
  /** Bumped on stop so an in-flight attempt from before cannot change state afterwards. */
  private epoch = 0;
  private retryTimer: unknown;
  private deadlineTimer: unknown;
  private observed: LeaseRecord | undefined;
  private observedAt = 0;
  private observedRv: string | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(opts: LeaderElectorOptions) {
    const { leaseDurationSeconds: lease, renewDeadlineSeconds: deadline, retryPeriodSeconds: retry } = opts;
    if (!(lease > deadline && deadline > retry && retry > 0)) {
      throw new Error(
        `leader election: need leaseDurationSeconds (${lease}) > renewDeadlineSeconds (${deadline}) > ` +
          `retryPeriodSeconds (${retry}) > 0`,
      );
    }
    if (!opts.identity) throw new Error('leader election: identity must not be empty');
    this.opts = opts;
    this.timers = opts.timers ?? systemTimers;
    this.log = opts.logger ?? silentLogger;
  }

  isLeader(): boolean {
    return this.leader;
  }

  /** Resolves when the attempt in progress (if any) has finished: tests step time with it. */
  idle(): Promise<void> {
    return this.inFlight.catch(() => undefined);
  }

  /** The holder we last saw on the Lease ('' for none, undefined before the first read). */
  observedLeader(): string | undefined {
    return this.observed?.holderIdentity;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stop trying; when leading, step down and (unless release is false) hand the lease back. */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.epoch += 1;
    this.timers.clearTimeout(this.retryTimer);
    this.timers.clearTimeout(this.deadlineTimer);
    await this.inFlight.catch(() => undefined);
    if (!this.leader) return;
    this.stepDown('stopped');
    if (opts.release !== false) await this.release();
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.retryTimer = this.timers.setTimeout(() => {
      this.inFlight = this.cycle();
    }, delayMs);
  }

  private async cycle(): Promise<void> {
    const epoch = this.epoch;
    let outcome: Attempt;
    try {
      outcome = await this.tryAcquireOrRenew();
    } catch (err) {
      this.log.warn('leader election: lease request failed', { lease: this.leaseName(), error: String(err) });
      outcome = 'failed';
    }
    if (epoch !== this.epoch) return;
    if (outcome === 'leading') this.onRenewed();
    else if (outcome === 'following' && this.leader) this.stepDown('another candidate holds the lease');
    // 'failed' or 'conflict' while leading: keep trying until the renew deadline timer fires.
    this.schedule(this.opts.retryPeriodSeconds * 1000);
  }

  private async tryAcquireOrRenew(): Promise<Attempt> {
    const { api, namespace, name, identity, leaseDurationSeconds } = this.opts;
    const now = this.opts.clock.now();
    let lease: V1Lease;
    try {
      lease = await api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (httpStatus(err) !== 404) throw err;
      const record = nextRecord(undefined, identity, leaseDurationSeconds, now);
      return this.write(() => api.createNamespacedLease({ namespace, body: this.leaseBody(record) }), record);
    }
    const record = readRecord(lease, leaseDurationSeconds);
    this.observe(record, lease.metadata?.resourceVersion, now);
    const heldByOther = record.holderIdentity !== '' && record.holderIdentity !== identity;
    if (heldByOther && this.observedAt + record.leaseDurationSeconds * 1000 > now) return 'following';
    const next = nextRecord(record, identity, leaseDurationSeconds, now);
    const body = this.leaseBody(next, lease.metadata?.resourceVersion);
    return this.write(() => api.replaceNamespacedLease({ name, namespace, body }), next);
  }

  /** Run a create/replace; a 409 means someone else wrote first. */
  private async write(call: () => Promise<V1Lease>, record: LeaseRecord): Promise<Attempt> {
    try {
      const written = await call();
      this.observe(record, written.metadata?.resourceVersion, this.opts.clock.now());
      return 'leading';
    } catch (err) {
      if (httpStatus(err) === 409) return 'conflict';
      throw err;
    }
  }

  private observe(record: LeaseRecord, resourceVersion: string | undefined, now: number): void {
    this.observedRv = resourceVersion;
    if (sameRecord(this.observed, record)) return;
    const holderChanged = this.observed?.holderIdentity !== record.holderIdentity;
    this.observed = record;
    this.observedAt = now;
    if (holderChanged) {
      this.log.info('leader election: new leader observed', {
        lease: this.leaseName(),
        holder: record.holderIdentity,
      });
      this.safely(() => this.opts.onNewLeader?.(record.holderIdentity));
    }
  }

  private onRenewed(): void {
    this.timers.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = this.timers.setTimeout(
      () => this.stepDown(`no renewal within ${this.opts.renewDeadlineSeconds}s`),
      this.opts.renewDeadlineSeconds * 1000,
    );
    if (this.leader) return;
    this.leader = true;
    this.log.info('leader election: started leading', {
      lease: this.leaseName(),
      identity: this.opts.identity,
    });
    this.safely(() => this.opts.onStartedLeading());
  }

  private stepDown(reason: string): void {
    this.timers.clearTimeout(this.deadlineTimer);
    if (!this.leader) return;
    this.leader = false;
    this.log.warn('leader election: stopped leading', { lease: this.leaseName(), reason });
    this.safely(() => this.opts.onStoppedLeading());
  }

  /** Best effort: if the lease is still ours, clear the holder so a standby need not wait it out. */
  private async release(): Promise<void> {
    const { api, name, namespace } = this.opts;
    if (!this.observed || this.observed.holderIdentity !== this.opts.identity) return;
    const record = releasedRecord(this.observed, this.opts.clock.now());
    try {
      await api.replaceNamespacedLease({ name, namespace, body: this.leaseBody(record, this.observedRv) });
      this.observed = record;
    } catch (err) {
      this.log.warn('leader election: release failed; the lease will expire instead', {
        lease: this.leaseName(),
        error: String(err),
      });
    }
  }

  private leaseBody(record: LeaseRecord, resourceVersion?: string): V1Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.opts.name,
        namespace: this.opts.namespace,
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      spec: writeSpec(record),
    };
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error('leader election: callback threw', { lease: this.leaseName(), error: String(err) });
    }
  }

  private leaseName(): string {
    return `${this.opts.namespace}/${this.opts.name}`;
  }
}
