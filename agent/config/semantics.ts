/**
 * Rules a schema cannot express: cross-field limits, references between sections and per-role
 * rules. Each check skips fields the schema already rejected (`clean`), so one mistake is reported
 * once, and all checks run so every other mistake is reported in the same pass.
 */
import { CronExpressionParser } from 'cron-parser';
import { formatBytes } from '../quantity.js';
import type { Config, NodeGroupConfig } from './types.js';
import type { RawIssue, Segment } from './validate.js';

interface Ctx {
  readonly issues: RawIssue[];
  /** True when no earlier issue concerns this path or one of its ancestors. */
  clean(...segments: Segment[]): boolean;
  add(segments: Segment[], message: string): void;
}

export function checkSemantics(config: Config, earlier: readonly RawIssue[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const ctx: Ctx = {
    issues,
    clean: (...segments) => !earlier.some((issue) => isPrefix(issue.segments, segments)),
    add: (segments, message) => issues.push({ segments, message }),
  };
  checkGroups(config, ctx);
  checkQueues(config, ctx);
  checkScheduledJobs(config, ctx);
  checkForecastAndHistory(config, ctx);
  checkLeaderElection(config, ctx);
  return issues;
}

function isPrefix(prefix: readonly Segment[], path: readonly Segment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}

function firstIndex<T>(items: readonly T[], key: (item: T) => string, index: number): number {
  return items.findIndex((item) => key(item) === key(items[index]!));
}

function checkGroups(config: Config, ctx: Ctx): void {
  const groups = config.nodeGroups;
  groups.forEach((group, i) => {
    const at = (...rest: Segment[]): Segment[] => ['nodeGroups', i, ...rest];
    const first = firstIndex(groups, (g) => g.name, i);
    if (first < i && ctx.clean(...at('name')))
      ctx.add(at('name'), `duplicate group name "${group.name}" (also nodeGroups[${first}])`);
    if (group.min > group.max && ctx.clean(...at('min')) && ctx.clean(...at('max')))
      ctx.add(at('max'), `must be >= min (${group.min})`);
    checkRoleRules(group, ctx, at);
    checkProvider(group, ctx, at);
    const selector = JSON.stringify(Object.entries(group.nodeSelector).sort());
    const same = groups.findIndex((g) => JSON.stringify(Object.entries(g.nodeSelector).sort()) === selector);
    if (same < i && ctx.clean(...at('nodeSelector')))
      ctx.add(
        at('nodeSelector'),
        `same selector as nodeGroups[${same}] ("${groups[same]!.name}"): nodes would match both`,
      );
  });
}

function checkRoleRules(group: NodeGroupConfig, ctx: Ctx, at: (...rest: Segment[]) => Segment[]): void {
  // System groups are static: we reject scale-in instead of silently ignoring it, so nobody
  // believes their system nodes are being right-sized when they are not.
  if (group.role === 'system' && group.scaleIn.enabled && ctx.clean(...at('scaleIn', 'enabled')))
    ctx.add(at('scaleIn', 'enabled'), 'system groups are static: scale-in cannot be enabled');
  if (group.role !== 'executor' && group.forecast.mode !== 'off' && ctx.clean(...at('forecast', 'mode')))
    ctx.add(
      at('forecast', 'mode'),
      `forecasting applies to executor groups only (this group's role is ${group.role})`,
    );
}

function checkProvider(group: NodeGroupConfig, ctx: Ctx, at: (...rest: Segment[]) => Segment[]): void {
  const provider = group.provider;
  if (!ctx.clean(...at('provider'), 'kind')) return;
  if (provider.kind === 'clusterapi') {
    if (provider.namespace === undefined)
      ctx.add(at('provider', 'namespace'), 'is required for provider kind clusterapi');
    if (provider.name === undefined)
      ctx.add(at('provider', 'name'), 'is required for provider kind clusterapi');
  } else if (provider.name !== undefined) {
    ctx.add(at('provider', 'name'), `only applies to provider kind clusterapi (kind is ${provider.kind})`);
  }
  if (provider.priorityClassName !== undefined && provider.kind !== 'headroom')
    ctx.add(
      at('provider', 'priorityClassName'),
      `only applies to provider kind headroom (kind is ${provider.kind})`,
    );
  if (provider.namespace !== undefined && provider.kind !== 'clusterapi' && provider.kind !== 'headroom')
    ctx.add(
      at('provider', 'namespace'),
      `only applies to provider kinds clusterapi and headroom (kind is ${provider.kind})`,
    );
}

function checkQueues(config: Config, ctx: Ctx): void {
  const executorGroups = config.nodeGroups.filter((g) => g.role === 'executor').map((g) => g.name);
  config.queues.forEach((queue, i) => {
    const first = firstIndex(config.queues, (q) => q.name, i);
    if (first < i && ctx.clean('queues', i, 'name'))
      ctx.add(['queues', i, 'name'], `duplicate queue name "${queue.name}" (also queues[${first}])`);
    // A group whose name or role was rejected could be the one meant: do not pile on.
    const groupsKnown = config.nodeGroups.every(
      (_, g) => ctx.clean('nodeGroups', g, 'name') && ctx.clean('nodeGroups', g, 'role'),
    );
    if (
      groupsKnown &&
      !executorGroups.includes(queue.executorGroup) &&
      ctx.clean('queues', i, 'executorGroup')
    ) {
      const known = executorGroups.length ? executorGroups.join(', ') : 'none configured';
      ctx.add(
        ['queues', i, 'executorGroup'],
        `no executor group named "${queue.executorGroup}" (executor groups: ${known})`,
      );
    }
  });
}

function checkScheduledJobs(config: Config, ctx: Ctx): void {
  config.scheduledJobs.forEach((job, i) => {
    const at = (...rest: Segment[]): Segment[] => ['scheduledJobs', i, ...rest];
    const first = firstIndex(config.scheduledJobs, (j) => j.name, i);
    if (first < i && ctx.clean(...at('name')))
      ctx.add(at('name'), `duplicate job name "${job.name}" (also scheduledJobs[${first}])`);
    if (ctx.clean(...at('cron'))) {
      const problem = cronProblem(job.cron);
      if (problem) ctx.add(at('cron'), problem);
    }
    if (job.durationSeconds <= 0 && ctx.clean(...at('duration'))) ctx.add(at('duration'), 'must be > 0');
    const queue = config.queues.find((q) => q.name === job.queue);
    if (!queue) {
      if (ctx.clean(...at('queue'))) ctx.add(at('queue'), `no queue named "${job.queue}"`);
      return;
    }
    const groupIndex = config.nodeGroups.findIndex((g) => g.name === queue.executorGroup);
    const group = config.nodeGroups[groupIndex];
    if (!group) return;
    const shapeClean = (field: string): boolean => ctx.clean('nodeGroups', groupIndex, 'shape', field);
    if (job.executorCpu > group.shape.cpu && ctx.clean(...at('executorCpu')) && shapeClean('cpu'))
      ctx.add(
        at('executorCpu'),
        `${job.executorCpu} cpu does not fit a ${group.name} node (${group.shape.cpu} cpu)`,
      );
    if (
      job.executorMemoryBytes > group.shape.memoryBytes &&
      ctx.clean(...at('executorMemory')) &&
      shapeClean('memory')
    )
      ctx.add(
        at('executorMemory'),
        `${formatBytes(job.executorMemoryBytes)} does not fit a ${group.name} node (${formatBytes(group.shape.memoryBytes)})`,
      );
  });
}

function cronProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5)
    return `must be a five-field cron expression (minute hour day month weekday), got ${fields} fields`;
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return `is not a valid cron expression: ${(error as Error).message}`;
  }
}

function checkForecastAndHistory(config: Config, ctx: Ctx): void {
  const { forecast, history } = config;
  if (forecast.stepSeconds <= 0 && ctx.clean('forecast', 'step'))
    ctx.add(['forecast', 'step'], 'must be > 0');
  if (
    forecast.refitSeconds < forecast.stepSeconds &&
    ctx.clean('forecast', 'refitInterval') &&
    ctx.clean('forecast', 'step')
  )
    ctx.add(['forecast', 'refitInterval'], `must be >= forecast.step (${forecast.stepSeconds}s)`);
  if (history.source === 'prometheus' && ctx.clean('history', 'source')) {
    if (history.prometheusUrl === undefined) {
      if (ctx.clean('history', 'prometheusUrl'))
        ctx.add(['history', 'prometheusUrl'], 'is required when history.source is prometheus');
    } else if (!isHttpUrl(history.prometheusUrl) && ctx.clean('history', 'prometheusUrl')) {
      ctx.add(['history', 'prometheusUrl'], `must be an http(s) URL (got "${history.prometheusUrl}")`);
    }
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function checkTimeouts(config: Config, ctx: Ctx): void {
  if ((config.kubeRequestTimeoutSeconds ?? 10) <= 0 && ctx.clean('kubeRequestTimeout'))
    ctx.add(['kubeRequestTimeout'], 'must be > 0');
  if (config.overrides && config.overrides.timeoutSeconds <= 0 && ctx.clean('overrides', 'timeout'))
    ctx.add(['overrides', 'timeout'], 'must be > 0');
}

function checkLeaderElection(config: Config, ctx: Ctx): void {
  checkTimeouts(config, ctx);
  const le = config.leaderElection;
  const clean = ['leaseDuration', 'renewDeadline', 'retryPeriod'].every((k) =>
    ctx.clean('leaderElection', k),
  );
  if (!clean) return;
  // client-go's rules: a leader must renew before its lease lapses, and retry more often than that.
  if (le.renewDeadlineSeconds >= le.leaseDurationSeconds)
    ctx.add(['leaderElection', 'renewDeadline'], `must be < leaseDuration (${le.leaseDurationSeconds}s)`);
  if (le.retryPeriodSeconds <= 0) ctx.add(['leaderElection', 'retryPeriod'], 'must be > 0');
  else if (le.retryPeriodSeconds >= le.renewDeadlineSeconds)
    ctx.add(['leaderElection', 'retryPeriod'], `must be < renewDeadline (${le.renewDeadlineSeconds}s)`);
}
