/** Kubeconfig for the test API server: one cluster, an empty user (no auth), plain http. */
import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

const NAME = 'nodecast-test';

export function kubeConfigFor(server: string, namespace = 'default'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node refuses plain http unless skipTLSVerify is set (there is no TLS to verify).
    clusters: [{ name: NAME, server, skipTLSVerify: true }],
    users: [{ name: NAME }],
    contexts: [{ name: NAME, cluster: NAME, user: NAME, namespace }],
    currentContext: NAME,
  });
  return kc;
}

/** A kubeconfig YAML file `kubectl --kubeconfig <path>` can use. */
export function writeKubeconfigFile(server: string, path: string, namespace = 'default'): void {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    // client-node (nodecast start --kubeconfig) refuses plain http without it; kubectl ignores it.
    clusters: [{ name: NAME, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: NAME, user: {} }],
    contexts: [{ name: NAME, context: { cluster: NAME, user: NAME, namespace } }],
    'current-context': NAME,
    preferences: {},
  };
  writeFileSync(path, stringify(doc), { mode: 0o600 });
}
