/**
 * Leak scanner for end-to-end tests: given an output file's text and the hostile/personal corpus that was
 * fed into the pipeline, lists every raw personal value and every live payload that survived.
 * Values are searched after undoing the encodings outputs legitimately use (HTML entities, JSON \u escapes,
 * Markdown backslash escapes), and digit values also with separators ("138 1234 5678", "138-1234-5678").
 */
import { extname } from 'node:path';
import { findPii, type PiiType } from './redact.js';

export interface CorpusEntry {
  id: string;
  text: string;
  /** Raw personal values in `text` that must never appear in any output. */
  pii?: string[];
  /**
   * Substrings that would act (HTML tag, Markdown link, heading, spreadsheet formula) if written raw. Keep
   * them distinctive (`<script>alert(1)</script>`, not a bare `<script>` that a report legitimately contains).
   */
  payloads?: string[];
  /** Exact expected redaction of `text`; absent when the entry is only a payload carrier. */
  redacted?: string;
}

export type Medium = 'html' | 'markdown' | 'csv' | 'json' | 'text';

export interface Leak {
  kind: 'pii' | 'payload' | 'pattern';
  /** Corpus entry id, or the PII type for pattern leaks. */
  source: string;
  value: string;
  /** Offset in the decoded text (pii, pattern) or the raw text (payload). */
  index: number;
}

export interface ScanOptions {
  medium?: Medium;
  /**
   * Also report anything the redactor itself recognises (phones, IDs, cards, emails, IPs) even if it is not
   * in the corpus. Off by default: numeric outputs such as epoch milliseconds can pass Luhn by chance.
   */
  patterns?: boolean;
}

export function mediumOf(path: string): Medium {
  switch (extname(path).toLowerCase()) {
    case '.html':
    case '.htm':
    case '.svg':
      return 'html';
    case '.md':
      return 'markdown';
    case '.csv':
    case '.tsv':
      return 'csv';
    case '.json':
    case '.jsonl':
    case '.vl':
      return 'json';
    default:
      return 'text';
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Undoes the encodings csqa's writers apply, so an encoded leak is still a leak. */
export function decodeOutput(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|([a-z]+));/g, (whole, dec?: string, hex?: string, name?: string) => {
      if (dec) return String.fromCodePoint(Number(dec));
      if (hex) return String.fromCodePoint(parseInt(hex, 16));
      return NAMED_ENTITIES[name!] ?? whole;
    })
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matcherFor(value: string): RegExp {
  const digits = value.replace(/[^0-9Xx]/g, '');
  if (!value.includes('@') && digits.length >= 6) {
    // Any separators of up to 3 characters between the digits, in ASCII or full-width form.
    const parts = [...digits].map((c) => {
      const code = c.charCodeAt(0);
      return /[0-9]/.test(c) ? `[${c}${String.fromCharCode(code - 48 + 0xff10)}]` : '[Xx]';
    });
    return new RegExp(parts.join("[^0-9A-Za-z]{0,3}"), "g");
  }
  return new RegExp(escapeRegExp(value), 'gi');
}

type PayloadKind = 'heading' | 'formula' | 'markdown' | 'markup';

function payloadKind(payload: string): PayloadKind {
  if (payload.startsWith('#')) return 'heading';
  if (/^[=+\-@]/.test(payload)) return 'formula';
  if (!payload.includes('<') && /\]\(|```|\|-|^!\[/.test(payload)) return 'markdown';
  return 'markup';
}

/**
 * Where a payload would act: formulas in spreadsheet cells, Markdown syntax in Markdown files, HTML in HTML,
 * Markdown (which passes HTML through) and JSON (which ends up inlined in pages).
 */
function payloadMatcher(payload: string, medium: Medium): RegExp | undefined {
  const kind = payloadKind(payload);
  const escaped = escapeRegExp(payload);
  switch (kind) {
    case 'formula':
      return medium === 'csv' ? new RegExp(`(?:^|[,\\t\\n])"?${escaped}`, 'g') : undefined;
    case 'heading':
      return medium === 'markdown' ? new RegExp(`^[ \\t]{0,3}(?:>[ \\t]?)*${escaped}`, 'gm') : undefined;
    case 'markdown':
      return medium === 'markdown' ? new RegExp(escaped, 'g') : undefined;
    case 'markup':
      return medium === 'html' || medium === 'markdown' || medium === 'json' ? new RegExp(escaped, 'g') : undefined;
  }
}

const PATTERN_TYPES: ReadonlySet<PiiType> = new Set(['PHONE', 'ID', 'CARD', 'EMAIL', 'IP']);

/** Every raw personal value and live payload from `corpus` found in `text` (an output file's content). */
export function findLeaks(text: string, corpus: readonly CorpusEntry[], options: ScanOptions = {}): Leak[] {
  const medium = options.medium ?? 'text';
  const decoded = decodeOutput(text);
  const leaks: Leak[] = [];
  for (const entry of corpus) {
    for (const value of entry.pii ?? []) {
      for (const m of decoded.matchAll(matcherFor(value))) {
        leaks.push({ kind: 'pii', source: entry.id, value, index: m.index! });
      }
    }
    for (const payload of entry.payloads ?? []) {
      const matcher = payloadMatcher(payload, medium);
      if (!matcher) continue;
      for (const m of text.matchAll(matcher)) {
        leaks.push({ kind: 'payload', source: entry.id, value: payload, index: m.index! });
      }
    }
  }
  if (options.patterns) {
    for (const span of findPii(decoded)) {
      if (PATTERN_TYPES.has(span.type)) {
        leaks.push({ kind: 'pattern', source: span.type, value: decoded.slice(span.start, span.end), index: span.start });
      }
    }
  }
  return leaks;
}

/** Reads a JSONL corpus (one CorpusEntry per line; blank lines and lines starting with // are skipped). */
export function parseCorpus(jsonl: string): CorpusEntry[] {
  return jsonl
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'))
    .map((line) => JSON.parse(line) as CorpusEntry);
}
