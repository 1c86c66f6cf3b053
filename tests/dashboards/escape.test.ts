import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/dashboards/csv.js';
import { renderIndexHtml, scriptSafe } from '../../src/dashboards/html.js';

// The cell and escaper rules themselves are tested with the shared functions (tests/privacy/escape.test.ts).
describe('chart CSV', () => {
  it('writes numbers as numbers (a negative rate is not a formula) and text neutralised and quoted', () => {
    const csv = toCsv([
      { vendor: '=HYPERLINK("http://x","y")', change: -0.25, n: 3, ok: true, missing: null },
      { vendor: 'vendor-a, Ltd.', change: 0.5, n: 4, ok: false, missing: null },
    ]);
    expect(csv).toBe(
      'vendor,change,n,ok,missing\r\n' +
        `"'=HYPERLINK(""http://x"",""y"")",-0.25,3,true,\r\n` +
        '"vendor-a, Ltd.",0.5,4,false,\r\n',
    );
  });
});

describe('report page', () => {
  it('keeps library code from closing its script element', () => {
    expect(scriptSafe('var s = "</script>"; // <!-- x')).toBe('var s = "<\\/script>"; // <\\!-- x');
  });

  it('puts log text on the page only escaped', () => {
    const evil = '</script><img src=x onerror=alert(1)>';
    const html = renderIndexHtml({
      title: 'csqa',
      settingsLines: ['FCR window 72h'],
      redacted: true,
      libraries: { vega: '/*vega*/', vegaLite: '/*vl*/', vegaEmbed: '/*embed*/' },
      charts: [
        { name: 'templates', title: `Top ${evil}`, caption: evil, rows: [{ t: evil }], columns: ['t'], spec: { datasets: { table: [{ t: evil }] } } },
        { name: 'empty', title: 'Empty', caption: 'nothing', rows: [], columns: [], emptyReason: evil, spec: {} },
      ],
    });
    expect(html.includes('<img')).toBe(false);
    expect(html.match(/<\/script>/g)).toHaveLength(5);
    expect(html).toContain('No data for this chart: &lt;/script&gt;');
    expect(html).toContain('<div class="chart" id="chart-templates" data-chart="templates"></div>');
    expect(html).not.toContain('id="chart-empty"');
  });

  it('says whether log text on the page is redacted', () => {
    const page = (redacted: boolean) =>
      renderIndexHtml({
        title: 'csqa',
        settingsLines: [],
        redacted,
        libraries: { vega: '', vegaLite: '', vegaEmbed: '' },
        charts: [],
      });
    const notice = (html: string) => html.match(/<p class="privacy[^"]*" id="privacy-notice" role="note">([^<]*)<\/p>/)?.[1];
    expect(notice(page(true))).toMatch(/replaced by placeholders such as \[PHONE\]/);
    expect(notice(page(false))).toMatch(/^WARNING: redaction is OFF/);
    expect(page(false)).toContain('class="privacy raw"');
  });
});
