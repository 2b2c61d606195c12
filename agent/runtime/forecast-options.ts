/** How the agent's Config maps onto a group forecaster's options (forecast/ knows nothing of the config). */
import type { Config, NodeGroupConfig } from '../config/types.js';
import type { GroupForecasterOptions } from '../../forecast/group-options.js';

export function groupForecasterOptions(config: Config, group: NodeGroupConfig): GroupForecasterOptions {
  return {
    group: group.name,
    stepSeconds: config.forecast.stepSeconds,
    refitSeconds: config.forecast.refitSeconds,
    maxTrustedError: config.forecast.maxTrustedError,
    retentionDays: Math.max(35, config.history.retentionDays),
    quantiles: [group.forecast.quantile],
    shape: group.shape,
    scheduledJobs: config.scheduledJobs.filter(
      (j) => config.queues.find((q) => q.name === j.queue)?.executorGroup === group.name,
    ),
  };
}
