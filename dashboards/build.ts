/** Writes every dashboard to dashboards/<name>.json. Run: npx tsx dashboards/build.ts */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboards, renderDashboard } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
for (const [file, build] of Object.entries(dashboards)) {
  writeFileSync(join(here, file), renderDashboard(build()));
  console.log(`wrote dashboards/${file}`);
}
