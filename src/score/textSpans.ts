/** Small facts about positions in a text that both sentiment and rule filtering need. */

/** Character classes for wordDistance, one table lookup per character (it runs for every negator and term pair). */
const CLAUSE_BREAK = 1;
const WORD_CHAR = 2;
const CJK_CHAR = 4;
const SPACE = 8;
const CHAR_CLASS = (() => {
  const table = new Uint8Array(65536);
  for (const ch of '，。！？；,.!?;\n～~') table[ch.charCodeAt(0)] = CLAUSE_BREAK;
  for (const ch of ' \t\u3000') table[ch.charCodeAt(0)] = SPACE;
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
 * Sentence-final particles: followed by a space they end a clause in chat, where people leave out the comma
 * (亲别生气哈 给您申请一张券: the 别 does not reach the offer). A space alone is no clause break.
 */
const PARTICLES = new Set([...'哈啊呀哦噢喔吧呢啦嘛哟呐嗷嘞咯'].map((c) => c.charCodeAt(0)));

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
    if (kind === SPACE && i > 0 && PARTICLES.has(text.charCodeAt(i - 1))) return Number.POSITIVE_INFINITY;
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

/** Start of the clause holding `at` (just after the previous clause break, or 0). */
function clauseStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && CHAR_CLASS[text.charCodeAt(i - 1)] !== CLAUSE_BREAK) i--;
  return i;
}

/** End of the clause holding `at`: the offset of the next clause break, or the text's length. */
function clauseEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && CHAR_CLASS[text.charCodeAt(i)] !== CLAUSE_BREAK) i++;
  return i;
}

// Asking why something is NOT done asks for it (为什么不给我转人工, "why can't I talk to a human").
const WHY_BEFORE = /为什么|为啥|怎么|咋|凭什么|干嘛|干吗|难道|\bwhy\b|\bhow come\b/i;
// A negated condition with a consequence: the negator belongs to the condition (不退款就投诉), and a request
// in the condition is still a request (不转人工我就投诉, "if you don't get me a human I'll ...").
const CONDITION_LINK = /就(?!能|可以|行|好|算|不用|这样)|否则|不然/;
const IF_BEFORE = /\bif\b|\bunless\b/i;
// Clause tails that make it a yes/no or rhetorical question (没有人工吗, 我不是说了吗, 不是骗子是什么).
const QUESTION_TAIL = /吗|是什么|不成/;
const HEDGE_TAIL = /吧/;

/**
 * Whether a negator at [negStart, negEnd) before a phrase or term at [start, end) in the same clause does NOT
 * negate it: the negator is the middle of an A-not-A question (信不信, 是不是, 有没有, 要不要); the clause
 * asks why not (为什么不, 怎么不, "why can't"); the clause is a question (ends in ? or holds 吗 / 是什么 after
 * the phrase: 没有人工吗？, 我不是说了三遍了吗); or the negator sits in a condition (不…就…, "if … not").
 * Plain negations stay negations: 我不需要人工, "I don't need a human", 我没有投诉. Sentiment passes
 * `ifClause` false: "if this isn't fixed" still says it is not fixed, while "if you don't get me a human"
 * still asks for one.
 * Called only for a negator within reach of a match, so the slices here cost nothing on most texts.
 */
export function negationCancelled(text: string, negStart: number, negEnd: number, start: number, end: number, ifClause = true): boolean {
  const first = text.charCodeAt(negStart);
  // 不 / 没 between two equal characters: 信不信, 是不是, 有没有(人工), 要不要(人工).
  if ((first === 0x4e0d || first === 0x6ca1) && negStart > 0 && negStart + 1 < text.length
    && CHAR_CLASS[text.charCodeAt(negStart - 1)] === CJK_CHAR && text.charCodeAt(negStart - 1) === text.charCodeAt(negStart + 1)) return true;
  const from = clauseStart(text, negStart);
  const before = text.slice(from, negStart);
  if (WHY_BEFORE.test(before) || (ifClause && IF_BEFORE.test(before))) return true;
  if (CONDITION_LINK.test(text.slice(negEnd, start))) return true;
  const to = clauseEnd(text, end);
  const tail = text.slice(end, to);
  if (CONDITION_LINK.test(tail) && !/[不没]/.test(tail)) return true;
  if (HEDGE_TAIL.test(tail)) return false;
  const mark = text.charCodeAt(to);
  return QUESTION_TAIL.test(tail) || mark === 0x3f || mark === 0xff1f;
}

const SENTENCE_BREAK = new Set([...'。！!？?；;\n'].map((c) => c.charCodeAt(0)));

/** True when no sentence ends in [from, to) (。！？ and their ASCII forms, ；, a line break). */
export function sameSentence(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (SENTENCE_BREAK.has(text.charCodeAt(i))) return false;
  return true;
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
