/**
 * Minimal stand-ins for src/privacy/redact.ts and src/privacy/escape.ts (written in parallel): coaching takes
 * both as parameters, and uses these only when the caller passes none. Customer text is untrusted: once
 * escaped, it must stay inert text in Markdown (no links, no HTML, no headings).
 */

export type TextTransform = (text: string) => string;

/** Masks the personal data most often pasted into chats: e-mail addresses, phone and card-like numbers. */
export const redactMinimal: TextTransform = (text) =>
  text
    .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, '[email]')
    .replace(/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g, '[phone]')
    .replace(/(?<!\d)\d(?:[ -]?\d){11,18}(?!\d)/g, '[number]');

// "_" inside a word cannot open emphasis (CommonMark), so snake_case ids stay readable in the raw file.
const INLINE_SPECIALS = /[\\`*{}[\]<>|~!]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * Escapes text for use inside a Markdown line (a blockquote or a list item): every character that could open
 * a link, image, HTML tag, emphasis, code span or table cell is backslash-escaped or entity-encoded, and each
 * line's leading block marker (#, >, -, +, =, "1.") is escaped. Newlines are kept for the caller to prefix.
 */
export const escapeMarkdownMinimal: TextTransform = (text) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/&/g, '&amp;')
    .replace(INLINE_SPECIALS, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : `\\${ch}`))
    .split('\n')
    // Only punctuation can be backslash-escaped, so an ordered-list marker is broken at its dot: "1\.".
    .map((line) => line.replace(/^(\s*)(?:([#+=-])|(\d+)([.)]))/, (_, space: string, mark?: string, digits?: string, dot?: string) =>
      mark ? `${space}\\${mark}` : `${space}${digits}\\${dot}`,
    ))
    .join('\n');
