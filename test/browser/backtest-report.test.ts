import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktestCommand } from '../../agent/cli/backtest-command.js';
import { MINUTE_MS } from '../../forecast/series.js';
import { syntheticDemand } from '../../forecast/testing/synthetic.js';
import { browserUnavailable, checkCharts, launchBrowser, openWatchedPage } from './chromium.js';

const unavailable = browserUnavailable();
const dir = mkdtempSync(join(tmpdir(), 'nodecast-backtest-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(unavailable !== null)(
  `backtest --report in headless Chromium${unavailable ? ` (${unavailable})` : ''}`,
  () => {
    it('draws the scores and each shown model against the actual series', async () => {
      const s = syntheticDemand({ days: 5, stepMs: 30 * MINUTE_MS, noise: 1, seed: 3 });
      const file = join(dir, 'series.csv');
      const rows = Array.from(
        s.values,
        (v, i) => `${new Date(s.start + i * s.stepMs).toISOString()},${v.toFixed(3)}`,
      );
      writeFileSync(file, `timestamp,value\n${rows.join('\n')}\n`);
      const report = join(dir, 'backtest.html');
      const stderr = new PassThrough();
      const err: string[] = [];
      stderr.on('data', (c: Buffer) => err.push(c.toString()));
      const code = await runBacktestCommand(
        [
          '--series',
          file,
          '--models',
          'persistence,seasonal-naive-daily,holt-winters,auto',
          '--horizon',
          '1h',
          '--report',
          report,
        ],
        { stdout: new PassThrough().resume(), stderr, isTTY: false },
      );
      expect(code).toBe(0);
      expect(err.join('')).toContain(`wrote report to ${report}`);
      const html = readFileSync(report, 'utf8');
      expect(html).not.toMatch(/<script[^>]+src=|<link(?![^>]+href="data:)[^>]+href=/i);

      const browser = await launchBrowser();
      try {
        const { page, problems } = await openWatchedPage(browser);
        await page.goto(`file://${report}`);
        const { charts, failed } = await checkCharts(page);
        expect(failed).toEqual([]);
        const titles = charts.map((c) => c.chart);
        expect(titles[0]).toBe('MASE per model');
        expect(titles).toEqual(
          expect.arrayContaining([expect.stringMatching(/^auto: forecast 60 min ahead vs actual$/)]),
        );
        expect(titles.length).toBeGreaterThanOrEqual(3);
        for (const c of charts) expect(c.seriesPixels, c.chart).toBeGreaterThan(50);
        // The score table lists every model run.
        const models = await page.locator('table tbody tr td:first-child').allTextContents();
        expect(models).toEqual(['persistence', 'seasonal-naive-daily', 'holt-winters', 'auto']);
        expect(problems).toEqual({ consoleErrors: [], pageErrors: [], externalRequests: [] });
      } finally {
        await browser.close();
      }
    }, 120_000);

    it('refuses an unwritable report path with exit 2 before fitting anything', async () => {
      const stderr = new PassThrough();
      const err: string[] = [];
      stderr.on('data', (c: Buffer) => err.push(c.toString()));
      const code = await runBacktestCommand(
        ['--series', join(dir, 'series.csv'), '--report', '/nonexistent/dir/r.html'],
        {
          stdout: new PassThrough().resume(),
          stderr,
          isTTY: false,
        },
      );
      expect(code).toBe(2);
      expect(err.join('')).toMatch(
        /--report \/nonexistent\/dir\/r\.html: cannot write in \/nonexistent\/dir/,
      );
    });
  },
);
