/**
 * The node collector: reads its node's kubelet Summary on an interval, keeps the latest report for
 * `/usage`, and updates its Prometheus series. A failed read is logged and counted and the last
 * good report keeps being served until it is older than `maxAgeMs` (then /usage answers 503).
 */
import { systemClock, type Clock } from '../clock.js';
import type { Timers } from '../timers.js';
import { silentLogger, type Logger } from '../logger.js';
import type { CollectorMetrics } from './collector-metrics.js';
import type { SummaryFetcher } from './kubelet-client.js';
import { groupOfNode, type GroupRule } from './node-group.js';
import { Poller } from '../usage/poller.js';
import { parseKubeletSummary } from './summary.js';
import type { NodeUsageReport } from '../usage/usage-report.js';

export interface NodeCollectorOptions {
  readonly fetcher: SummaryFetcher;
  readonly nodeName: string;
  readonly metrics: CollectorMetrics;
  readonly groupRule: GroupRule;
  /** Reads the node's labels (API server); absent when the group is fixed or there is no API access. */
  readonly nodeLabels?: (node: string) => Promise<Record<string, string>>;
  readonly intervalMs: number;
  /** Serve a report at most this old (default 3 intervals). */
  readonly maxAgeMs?: number;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly logger?: Logger;
}

export type LatestReport =
  { readonly ok: true; readonly report: NodeUsageReport } | { readonly ok: false; readonly reason: string };

export class NodeCollector {
  private report: NodeUsageReport | undefined;
  private lastError: string | null = null;
  /** undefined until resolved; a failed label read is retried on the next collection. */
  private group: string | null | undefined;
  private readonly poller: Poller;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly opts: NodeCollectorOptions) {
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    if (opts.groupRule.fixed || !opts.nodeLabels) this.group = groupOfNode({}, opts.groupRule);
    this.poller = new Poller(
      () => this.collect(),
      opts.intervalMs,
      () => {},
      opts.timers,
    );
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** One read of the summary. Never throws: failures are logged, counted and kept for /usage. */
  async collect(): Promise<void> {
    const started = performance.now();
    try {
      const summary = parseKubeletSummary(await this.opts.fetcher.fetchSummary());
      const group = await this.resolveGroup();
      this.report = { ...summary, group, collectedAt: this.clock.now() };
      this.lastError = null;
      this.opts.metrics.succeeded(this.report, (performance.now() - started) / 1000);
      if (summary.skippedPods.length > 0)
        this.logger.info('pods without usage stats yet (skipped)', { pods: summary.skippedPods.slice(0, 5) });
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.opts.metrics.failed((performance.now() - started) / 1000);
      this.logger.warn('reading the kubelet summary failed', {
        from: this.opts.fetcher.describe,
        error: this.lastError,
      });
    }
  }

  latest(): LatestReport {
    const maxAge = this.opts.maxAgeMs ?? 3 * this.opts.intervalMs;
    if (!this.report) return { ok: false, reason: this.lastError ?? 'no kubelet summary read yet' };
    const age = this.clock.now() - this.report.collectedAt;
    if (age > maxAge)
      return {
        ok: false,
        reason: `last kubelet summary is ${Math.round(age / 1000)} s old${this.lastError ? `; last error: ${this.lastError}` : ''}`,
      };
    return { ok: true, report: this.report };
  }

  private async resolveGroup(): Promise<string | null> {
    if (this.group !== undefined) return this.group;
    try {
      this.group = groupOfNode(await this.opts.nodeLabels!(this.opts.nodeName), this.opts.groupRule);
      this.logger.info('node group resolved', { node: this.opts.nodeName, group: this.group });
      return this.group;
    } catch (err) {
      this.logger.warn('reading the node labels failed; group label empty until it works', {
        node: this.opts.nodeName,
        error: err instanceof Error ? err.message : String(err),
      });
      return null;
    }
  }
}
