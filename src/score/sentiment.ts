/**
 * Lexicon-and-rules sentiment. Input: the sentiment tokens found in a text (leftmost-longest, so
 * "不错" wins over "不" and "不好意思" over "不好"); output: a score in [-1, 1] and a label.
 *
 * Why each rule: negation flips a term within a few words in the same clause (不满意 / not good), but a
 * negated negative is only mildly positive ("not bad"); intensifiers and diminishers scale the next term;
 * after a contrast word (但是/but) the second clause carries the meaning; sarcasm markers (呵呵,
 * "great, just great") turn praise into complaint; rhetorical questions (什么破…, 有没有人管) are
 * complaints phrased as questions; repeated !!!/??? and ALL-CAPS amplify what is there.
 *
 * Tokens and vocabulary are held in typed arrays, not objects: every distinct text of a night passes through
 * here, and per-token objects of varying shape made this the costliest part of the analysis.
 */
import type { Sentiment, SentimentLabel } from './types.js';
import { negationCancelled, wordDistance } from './textSpans.js';

/** What one vocabulary entry means for sentiment (an entry may be several: 好 is a term and an intensifier). */
export interface SentimentEntry {
  term?: number;
  negator?: boolean;
  multiplier?: number;
  contrast?: boolean;
  sarcasm?: boolean;
  rhetorical?: number;
}

const NEGATOR = 1;
const CONTRAST = 2;
const SARCASM = 4;
const TERM = 8;
const MULTIPLIER = 16;
const RHETORICAL = 32;

/** The sentiment vocabulary indexed by entry number (the analyzer's phrase index). */
export class SentimentVocabulary {
  readonly flags: Uint8Array;
  readonly term: Float64Array;
  readonly multiplier: Float64Array;
  readonly rhetorical: Float64Array;

  constructor(entries: ReadonlyArray<SentimentEntry | undefined>) {
    const n = entries.length;
    this.flags = new Uint8Array(n);
    this.term = new Float64Array(n);
    this.multiplier = new Float64Array(n);
    this.rhetorical = new Float64Array(n);
    entries.forEach((e, i) => {
      if (!e) return;
      let f = 0;
      if (e.negator) f |= NEGATOR;
      if (e.contrast) f |= CONTRAST;
      if (e.sarcasm) f |= SARCASM;
      if (e.term !== undefined) {
        f |= TERM;
        this.term[i] = e.term;
      }
      if (e.multiplier !== undefined) {
        f |= MULTIPLIER;
        this.multiplier[i] = e.multiplier;
      }
      if (e.rhetorical !== undefined) {
        f |= RHETORICAL;
        this.rhetorical[i] = e.rhetorical;
      }
      this.flags[i] = f;
    });
  }

  has(entry: number): boolean {
    return this.flags[entry] !== 0;
  }

  isNegator(entry: number): boolean {
    return (this.flags[entry]! & NEGATOR) !== 0;
  }
}

/** The tokens of one text in text order: start, end and vocabulary entry each, reused across texts. */
export class TokenList {
  start = new Int32Array(32);
  end = new Int32Array(32);
  entry = new Int32Array(32);
  length = 0;

  push(start: number, end: number, entry: number): void {
    if (this.length === this.start.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.entry = grow(this.entry);
    }
    this.start[this.length] = start;
    this.end[this.length] = end;
    this.entry[this.length] = entry;
    this.length++;
  }
}

export const NEGATION_REACH = 3;
const MULTIPLIER_REACH = 2;
const NEGATED_POSITIVE = -0.8;
const NEGATED_NEGATIVE = -0.4;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.3;
const SARCASM_WEIGHT = -1.6;
/** score = s / sqrt(s^2 + ALPHA): bounded in (-1, 1), roughly linear for small sums. */
const ALPHA = 4;
export const LABEL_THRESHOLD = 0.2;

export function labelFor(score: number): SentimentLabel {
  if (score >= LABEL_THRESHOLD) return 'positive';
  if (score <= -LABEL_THRESHOLD) return 'negative';
  return 'neutral';
}

const SHOUTED_WORD = /\b[A-Z]{3,}\b/g;

/** Sum of the token values: the part of the sentiment that does not depend on who speaks. */
export function sumTokens(text: string, tokens: TokenList, vocabulary: SentimentVocabulary): number {
  const { flags, term: terms, multiplier: multipliers, rhetorical } = vocabulary;
  const n = tokens.length;
  let sarcastic = false;
  let lastContrast = -1;
  for (let k = 0; k < n; k++) {
    const f = flags[tokens.entry[k]!]!;
    if (f & SARCASM) sarcastic = true;
    if (f & CONTRAST) lastContrast = tokens.start[k]!;
  }

  let total = 0;
  let negations = 0;
  let negationStart = -1;
  let negationEnd = -1;
  let multiplier = 1;
  let multiplierEnd = -1;
  for (let k = 0; k < n; k++) {
    const entry = tokens.entry[k]!;
    const f = flags[entry]!;
    const start = tokens.start[k]!;
    if (f & NEGATOR) {
      const chained = negationEnd >= 0 && wordDistance(text, negationEnd, start) <= NEGATION_REACH;
      negations = chained ? negations + 1 : 1;
      negationStart = start;
      negationEnd = tokens.end[k]!;
      continue;
    }
    // A word that is both intensifier and term (好 in 好开心 vs 好): intensifier when a term follows closely.
    if (f & MULTIPLIER && (!(f & TERM) || followedByTerm(text, tokens, k, flags))) {
      const chained = multiplierEnd >= 0 && wordDistance(text, multiplierEnd, start) <= MULTIPLIER_REACH;
      multiplier = (chained ? multiplier : 1) * multipliers[entry]!;
      multiplierEnd = tokens.end[k]!;
      continue;
    }
    let value = f & RHETORICAL ? rhetorical[entry]! : 0;
    if (f & SARCASM) value += SARCASM_WEIGHT;
    if (f & TERM) {
      let term = terms[entry]!;
      if (multiplierEnd >= 0 && wordDistance(text, multiplierEnd, start) <= MULTIPLIER_REACH) term *= multiplier;
      if (negationEnd >= 0 && negations % 2 === 1 && wordDistance(text, negationEnd, start) <= NEGATION_REACH
        && !negationCancelled(text, negationStart, negationEnd, start, tokens.end[k]!, false)) {
        term *= term > 0 ? NEGATED_POSITIVE : NEGATED_NEGATIVE;
      }
      if (sarcastic && term > 0) term = -term * 0.7;
      value += term;
    }
    if (lastContrast >= 0) value *= start < lastContrast ? BEFORE_CONTRAST : AFTER_CONTRAST;
    total += value;
    multiplierEnd = -1;
    negationEnd = -1;
  }
  return total;
}

function followedByTerm(text: string, tokens: TokenList, k: number, flags: Uint8Array): boolean {
  return k + 1 < tokens.length && (flags[tokens.entry[k + 1]!]! & TERM) !== 0
    && wordDistance(text, tokens.end[k]!, tokens.start[k + 1]!) <= MULTIPLIER_REACH - 1;
}

/**
 * The final score from a token sum plus `bias` (the catalog's weights of the signals that fired for the
 * speaker's role): punctuation and shouting amplify, then the sum is squashed into [-1, 1].
 */
export function finishSentiment(text: string, tokenSum: number, bias = 0): Sentiment {
  let total = tokenSum + bias;
  // One pass: the longest runs of ! and ? marks (either width) and the count of ASCII capitals.
  let bang = 0;
  let ask = 0;
  let longestBang = 0;
  let longestAsk = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x21 || c === 0xff01) {
      if (++bang > longestBang) longestBang = bang;
    } else bang = 0;
    if (c === 0x3f || c === 0xff1f) {
      if (++ask > longestAsk) longestAsk = ask;
    } else ask = 0;
    if (c >= 65 && c <= 90) upper++;
  }
  const exclaimed = longestBang >= 2;
  const questioned = longestAsk >= 2;
  if (exclaimed) total *= 1.25;
  if (questioned && total < 0) total *= 1.25;
  // Two shouted words need at least six capitals; the regex runs only then.
  if (upper >= 6 && total < 0 && (text.match(SHOUTED_WORD)?.length ?? 0) >= 2) total *= 1.3;
  // Shouting with no words we know ("人工！！！", "HELLO???") still reads as negative.
  if (total === 0 && (longestBang >= 3 || longestAsk >= 3)) total = -0.8;

  const score = total / Math.sqrt(total * total + ALPHA);
  return { score, label: labelFor(score) };
}
