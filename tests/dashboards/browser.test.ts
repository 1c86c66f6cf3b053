/**
 * Opens the generated index.html in Debian's headless Chromium from file:// and checks what a vendor
 * manager would see: every chart drawn, no console error, and no request leaving the page.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type ReportResult } from '../../src/dashboards/build.js';
import type { ReportSettings } from '../../src/dashboards/settings.js';
import { martsFixture } from './marts-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser test skipped: ${CHROMIUM} not found (apt-get install chromium; .ci/run does this)`);

const settings: ReportSettings = {
  asOf: '2026-11-10T00:00:00Z',
  timezone: 'Asia/Shanghai',
  fcrWindow: '72h',
  humanReachTargetSeconds: 240,
  minSampleConversations: 30,
  minSampleSurveys: 5,
};

describe.skipIf(!hasChromium)('index.html in headless Chromium', () => {
  let workDir: string;
  let result: ReportResult;
  let context: BrowserContext;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  let chartStats: Array<{ name: string; marks: number; rendered: string | null }> = [];
  let noDataNotes = 0;
  let screenshot: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'csqa-browser-'));
    const db = await martsFixture();
    try {
      result = await buildReport(db, { outDir: join(workDir, 'report'), settings, outlierZ: 1.5, now: new Date('2026-11-10T06:00:00Z'), fonts: null });
    } finally {
      db.close();
    }

    context = await chromium.launchPersistentContext(join(workDir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await page.goto(pathToFileURL(join(workDir, 'report', 'index.html')).href);
    await page.waitForSelector('body[data-charts-done="true"]', { timeout: 60_000 });
    chartStats = await page.$$eval('div.chart', (elements) =>
      elements.map((el) => ({
        name: el.getAttribute('data-chart') ?? '',
        // Vega's SVG renderer puts each mark's items inside <g class="mark-... role-mark">.
        marks: el.querySelectorAll('svg g.role-mark > path, svg g.role-mark > text, svg g.role-mark > line, svg g.role-mark > rect, svg g.role-mark > g').length,
        rendered: el.getAttribute('data-rendered'),
      })),
    );
    noDataNotes = await page.locator('.no-data').count();
    screenshot = join(workDir, 'report-screenshot.png');
    await page.screenshot({ path: screenshot, fullPage: true });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    // The report and the screenshot stay in the temp dir for a look after a failure; the profile goes.
    if (workDir) rmSync(join(workDir, 'profile'), { recursive: true, force: true });
  });

  it('logs no console error or warning', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('sends no request beyond the file itself', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith('file://') && !url.startsWith('data:'))).toEqual([]);
    expect(requests.filter((url) => url.startsWith('file://'))).toEqual([pathToFileURL(join(workDir, 'report', 'index.html')).href]);
  });

  it('draws marks in every chart with data', () => {
    const withData = result.charts.filter((c) => !c.emptyReason).map((c) => c.name);
    expect(chartStats.map((c) => c.name)).toEqual(withData);
    for (const chart of chartStats) {
      expect({ name: chart.name, rendered: chart.rendered, hasMarks: chart.marks > 0 }).toEqual({ name: chart.name, rendered: 'true', hasMarks: true });
    }
    expect(noDataNotes).toBe(result.charts.filter((c) => c.emptyReason).length);
  });

  it('saves a screenshot', () => {
    console.info(`report screenshot: ${screenshot}`);
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
  });
});
