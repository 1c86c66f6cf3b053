import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../src/privacy/redact.js';
import { loadHostileCorpus } from './corpus.js';
import { writeOutputs } from './writers.js';

const CHROMIUM = '/usr/bin/chromium';
const corpus = loadHostileCorpus();

interface PageRun {
  cells: string[];
  titles: string[];
  tooltips: string[];
  dialogs: string[];
  consoleErrors: string[];
  pageErrors: string[];
}

describe.skipIf(!existsSync(CHROMIUM))('report page with the hostile corpus in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string): Promise<PageRun> {
    const page = await browser.newPage();
    const run: PageRun = { cells: [], titles: [], tooltips: [], dialogs: [], consoleErrors: [], pageErrors: [] };
    await page.route('**/*', (route) => route.abort()); // offline: nothing may be fetched
    page.on('dialog', (dialog) => {
      run.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') run.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => run.pageErrors.push(error.message));
    await page.setContent(html, { waitUntil: 'load' });
    run.cells = await page.$$eval('#messages td:nth-child(2)', (tds) => tds.map((td) => td.textContent ?? ''));
    run.titles = await page.$$eval('#messages td:nth-child(2)', (tds) => tds.map((td) => td.getAttribute('title') ?? ''));
    run.tooltips = await page.$$eval('#tooltips li', (lis) => lis.map((li) => li.textContent ?? ''));
    await page.close();
    return run;
  }

  it('shows every payload as text, runs nothing and logs no console error', async () => {
    const run = await open(writeOutputs(corpus, true)['report.html']);
    const expected = corpus.map((entry) => redact(entry.text));
    expect(run.dialogs).toEqual([]);
    expect(run.consoleErrors).toEqual([]);
    expect(run.pageErrors).toEqual([]);
    expect(run.cells).toEqual(expected);
    expect(run.titles).toEqual(expected);
    expect(run.tooltips).toEqual(expected);
    expect(run.cells).toContain("<script>alert('xss')</script>你好");
  });

  it('the same page written without escaping does run the payloads (the check can fail)', async () => {
    const run = await open(writeOutputs(corpus, false)['report.html']);
    expect(run.dialogs.length + run.pageErrors.length).toBeGreaterThan(0);
  });
});
