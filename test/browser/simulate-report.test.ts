import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runSimulateCommand } from '../../agent/cli/simulate-command.js';
import { generateTrace } from '../../sim/trace-generate.js';
import { formatTrace } from '../../sim/trace-write.js';
import { browserUnavailable, checkCharts, launchBrowser, openWatchedPage } from './chromium.js';

const unavailable = browserUnavailable();
const dir = mkdtempSync(join(tmpdir(), 'nodecast-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function quietIO() {
  const stderr = new PassThrough();
  const err: string[] = [];
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  return { io: { stdout: new PassThrough().resume(), stderr, isTTY: false }, err: () => err.join('') };
}

describe.skipIf(unavailable !== null)(
  `simulate --report in headless Chromium${unavailable ? ` (${unavailable})` : ''}`,
  () => {
    it('writes one self-contained page whose every chart draws its data, with no console errors', async () => {
      // Half a day with a day of history, so the predictive run acts on forecasts.
      const start = Date.UTC(2024, 0, 2);
      const trace = join(dir, 'trace.csv');
      writeFileSync(
        trace,
        formatTrace(
          generateTrace({ days: 1, seed: 3, start }).filter((j) => j.submitTime < start + 12 * 3_600_000),
        ),
      );
      const report = join(dir, 'report.html');
      const c = quietIO();
      expect(
        await runSimulateCommand(['--trace', trace, '--history-days', '1', '--report', report], c.io),
      ).toBe(0);
      expect(c.err()).toContain(`wrote report to ${report}`);
      const html = readFileSync(report, 'utf8');
      // Nothing fetched at view time: no external script, stylesheet or image.
      expect(html).not.toMatch(/<script[^>]+src=|<link(?![^>]+href="data:)[^>]+href=|<img[^>]+src=/i);
      for (const heading of [
        'Nodes and demand over time',
        'Forecast vs actual',
        'Pending time and slowdown',
        'Cost per queue',
      ]) {
        expect(html).toContain(heading);
      }

      const browser = await launchBrowser();
      try {
        const { page, problems } = await openWatchedPage(browser);
        await page.goto(`file://${report}`);
        const { charts, failed } = await checkCharts(page);
        expect(failed).toEqual([]);
        const titles = charts.map((ch) => ch.chart);
        // Driver and executor groups, the predictive forecast, two distributions, cost.
        expect(titles).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^spark-executor \(executor\): nodes per policy/),
            expect.stringMatching(/^spark-driver \(driver\): nodes per policy/),
            expect.stringMatching(/^spark-executor: predictive forecast/),
            'Executor pod pending time',
            'Job slowdown',
            'Cost per queue, and the cost no request used',
          ]),
        );
        for (const ch of charts) expect(ch.seriesPixels, ch.chart).toBeGreaterThan(50);
        expect(problems).toEqual({ consoleErrors: [], pageErrors: [], externalRequests: [] });
      } finally {
        await browser.close();
      }
    }, 120_000);

    it('refuses an unwritable report path before running', async () => {
      const c = quietIO();
      const code = await runSimulateCommand(
        ['--trace', join(dir, 'trace.csv'), '--policy', 'static', '--report', join(dir, 'missing', 'r.html')],
        c.io,
      );
      expect(code).toBe(1);
      expect(c.err()).toMatch(/--report .*missing\/r\.html: cannot write in/);
    });
  },
);
