export type { Store, StoreOptions } from './store.js';
export { openStore } from './store.js';
export type { Override, OverrideInput, OverrideKind, OverridePatch } from './override-model.js';
export { OVERRIDE_KINDS, OVERRIDE_LIMITS } from './override-model.js';
export type { OverrideFilter, OverrideStatusFilter } from './overrides-repo.js';
export type { OverrideState } from './override-schedule.js';
export { overrideState } from './override-schedule.js';
export type { HistoryPoint, HistoryRow } from './history-repo.js';
export type {
  DecisionInput,
  DecisionOutcome,
  DecisionPage,
  DecisionQuery,
  DecisionRecord,
} from './decisions-repo.js';
export { decisionsFromPlan } from './decisions-repo.js';
export type { AuditEntry, AuditAction } from './audit-repo.js';
export { StoreError, isStoreError } from './store-errors.js';
export type { BackfillOptions } from './prometheus-history.js';
export {
  backfillFromPrometheus,
  importHistory,
  PrometheusHistoryError,
  DEMAND_METRIC,
  DEMAND_GROUP_LABEL,
} from './prometheus-history.js';
