/**
 * Minimal stand-ins for csqa's output writers (report page, coaching Markdown, CSV and JSON exports), built
 * only from the privacy escapers, so the leak scan and the browser test exercise every medium before the
 * real writers are wired. `safe: false` writes raw text, to prove the scanner catches leaks.
 */
import { escapeHtml, csvRow, jsonForHtmlScript, markdownQuote, escapeMarkdownInline } from '../../src/privacy/escape.js';
import { redact } from '../../src/privacy/redact.js';
import type { CorpusEntry } from '../../src/privacy/scan.js';

export interface WrittenOutputs {
  'report.html': string;
  'coaching.md': string;
  'templates.csv': string;
  'evidence.json': string;
}

export function writeOutputs(corpus: readonly CorpusEntry[], safe: boolean): WrittenOutputs {
  const text = (entry: CorpusEntry) => (safe ? redact(entry.text) : entry.text);
  const html = safe ? escapeHtml : (s: string) => s;
  const json = safe ? (v: unknown) => jsonForHtmlScript(v) : (v: unknown) => JSON.stringify(v);
  const rows = corpus.map((entry) => ({ id: entry.id, text: text(entry) }));
  const report = [
    '<!doctype html><html><head><meta charset="utf-8"><title>csqa</title></head><body>',
    '<table id="messages">',
    ...rows.map((r) => `<tr><td>${html(r.id)}</td><td title="${html(r.text)}">${html(r.text)}</td></tr>`),
    '</table><ul id="tooltips"></ul>',
    `<script id="data" type="application/json">${json(rows)}</script>`,
    `<script>const rows = ${json(rows)};`,
    "for (const row of rows) { const li = document.createElement('li'); li.textContent = row.text; document.getElementById('tooltips').append(li); }",
    '</script></body></html>',
  ].join('\n');
  const coaching = [
    '# Coaching: agent a1',
    '',
    ...rows.flatMap((r) => [
      `## Evidence ${safe ? escapeMarkdownInline(r.id) : r.id}`,
      '',
      safe ? markdownQuote(r.text) : r.text,
      '',
    ]),
  ].join('\n');
  const csv = [
    'template_id,example_text,count_messages',
    ...rows.map((r, i) => (safe ? csvRow([r.id, r.text, -i]) : `${r.id},${r.text.includes(',') ? `"${r.text}"` : r.text},${-i}`)),
  ].join('\r\n');
  return {
    'report.html': report,
    'coaching.md': coaching,
    'templates.csv': csv,
    'evidence.json': json({ evidence: rows }),
  };
}
