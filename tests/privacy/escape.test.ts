import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, escapeHtml, escapeMarkdownInline, jsonForHtmlScript, markdownQuote } from '../../src/privacy/escape.js';

describe('escapeHtml', () => {
  it('turns markup into text', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')"> & co`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co',
    );
    expect(escapeHtml(null)).toBe('');
  });
});

describe('Markdown', () => {
  it('quotes a message so links, images, HTML, headings, lists, fences and tables stay inert', () => {
    const message = '# 紧急通知\n[点我](javascript:alert(1)) ![x](y)\n<script>alert(1)</script>\n- item\n1. first\n```\n| a | b |\n===\n\n> nested';
    expect(markdownQuote(message)).toBe(
      [
        '> \\# 紧急通知',
        '> \\[点我\\]\\(javascript:alert\\(1\\)\\) \\!\\[x\\]\\(y\\)',
        '> \\<script\\>alert\\(1\\)\\</script\\>',
        '> \\- item',
        '> 1\\. first',
        '> \\`\\`\\`',
        '> \\| a \\| b \\|',
        '> \\===',
        '>',
        '> \\> nested',
      ].join('\n'),
    );
  });

  it('keeps inline text on one line with its syntax escaped', () => {
    expect(escapeMarkdownInline('a *b*\n# c_d & [e]')).toBe('a \\*b\\* \\# c\\_d \\& \\[e\\]');
    expect(escapeMarkdownInline('中文 😀 13:30 3.5')).toBe('中文 😀 13:30 3.5');
  });
});

describe('csvCell', () => {
  it('neutralises formula-leading text cells and keeps numbers numeric', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+SUM(1,2)')).toBe(`"'+SUM(1,2)"`);
    expect(csvCell('-2+3+cmd')).toBe(`'-2+3+cmd`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('\tx')).toBe(`'\tx`);
    expect(csvCell('＝1+1')).toBe(`'＝1+1`);
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell('-3.5')).toBe(`'-3.5`);
    expect(csvCell(null)).toBe('');
  });

  it('quotes per RFC 4180', () => {
    expect(csvRow(['a,b', 'say "hi"', 'line\nbreak', 1, true, new Date(Date.UTC(2026, 10, 21))])).toBe(
      '"a,b","say ""hi""","line\nbreak",1,true,2026-11-21T00:00:00.000Z',
    );
  });
});

describe('jsonForHtmlScript', () => {
  it('cannot close or break a script element and still parses to the same value', () => {
    const value = { text: '</script><script>alert(1)</script> & <!-- \u2028\u2029' };
    const json = jsonForHtmlScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
    expect(jsonForHtmlScript(undefined)).toBe('null');
  });
});
