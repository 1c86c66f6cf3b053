import { describe, expect, it } from 'vitest';
import { neutraliseFormula, quoteCsvField, toCsv } from '../../src/dashboards/csv.js';
import { escapeHtml, jsonForScript, renderIndexHtml, scriptSafe } from '../../src/dashboards/html.js';

describe('CSV cells', () => {
  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\t=x', 'ok', '华信外包'].map(neutraliseFormula)).toEqual([
      "'=1+1",
      "'+cmd",
      "'-2+3",
      "'@SUM(A1)",
      "'\t=x",
      'ok',
      '华信外包',
    ]);
  });

  it('quotes per RFC 4180', () => {
    expect(quoteCsvField('a,b')).toBe('"a,b"');
    expect(quoteCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCsvField('two\nlines')).toBe('"two\nlines"');
    expect(quoteCsvField('plain')).toBe('plain');
  });

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

describe('HTML and inline JSON', () => {
  it('escapes markup in log text', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')"> & co`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co');
  });

  it('keeps inline JSON from closing its script element and round-trips it', () => {
    const value = { text: '</script><script>alert(1)</script> & \u2028 <!-- 你好' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('keeps library code from closing its script element', () => {
    expect(scriptSafe('var s = "</script>"; // <!-- x')).toBe('var s = "<\\/script>"; // <\\!-- x');
  });

  it('puts log text on the page only escaped', () => {
    const evil = '</script><img src=x onerror=alert(1)>';
    const html = renderIndexHtml({
      title: 'csqa',
      settingsLines: ['FCR window 72h'],
      generatedAt: '2026-11-10T06:00:00.000Z',
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
});
