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
