/**
 * Issue 8 end to end: the hostile/personal corpus goes in as customer and agent messages, through ingest,
 * metrics (marts + exports), report and coaching into one output folder; then every file is scanned for raw
 * personal values and live payloads, and the report is opened in Chromium. A second run with
 * privacy.redact = false shows the same scan does find the raw values (the check can fail) and that every
 * output then says redaction is off.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coach } from '../../src/coach/coach.js';
import { loadConfig, type Config } from '../../src/config.js';
import { reportFromConfig } from '../../src/dashboards/from-config.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { ingest } from '../../src/ingest/load.js';
import { buildMetrics } from '../../src/metrics/build.js';
import { exportMarts } from '../../src/metrics/export.js';
import { redact } from '../../src/privacy/redact.js';
import type { CorpusEntry } from '../../src/privacy/scan.js';
import { scanOutputDir, type DirScan, type TextReader } from '../../src/privacy/scanDir.js';
import { loadHostileCorpus } from './corpus.js';

const CHROMIUM = '/usr/bin/chromium';
const corpus = loadHostileCorpus();
const textOf = (id: string) => {
  const entry = corpus.find((e) => e.id === id);
  if (!entry) throw new Error(`corpus entry ${id} missing`);
  return entry.text;
};

const AGENTS = ['a1', 'a2', 'a3', 'a4'];
const CONVERSATIONS_PER_AGENT = 17;
const BASE = Date.parse('2026-11-02T01:00:00Z');
const COUPON_PHRASE = '给您申请一张5元优惠券';
/** What agent a1 pastes into every conversation: a formula-leading coupon template carrying PII and payloads. */
const COUPON_TEMPLATE = [textOf('csv-formula-eq'), COUPON_PHRASE, textOf('xss-script'), textOf('mobile-zh'), textOf('md-link')].join(' ');

interface World {
  records: object[];
  signals: Array<{ key: string; conversation: string; start: number; end: number }>;
  templates: Array<{ key: string; conversation: string; templateId: string }>;
}

/**
 * Each conversation: a customer message, the agent's reply, (a1 only) the coupon template, a closing customer
 * message. Corpus texts rotate through all three positions, so every entry is said by customers and agents.
 * Every agent reply is a canned template of its own corpus entry, so marts.canned_templates lists them all.
 */
function buildWorld(): World {
  const world: World = { records: [], signals: [], templates: [] };
  const n = corpus.length;
  let i = 0;
  for (const agent of AGENTS) {
    for (let k = 0; k < CONVERSATIONS_PER_AGENT; k++, i++) {
      const conversation = `${agent}-c${String(k).padStart(2, '0')}`;
      const at = (seconds: number) => new Date(BASE + i * 600_000 + seconds * 1000).toISOString();
      const agentFields = { agent_id: agent, agent_name: `Agent ${agent.toUpperCase()}`, vendor: 'vendor-a', tier: 'L1' };
      const message = (id: string, seconds: number, role: string, text: string, extra: object = {}) =>
        world.records.push({ type: 'message', conversation_id: conversation, message_id: id, sent_at: at(seconds), role, text, channel: 'chat', ...extra });
      message('m1', 0, 'customer', corpus[i % n]!.text, { customer_id: `cust-${i}` });
      const reply = corpus[(i + 23) % n]!;
      message('m2', 40, 'agent', reply.text, agentFields);
      world.templates.push({ key: `${conversation}:m2`, conversation, templateId: `tpl-${reply.id}` });
      if (agent === 'a1') {
        message('m3', 80, 'agent', COUPON_TEMPLATE, agentFields);
        const start = COUPON_TEMPLATE.indexOf(COUPON_PHRASE);
        world.signals.push({ key: `${conversation}:m3`, conversation, start, end: start + COUPON_PHRASE.length });
        world.templates.push({ key: `${conversation}:m3`, conversation, templateId: 'tpl-coupon' });
      }
      message('m4', 120, 'customer', corpus[(i + 45) % n]!.text, { customer_id: `cust-${i}` });
    }
  }
  return world;
}

function config(dir: string, redactText: boolean): Config {
  return loadConfig({
    env: {},
    cwd: dir,
    flags: {
      outDir: join(dir, 'out'),
      'privacy.redact': redactText,
      'coach.minConversations': 10,
      'coach.maxEvidence': 5,
      'coach.language': 'en',
      'report.topTemplates': 100,
    },
  });
}

/** Scores the real scorer would write, inserted directly: a1's coupon offers and the template clusters. */
async function insertScores(db: Db, world: World): Promise<void> {
  const keys = await db.all<{ message_key: string }>('select message_key from raw.messages order by message_key');
  const loaded = new Set(keys.map((r) => r.message_key));
  for (const s of world.signals) {
    if (!loaded.has(s.key)) throw new Error(`message ${s.key} was not loaded under that key`);
    await db.run(
      `insert into scores.message_signals values ($1, $2, 'coupon_appeasement', 'test.coupon', $3, $4, $5, 0.9, 'test', '1')`,
      [s.key, s.conversation, s.start, s.end, COUPON_PHRASE],
    );
  }
  for (const t of world.templates) {
    await db.run('insert into scores.message_templates values ($1, $2, $3)', [t.key, t.conversation, t.templateId]);
  }
}

interface Run {
  outDir: string;
  scan: DirScan;
  /** example_text of marts.canned_templates as exported to Parquet. */
  exportedTemplates: string[];
}

async function runPipeline(redactText: boolean): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), `csqa-privacy-e2e-${redactText ? 'on' : 'off'}-`));
  const cfg = config(dir, redactText);
  const world = buildWorld();
  const input = join(dir, 'messages.jsonl');
  writeFileSync(input, world.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const db = await openDatabase(':memory:');
  try {
    const loaded = await ingest(db, [input], cfg, { now: () => new Date('2026-11-03T00:00:00Z') });
    expect(loaded.totals.rowsLoaded).toBe(world.records.length);
    await insertScores(db, world);
    const metrics = await buildMetrics(db, cfg);
    await exportMarts(db, cfg.outDir, metrics.settings, { privacy: cfg.privacy });
    await reportFromConfig(db, cfg, { now: new Date('2026-11-03T00:00:00Z') });
    await coach(db, cfg, { outDir: cfg.outDir });
    const exported = await db.all<{ example_text: string }>('select example_text from read_parquet($1) order by example_text', [
      join(cfg.outDir, 'exports', 'canned_templates.parquet'),
    ]);
    const scan = await scanOutputDir(cfg.outDir, corpus, { '.parquet': parquetText(db) });
    return { outDir: cfg.outDir, scan, exportedTemplates: exported.map((r) => r.example_text) };
  } finally {
    db.close();
  }
}

/** Every text cell of a Parquet file, one per line. */
function parquetText(db: Db): TextReader {
  return async (path) => {
    const rows = await db.all('select * from read_parquet($1)', [path]);
    return rows.flatMap((row) => Object.values(row).filter((v): v is string => typeof v === 'string')).join('\n');
  };
}

const withPii = (entries: readonly CorpusEntry[]) => entries.filter((e) => (e.pii ?? []).length > 0).map((e) => e.id).sort();
const read = (run: Run, file: string) => readFileSync(join(run.outDir, file), 'utf8');

describe('privacy end to end: ingest -> metrics -> report -> coaching', () => {
  let on: Run;
  let off: Run;
  beforeAll(async () => {
    on = await runPipeline(true);
    off = await runPipeline(false);
  }, 240_000);

  it('writes every kind of output, and scans all but the PNG pictures', () => {
    const scanned = new Set(on.scan.scanned);
    for (const file of [
      'report/index.html',
      'report/canned_templates.csv',
      'report/canned_templates.svg',
      'exports/canned_templates.csv',
      'exports/canned_templates.parquet',
      'exports/metrics_settings.json',
      'coaching/agents/a1.md',
      'coaching/vendors/vendor-a.md',
      'coaching/coaching.json',
      'coaching/coaching.csv',
    ]) {
      expect(scanned.has(file), file).toBe(true);
    }
    expect(on.scan.unscanned.filter((f) => !f.endsWith('.png'))).toEqual([]);
  });

  it('carries the whole corpus into the outputs, redacted', () => {
    const expected = [...corpus.map((e) => redact(e.text)), redact(COUPON_TEMPLATE)].sort();
    expect(on.exportedTemplates).toEqual(expected);
    // The coupon template is a1's weak spot, quoted as evidence (Markdown-escaped, PII replaced).
    const md = read(on, 'coaching/agents/a1.md');
    expect(md).toContain('## 1. Coupon offers');
    expect(md).toContain("\\<script\\>alert\\('xss'\\)\\</script\\>你好 我的手机是\\[PHONE\\]");
    expect(md).not.toContain('redaction is OFF');
  });

  it('leaves no raw personal value and no live payload in any output file', () => {
    expect(on.scan.leaks).toEqual([]);
  });

  it('with privacy.redact = false the same scan finds every personal value of the corpus, yet still no payload', () => {
    const pii = off.scan.leaks.filter((l) => l.kind === 'pii');
    expect([...new Set(pii.map((l) => l.source))].sort()).toEqual(withPii(corpus));
    expect(off.scan.leaks.filter((l) => l.kind !== 'pii')).toEqual([]);
    expect(off.exportedTemplates).toContain(COUPON_TEMPLATE);
  });

  it('with privacy.redact = false the report and coaching files say so', () => {
    expect(read(off, 'report/index.html')).toMatch(/<p class="privacy raw" id="privacy-notice" role="note">WARNING: redaction is OFF/);
    expect(read(on, 'report/index.html')).toMatch(/<p class="privacy" id="privacy-notice" role="note">Personal data in quoted log text/);
    for (const file of ['coaching/agents/a1.md', 'coaching/vendors/vendor-a.md']) {
      expect(read(off, file).split('\n').slice(0, 6).join('\n'), file).toContain('WARNING: redaction is OFF');
    }
    expect(JSON.parse(read(off, 'coaching/coaching.json')).settings.redacted).toBe(false);
  });

  describe.skipIf(!existsSync(CHROMIUM))('the report in Chromium', () => {
    let browser: Browser;
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    let page: {
      scripts: number;
      images: number;
      handlers: string[];
      templates: string[];
      axisLabels: string[];
      tooltip: string;
      tooltipElements: number;
      notice: string;
    };

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      tab.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      tab.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      tab.on('pageerror', (error) => consoleErrors.push(error.message));
      await tab.goto(pathToFileURL(join(on.outDir, 'report', 'index.html')).href);
      await tab.waitForSelector('body[data-charts-done="true"]', { timeout: 60_000 });
      const specs = JSON.parse(await tab.$eval('#csqa-specs', (el) => el.textContent ?? '')) as Record<string, { datasets: Record<string, Array<Record<string, unknown>>> }>;
      const dom = {
        scripts: await tab.locator('script').count(),
        images: await tab.locator('img, iframe, object, embed').count(),
        handlers: await tab.$$eval('*', (els) => els.flatMap((el) => el.getAttributeNames().filter((a: string) => a.startsWith('on')).map((a: string) => `${el.tagName}.${a}`))),
        templates: Object.values(specs.canned_templates!.datasets)[0]!.map((r) => String(r.example_text)),
        axisLabels: await tab.$$eval('#chart-canned_templates svg .role-axis-label text', (els) => els.map((t) => t.textContent ?? '')),
        notice: (await tab.locator('#privacy-notice').textContent()) ?? '',
      };
      // The first bar is the most used template: a1's coupon paste. Its tooltip shows the example text.
      const bar = tab.locator('#chart-canned_templates svg .mark-rect path').first();
      await bar.hover();
      const tooltip = tab.locator('#vg-tooltip-element');
      await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
      page = {
        ...dom,
        tooltip: (await tooltip.textContent()) ?? '',
        tooltipElements: await tooltip.locator('script, img, a, iframe').count(),
      };
      await tab.close();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('runs nothing from the logs and logs no console error', () => {
      expect(dialogs).toEqual([]);
      expect(consoleErrors).toEqual([]);
      // Three libraries, the specs and the boot script: nothing added by log text.
      expect(page.scripts).toBe(5);
      expect(page.images).toBe(0);
      expect(page.handlers).toEqual([]);
      expect(page.tooltipElements).toBe(0);
    });

    it('shows the payloads as text, redacted', () => {
      const expected = [...corpus.map((e) => redact(e.text)), redact(COUPON_TEMPLATE)].sort();
      expect([...page.templates].sort()).toEqual(expected);
      expect(page.axisLabels.some((l) => l.includes("<script>alert('xss')</script>"))).toBe(true);
      expect(page.tooltip).toContain(redact(COUPON_TEMPLATE));
      expect(page.tooltip).toContain("<script>alert('xss')</script>你好 我的手机是[PHONE]");
      expect(page.tooltip).not.toContain('13812345678');
      expect(page.notice).toMatch(/^Personal data in quoted log text/);
    });
  });
});
