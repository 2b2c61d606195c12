import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionsFromPlan } from '../../agent/store/decisions-repo.js';
import { apiHarness, HARNESS_START, READ_TOKEN, type ApiHarness } from '../fakes/api-harness.js';
import { flatForecast } from '../fakes/fake-agent-view.js';
import { browserUnavailable, checkCharts, launchBrowser, openWatchedPage } from './chromium.js';

const unavailable = browserUnavailable();
const dir = process.env.NODECAST_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'nodecast-status-'));
let h: ApiHarness;
let url: string;

beforeAll(async () => {
  h = apiHarness();
  const minutes = 8 * 60;
  h.store.appendHistoryMany(
    ['spark-driver', 'spark-executor'].flatMap((group, g) =>
      Array.from({ length: minutes }, (_, i) => ({
        group,
        t: HARNESS_START - (minutes - i) * 60_000,
        value: (g + 1) * (10 + 8 * Math.sin(i / 40)),
      })),
    ),
  );
  h.store.flushHistory();
  h.agent.forecasts.set('spark-executor', (horizon) => flatForecast(HARNESS_START, horizon, 24));
  h.agent.groupViews = h.agent.groupViews.map((g) =>
    g.name === 'spark-executor'
      ? {
          ...g,
          current: 18,
          target: 24,
          demandNodes: 21,
          lastReasons: [{ code: 'forecast', message: 'forecast p90 needs 24 nodes in 5m' }],
        }
      : g,
  );
  h.store.recordDecisions(
    decisionsFromPlan(
      {
        at: HARNESS_START - 60_000,
        decisions: [
          {
            group: 'spark-executor',
            role: 'executor',
            current: 18,
            target: 24,
            removeNodes: [],
            demandNodes: 21,
            reasons: [{ code: 'forecast', message: 'forecast p90 needs 24 nodes in 5m' }],
          },
        ],
      },
      () => 'applied',
    ),
  );
  h.store.createOverride(
    { group: 'spark-executor', kind: 'floor', value: 12, reason: 'quarter close' },
    'alice',
  );
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await h.close();
  if (!process.env.NODECAST_SCREENSHOT_DIR) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(unavailable !== null)(
  `status page in headless Chromium${unavailable ? ` (${unavailable})` : ''}`,
  () => {
    it('shows groups, demand and forecast band, decisions and overrides, with no console errors', async () => {
      const browser = await launchBrowser();
      try {
        const { page, problems } = await openWatchedPage(browser);
        await page.goto(`${url}/#token=${READ_TOKEN}`);
        await page.waitForSelector('body[data-loaded="true"]');
        // The token left the address bar (the fragment never reached the server).
        expect(page.url()).toBe(`${url}/`);
        const { charts, failed } = await checkCharts(page);
        expect(failed).toEqual([]);
        expect(charts.map((c) => c.chart)).toEqual(['spark-driver', 'spark-executor']);
        for (const c of charts) expect(c.seriesPixels, c.chart).toBeGreaterThan(50);
        const card = await page.locator('[data-group="spark-executor"]').innerText();
        expect(card).toContain('18 → 24');
        expect(card).toMatch(/min 2, max 200, demand 21/);
        const text = await page.locator('main').innerText();
        expect(text).toContain('forecast p90 needs 24 nodes in 5m');
        expect(text).toContain('quarter close');
        const shot = join(dir, 'status.png');
        await page.screenshot({ path: shot, fullPage: true });
        const png = readFileSync(shot);
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect(png.readUInt32BE(16)).toBe(1280); // width from the IHDR chunk
        expect(png.readUInt32BE(20)).toBeGreaterThan(700); // the page is taller than the header
        expect(problems).toEqual({ consoleErrors: [], pageErrors: [], externalRequests: [] });
      } finally {
        await browser.close();
      }
    }, 60_000);

    it('asks for a token and shows no data without one', async () => {
      const browser = await launchBrowser();
      try {
        const { page, problems } = await openWatchedPage(browser);
        await page.goto(`${url}/`);
        await page.waitForSelector('#login', { state: 'visible' });
        expect(await page.locator('#content').innerText()).toBe('');
        await page.fill('#token', READ_TOKEN);
        await page.click('button[type="submit"]');
        await page.waitForSelector('body[data-loaded="true"]');
        expect(await page.locator('[data-group]').count()).toBe(3);
        // The refused first fetch is the only console error Chromium reports (a 401 resource).
        expect(problems.pageErrors).toEqual([]);
        expect(problems.externalRequests).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 60_000);
  },
);
