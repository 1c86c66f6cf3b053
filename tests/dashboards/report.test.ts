import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { buildReport, type ReportResult } from '../../src/dashboards/build.js';
import { findReportFonts } from '../../src/dashboards/fonts.js';
import { pngRenderOptions } from '../../src/dashboards/render.js';
import type { ReportSettings } from '../../src/dashboards/settings.js';
import type { Redactor } from '../../src/privacy/redact.js';
import { martsFixture } from './marts-fixture.js';

const settings: ReportSettings = {
  asOf: '2026-11-10T00:00:00Z',
  timezone: 'Asia/Shanghai',
  fcrWindow: '72h',
  humanReachTargetSeconds: 240,
  minSampleConversations: 30,
  minSampleSurveys: 5,
};
const fonts = findReportFonts();

let db: Db;
let outDir: string;
let result: ReportResult;
const warnings: string[] = [];

beforeAll(async () => {
  db = await martsFixture();
  // One chart without data, to see the note end to end.
  await db.run("delete from marts.canned_templates");
  outDir = mkdtempSync(join(tmpdir(), 'csqa-report-'));
  result = await buildReport(db, {
    outDir,
    settings,
    outlierZ: 1.5,
    now: new Date('2026-11-10T06:00:00Z'),
    // A stand-in redactor with a visible effect on the fixture's ids: proves which fields it reaches.
    redact: Object.assign((s: string | null | undefined) => s?.replace(/agent-5/g, 'agent-•'), { enabled: true }) as Redactor,
    warn: (m) => warnings.push(m),
  });
}, 120_000);

afterAll(() => db?.close());

const read = (name: string) => readFileSync(join(outDir, name), 'utf8');

describe('report folder', () => {
  it('holds index.html and an SVG, a PNG and a CSV per chart', () => {
    const expected = ['index.html', ...result.charts.flatMap((c) => ['svg', 'png', 'csv'].map((e) => `${c.name}.${e}`))].sort();
    expect(result.files).toEqual(expected);
    expect(result.charts).toHaveLength(9);
    for (const file of expected) expect(existsSync(join(outDir, file))).toBe(true);
    const png = readFileSync(join(outDir, 'vendor_scorecard.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('draws marks in the SVGs, with Chinese labels as text', () => {
    const svg = read('deflection_by_vendor.svg');
    expect(svg).toMatch(/class="mark-rect role-mark/);
    expect(svg).toContain('华信外包');
  });

  it('writes each chart data as CSV with log text neutralised for spreadsheets', () => {
    const csv = read('deflection_by_vendor.csv');
    expect(csv.split('\r\n')[0]).toBe('vendor,vendor_label,category,count,n,rate,rate_label');
    expect(csv).toContain('华信外包');
    const scatter = read('agent_scatter.csv');
    expect(scatter).toContain('agent-•');
    expect(scatter).not.toContain('agent-5');
  });

  it('replaces the empty chart with a note on the page and in the pictures', () => {
    const empty = result.charts.find((c) => c.name === 'canned_templates')!;
    expect(empty.emptyReason).toMatch(/no rows/);
    expect(warnings.some((w) => w.includes('canned_templates'))).toBe(true);
    const html = read('index.html');
    expect(html.includes('No data for this chart: the query returned no rows for this period')).toBe(true);
    expect(html.includes('id="chart-canned_templates"')).toBe(false);
    expect(read('canned_templates.svg')).toContain('No data for this chart');
    expect(read('canned_templates.csv')).toBe(
      'rank,template_id,template_label,example_text,count_messages,count_conversations,count_agents,top_agent_id,usage_label\r\n',
    );
  });

  it('inlines the libraries and forbids the network in a CSP', () => {
    // Plain booleans: a failing toContain on a 900 kB page would print all of it.
    const html = read('index.html');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    expect(csp).toMatch(/^default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval';/);
    expect(csp).toContain("connect-src 'none'");
    expect(/<script[^>]+src=/.test(html)).toBe(false);
    expect(/<link[^>]+href=/.test(html)).toBe(false);
    expect(html.length).toBeGreaterThan(500_000);
    // No wall-clock time on the page: a re-run of the same night must produce the same bytes.
    expect(html).not.toContain('generated ');
  });

  it.skipIf(!fonts.cjk)('renders Chinese glyphs into the PNG through the CJK font (and not without it)', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="28" font-family="sans-serif" font-size="24">华信外包</text></svg>';
    const pixels = (options: ConstructorParameters<typeof Resvg>[1]) => new Resvg(svg, options).render().pixels;
    const ink = (image: Buffer) => {
      let dark = 0;
      for (let i = 0; i < image.length; i += 4) if (image[i]! < 128 && image[i + 3]! > 0) dark++;
      return dark;
    };
    const withCjk = pixels(pngRenderOptions(fonts));
    expect(ink(withCjk)).toBeGreaterThan(200);
    expect(ink(pixels({ background: 'white', font: { loadSystemFonts: false } }))).toBe(0);
    // The Latin face alone draws placeholder boxes: the glyphs above come from the CJK fallback.
    if (fonts.latin) expect(withCjk.equals(pixels(pngRenderOptions({ latin: fonts.latin, cjk: fonts.latin })))).toBe(false);
  });
});
