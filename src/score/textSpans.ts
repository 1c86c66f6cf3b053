/** Small facts about positions in a text that both sentiment and rule filtering need. */

/** Character classes for wordDistance, one table lookup per character (it runs for every negator and term pair). */
const CLAUSE_BREAK = 1;
const WORD_CHAR = 2;
const CJK_CHAR = 4;
const CHAR_CLASS = (() => {
  const table = new Uint8Array(65536);
  for (const ch of '，。！？；,.!?;\n～~') table[ch.charCodeAt(0)] = CLAUSE_BREAK;
  for (let c = 0; c < 128; c++) if (isAsciiAlnum(c)) table[c] = WORD_CHAR;
  table["'".charCodeAt(0)] = WORD_CHAR;
  table.fill(CJK_CHAR, 0x3400, 0xa000);
  return table;
})();

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * A phrase that begins (ends) with an ASCII letter must not continue a word ("agent" is not in
 * "management"); one that begins (ends) with a digit must not continue a number ("315" is not in an
 * order number). CJK phrases have no word boundaries.
 */
export function respectsWordBoundary(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start);
  const last = text.charCodeAt(end - 1);
  if (start > 0) {
    const before = text.charCodeAt(start - 1);
    if (isAsciiLetter(first) && isAsciiAlnum(before)) return false;
    if (isDigit(first) && isDigit(before)) return false;
  }
  if (end < text.length) {
    const after = text.charCodeAt(end);
    if (isAsciiLetter(last) && isAsciiAlnum(after)) return false;
    if (isDigit(last) && isDigit(after)) return false;
  }
  return true;
}

/**
 * Distance between two offsets in "words": each CJK character and each ASCII word counts one. A clause
 * break in between makes the distance infinite, so a negator never reaches into the next clause.
 */
export function wordDistance(text: string, from: number, to: number): number {
  let units = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const kind = CHAR_CLASS[text.charCodeAt(i)]!;
    if (kind === CLAUSE_BREAK) return Number.POSITIVE_INFINITY;
    if (kind === WORD_CHAR) {
      if (!inWord) units++;
      inWord = true;
    } else {
      inWord = false;
      if (kind === CJK_CHAR) units++;
    }
  }
  return units;
}

const QUOTE_PAIRS: Record<string, string> = { '“': '”', '「': '」', '『': '』', '"': '"', '《': '》' };

/** Ranges [start, end) inside quotation marks: quoted speech reports a phrase, it does not say it. */
export function quotedRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < text.length; i++) {
    const close = QUOTE_PAIRS[text[i]!];
    if (!close) continue;
    const end = text.indexOf(close, i + 1);
    if (end < 0) break;
    ranges.push([i + 1, end]);
    i = end;
  }
  return ranges;
}

/** True when nothing but punctuation, spaces and symbols surrounds [start, end). */
export function isWholeMessage(text: string, start: number, end: number): boolean {
  const rest = text.slice(0, start) + text.slice(end);
  return !/[\p{L}\p{N}]/u.test(rest);
}
