/**
 * A deadline on every Kubernetes API request the agent makes through `makeApiClient` clients
 * (lists, scale, Leases, Events, overrides): client-node 1.x sets none, so one hung request could
 * hold a tick or an election round for minutes. client-node asks the KubeConfig to authenticate
 * each request (`applySecurityAuthentication`); that hook also gets an AbortSignal.timeout when the
 * call brought no signal of its own. Watches open their own connections and are unaffected (their
 * liveness is the idle watchdog in state/reporting-watch.ts).
 */
import type { KubeConfig } from '@kubernetes/client-node';

type Authenticate = KubeConfig['applySecurityAuthentication'];
const WRAPPED = Symbol('nodecast.requestTimeout');

export function withRequestTimeout(kc: KubeConfig, timeoutMs: number): KubeConfig {
  const tagged = kc as KubeConfig & { [WRAPPED]?: number };
  if (tagged[WRAPPED] !== undefined) return kc;
  const original: Authenticate = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (context) => {
    await original(context);
    if (!context.getSignal()) context.setSignal(AbortSignal.timeout(timeoutMs));
  };
  tagged[WRAPPED] = timeoutMs;
  return kc;
}
