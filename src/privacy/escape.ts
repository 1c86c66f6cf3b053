/**
 * One escaper per output medium. Log text is written by strangers: every writer passes it through the
 * function for its medium so that it is shown as text and never runs (HTML, Markdown, spreadsheets).
 * SQL has no escaper on purpose: values are always bound parameters (src/db/database.ts).
 */

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return String(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

// Every ASCII punctuation character CommonMark/GFM gives meaning to inside a line: emphasis, code,
// links and images, autolinks and raw HTML, tables, strikethrough, entities, escapes themselves.
const MARKDOWN_INLINE = /[\\`*_{}[\]()<>#|!~&]/g;

/**
 * Text for one Markdown line (a list item, a table cell, a heading's tail): newlines become spaces so the
 * text cannot start a block of its own, and all inline syntax is backslash-escaped.
 */
export function escapeMarkdownInline(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return String(text)
    .replace(/\r\n?|\n|\u2028|\u2029/g, ' ')
    .replace(MARKDOWN_INLINE, '\\$&');
}

/** Constructs that only mean something at the start of a line: lists, setext underlines, quotes, fences. */
function escapeLineStart(line: string): string {
  return line
    .replace(/^(\s*)([-+=>])/, '$1\\$2')
    .replace(/^(\s*)([0-9]{1,9})([.)])/, '$1$2\\$3');
}

/**
 * A message quoted as a Markdown block quote ("> ..." on every line), its own line breaks kept. Nothing in
 * it can become a heading, list, link, image, HTML, code fence or table, or end the quote.
 */
export function markdownQuote(text: string | null | undefined): string {
  if (text === null || text === undefined) return '>';
  return String(text)
    .split(/\r\n?|\n|\u2028|\u2029/)
    .map((line) => {
      const escaped = escapeLineStart(line.replace(MARKDOWN_INLINE, '\\$&'));
      return escaped.trim() === '' ? '>' : `> ${escaped}`;
    })
    .join('\n');
}

/** Spreadsheet applications evaluate cells starting with these (incl. full-width forms Excel also reads). */
/** As a character class, shared with the SQL form in sqlFunctions.ts so both neutralise the same cells. */
export const FORMULA_LEAD_CLASS = '[=+\\-@\t\r＝＋－＠]';
const FORMULA_LEAD = new RegExp('^' + FORMULA_LEAD_CLASS);

/** A text cell a spreadsheet will not evaluate; for CSV written by DuckDB COPY, which quotes by itself. */
export function neutraliseFormula(text: string): string {
  return FORMULA_LEAD.test(text) ? `'${text}` : text;
}

export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

/**
 * One RFC 4180 cell. Text cells that a spreadsheet would read as a formula get a leading apostrophe
 * (OWASP CSV injection advice); numbers, including negative ones, stay numeric.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = neutraliseFormula(value instanceof Date ? value.toISOString() : value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record (CRLF is added by the caller's join, RFC 4180 allows either line end). */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}

/**
 * JSON that can be inlined in an HTML <script> element: "</script>", "<!--" and U+2028/2029 cannot end or
 * break the script. Also the form to use for JSON export files, so they stay inert if someone inlines them.
 */
export function jsonForHtmlScript(value: unknown, space?: number): string {
  const json = JSON.stringify(value, null, space) ?? 'null';
  return json.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
