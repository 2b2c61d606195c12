/** What the actuator did with each decision, for the decision log, metrics and Events. */

export type ActuationAction = 'scale-out' | 'scale-in' | 'none';
export type ActuationOutcome = 'applied' | 'skipped' | 'failed';

export type SkipReason =
  | 'steady' // the decision changes nothing
  | 'unknown-group' // no such group in config
  | 'static-group' // system groups are never scaled
  | 'already-satisfied' // the provider's target already covers the scale-out
  | 'scale-in-disabled' // the group's scaleIn.enabled is false
  | 'no-nodes-named' // a lower target without nodes to remove: nothing safe to do
  | 'no-removable-nodes'; // every node named was dropped by re-validation

export type DropReason =
  | 'gone' // not in the fresh snapshot
  | 'not-in-group' // belongs to another group (or none)
  | 'runs-executor' // a Spark executor is on it now
  | 'runs-driver' // a Spark driver is on it now (driver group)
  | 'min-size' // removing it would take the group below min
  | 'cordon-failed' // could not be cordoned before removal
  | 'duplicate';

export interface DroppedNode {
  readonly node: string;
  readonly reason: DropReason;
}

export interface ActuationResult {
  readonly group: string;
  readonly action: ActuationAction;
  readonly outcome: ActuationOutcome;
  /** Provider target before acting (the plan's `current` when it could not be read). */
  readonly from: number;
  /** Provider target after acting (equals `from` unless applied). */
  readonly to: number;
  /** The plan's target. */
  readonly requested: number;
  readonly removedNodes: readonly string[];
  readonly droppedNodes: readonly DroppedNode[];
  readonly skipReason?: SkipReason;
  readonly error?: string;
  /** The provider's error itself, for classification (HTTP status, errno) by metrics. */
  readonly cause?: unknown;
  /** Provider write attempts made. */
  readonly attempts: number;
  readonly durationMs: number;
}
