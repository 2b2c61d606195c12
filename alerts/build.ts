/** Writes alerts/nodecast-alerts.yaml and deploy/prometheus-rule.yaml. Run: npx tsx alerts/build.ts */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPrometheusRule, renderRuleFile } from './render.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUTS = {
  rules: 'alerts/nodecast-alerts.yaml',
  prometheusRule: 'deploy/prometheus-rule.yaml',
} as const;

writeFileSync(join(root, OUTPUTS.rules), renderRuleFile());
writeFileSync(join(root, OUTPUTS.prometheusRule), renderPrometheusRule());
console.log(`wrote ${OUTPUTS.rules} and ${OUTPUTS.prometheusRule}`);
