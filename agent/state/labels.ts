/** Label, annotation and taint keys nodecast reads from Kubernetes objects, in one place. */

/** Spark on Kubernetes: `driver` or `executor`. */
export const SPARK_ROLE_LABEL = 'spark-role';
/** Spark application id (set by Spark itself); `spark-app-name` is the operator's fallback. */
export const SPARK_APP_SELECTOR_LABEL = 'spark-app-selector';
export const SPARK_APP_NAME_LABEL = 'spark-app-name';

/** YuniKorn queue: a pod label, or the annotation YuniKorn also honours. */
export const QUEUE_LABEL = 'queue';
export const QUEUE_ANNOTATION = 'yunikorn.apache.org/queue';

/** PodScheduled reason YuniKorn sets when a pod is skipped because its queue quota is used up. */
export const YUNIKORN_QUOTA_REASON = 'SchedulingSkipped';

/** Marks nodecast's own headroom placeholder pods (value: the node group). Never demand. */
export const HEADROOM_GROUP_LABEL = 'nodecast.io/headroom-group';

/**
 * Node labels that name the pool a node came from, most specific first. A node whose value
 * equals a configured group's name belongs to that group (when no configured selector matched).
 */
export const NODE_POOL_LABELS = [
  'karpenter.sh/nodepool',
  'eks.amazonaws.com/nodegroup',
  'cloud.google.com/gke-nodepool',
] as const;
export const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';

/** Taints that mean "this node is on its way out" (cluster-autoscaler, Karpenter v1 and v0.3x). */
export const DELETION_TAINTS = [
  'ToBeDeletedByClusterAutoscaler',
  'karpenter.sh/disrupted',
  'karpenter.sh/disruption',
];

/** Cluster API: the machine annotation that picks it for removal at the next scale-down. */
export const CAPI_DELETE_MACHINE_ANNOTATION = 'cluster.x-k8s.io/delete-machine';
