/**
 * Opens the override store the config names: the local SQLite one, or ForecastOverride objects
 * through the Kubernetes API (every replica reads the same overrides, none is lost on failover).
 * A Kubernetes store that cannot list (CRD missing, no RBAC) fails start-up naming the field.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../clock.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../logger.js';
import { KubeOverrideStore } from '../overrides/kube-override-store.js';
import { localOverrides, type OverrideBackend } from '../store/override-backend.js';
import type { Store } from '../store/store.js';
import { StartupError, type OpenedResources } from './startup-checks.js';

export async function openOverrides(
  config: Config,
  deps: { kubeConfig: KubeConfig; clock: Clock; logger: Logger; store: Store; opened: OpenedResources },
): Promise<OverrideBackend> {
  const cfg = config.overrides;
  if (cfg?.store !== 'kubernetes') return localOverrides(deps.store);
  const kube = new KubeOverrideStore({
    kubeConfig: deps.kubeConfig,
    namespace: cfg.namespace,
    clock: deps.clock,
    logger: deps.logger,
    timeoutMs: cfg.timeoutSeconds * 1000,
  });
  try {
    await kube.start();
  } catch (err) {
    throw new StartupError('overrides.store', err instanceof Error ? err.message : String(err));
  }
  deps.opened.add(() => kube.stop());
  deps.logger.info('overrides kept as ForecastOverride objects', { namespace: cfg.namespace });
  return kube;
}
