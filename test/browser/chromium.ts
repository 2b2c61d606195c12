/**
 * Headless Debian Chromium through playwright-core, shared by the browser tests (HTML reports,
 * the agent's status page). In CI the browser must be there (`.ci/run` installs it); elsewhere a
 * missing browser skips with a reason instead of failing.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.NODECAST_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep a headless run offline and quiet (no updates, no sync, no QUIC probes). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why browser tests cannot run here, or null when they can. Never a reason in CI. */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but no Chromium at ${CHROMIUM_PATH} (.ci/run installs Debian chromium)`);
  }
  return `no Chromium at ${CHROMIUM_PATH}`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests that left the machine: a self-contained page makes none. */
  externalRequests: string[];
}

/** Opens a page that records console errors, uncaught exceptions and non-local requests. */
export async function openWatchedPage(browser: Browser): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], externalRequests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => problems.pageErrors.push(err.message));
  page.on('request', (req) => {
    const url = req.url();
    if (!/^(file:|data:|blob:|about:|http:\/\/(127\.0\.0\.1|localhost)[:/])/.test(url)) {
      problems.externalRequests.push(url);
    }
  });
  return { page, problems };
}

export interface ChartCheck {
  readonly chart: string;
  /** Canvas pixels drawn in one of the chart's series colours: 0 means no data was drawn. */
  readonly seriesPixels: number;
}

/** Runs in the page (a string: the project compiles without DOM types). */
const CHARTS_READY = `(() => {
  const expected = document.querySelectorAll('[data-chart]').length;
  const c = window.nodecastCharts;
  return c !== undefined && c.drawn + c.failed.length >= expected;
})()`;

const CHART_PIXELS = `(() => {
  const hex = (c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
  const charts = [...document.querySelectorAll('[data-chart]')].map((el) => {
    const spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    const colours = spec.series.map((s) => hex(s.color));
    const canvas = el.querySelector('canvas');
    let seriesPixels = 0;
    if (canvas) {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 200) continue;
        if (colours.some(([r, g, b]) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40)) seriesPixels++;
      }
    }
    return { chart: el.getAttribute('aria-label') || el.dataset.chart, seriesPixels };
  });
  return { charts, failed: window.nodecastCharts.failed };
})()`;

/**
 * Waits until the page's charts have drawn, then counts, per chart, the canvas pixels in one of
 * its series' colours (read from the chart's own JSON spec), so an axis without data fails.
 */
export async function checkCharts(page: Page): Promise<{ charts: ChartCheck[]; failed: string[] }> {
  await page.waitForFunction(CHARTS_READY);
  return page.evaluate(CHART_PIXELS) as Promise<{ charts: ChartCheck[]; failed: string[] }>;
}
