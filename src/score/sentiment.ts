/**
 * Lexicon-and-rules sentiment. Input: the sentiment tokens found in a text (leftmost-longest, so
 * "不错" wins over "不" and "不好意思" over "不好"); output: a score in [-1, 1] and a label.
 *
 * Why each rule: negation flips a term within a few words in the same clause (不满意 / not good), but a
 * negated negative is only mildly positive ("not bad"); intensifiers and diminishers scale the next term;
 * after a contrast word (但是/but) the second clause carries the meaning; sarcasm markers (呵呵,
 * "great, just great") turn praise into complaint; rhetorical questions (什么破…, 有没有人管) are
 * complaints phrased as questions; repeated !!!/??? and ALL-CAPS amplify what is there.
 */
import type { Sentiment, SentimentLabel } from './types.js';
import { wordDistance } from './textSpans.js';

export interface SentimentToken {
  start: number;
  end: number;
  term?: number;
  negator?: boolean;
  multiplier?: number;
  contrast?: boolean;
  sarcasm?: boolean;
  rhetorical?: number;
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

/** Runs of at least `minRun` repeated ! (or ？/?) marks; one pass over char codes. */
function punctuationRuns(text: string, minRun: number): { exclaimed: boolean; questioned: boolean } {
  let bang = 0;
  let ask = 0;
  let exclaimed = false;
  let questioned = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x21 || c === 0xff01) {
      if (++bang >= minRun) exclaimed = true;
    } else bang = 0;
    if (c === 0x3f || c === 0xff1f) {
      if (++ask >= minRun) questioned = true;
    } else ask = 0;
  }
  return { exclaimed, questioned };
}

const SHOUTED_WORD = /\b[A-Z]{3,}\b/g;

function shoutedWords(text: string): number {
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
  }
  return upper < 6 ? 0 : (text.match(SHOUTED_WORD)?.length ?? 0);
}

/** Sum of the token values: the part of the sentiment that does not depend on who speaks. */
export function sumTokens(text: string, tokens: readonly SentimentToken[]): number {
  const sarcastic = tokens.some((t) => t.sarcasm);
  let lastContrast = -1;
  for (const t of tokens) if (t.contrast) lastContrast = t.start;

  let total = 0;
  let negations = 0;
  let negationEnd = -1;
  let multiplier = 1;
  let multiplierEnd = -1;
  tokens.forEach((token, index) => {
    // A word that is both intensifier and term (好 in 好开心 vs 好): intensifier when a term follows closely.
    const next = tokens[index + 1];
    const followedByTerm =
      next?.term !== undefined && wordDistance(text, token.end, next.start) <= MULTIPLIER_REACH - 1;
    if (token.negator) {
      const chained = negationEnd >= 0 && wordDistance(text, negationEnd, token.start) <= NEGATION_REACH;
      negations = chained ? negations + 1 : 1;
      negationEnd = token.end;
      return;
    }
    if (token.multiplier !== undefined && (token.term === undefined || followedByTerm)) {
      const chained = multiplierEnd >= 0 && wordDistance(text, multiplierEnd, token.start) <= MULTIPLIER_REACH;
      multiplier = (chained ? multiplier : 1) * token.multiplier;
      multiplierEnd = token.end;
      return;
    }
    let value = token.rhetorical ?? 0;
    if (token.sarcasm) value += SARCASM_WEIGHT;
    if (token.term !== undefined) {
      let term = token.term;
      if (multiplierEnd >= 0 && wordDistance(text, multiplierEnd, token.start) <= MULTIPLIER_REACH) term *= multiplier;
      if (negationEnd >= 0 && negations % 2 === 1 && wordDistance(text, negationEnd, token.start) <= NEGATION_REACH) {
        term *= term > 0 ? NEGATED_POSITIVE : NEGATED_NEGATIVE;
      }
      if (sarcastic && term > 0) term = -term * 0.7;
      value += term;
    }
    if (lastContrast >= 0) value *= token.start < lastContrast ? BEFORE_CONTRAST : AFTER_CONTRAST;
    total += value;
    multiplierEnd = -1;
    negationEnd = -1;
  });
  return total;
}

/**
 * The final score from a token sum plus `bias` (the catalog's weights of the signals that fired for the
 * speaker's role): punctuation and shouting amplify, then the sum is squashed into [-1, 1].
 */
export function finishSentiment(text: string, tokenSum: number, bias = 0): Sentiment {
  let total = tokenSum + bias;
  const { exclaimed, questioned } = punctuationRuns(text, 2);
  if (exclaimed) total *= 1.25;
  if (questioned && total < 0) total *= 1.25;
  if (shoutedWords(text) >= 2 && total < 0) total *= 1.3;
  // Shouting with no words we know ("人工！！！", "HELLO???") still reads as negative.
  if (total === 0 && (exclaimed || questioned)) {
    const three = punctuationRuns(text, 3);
    if (three.exclaimed || three.questioned) total = -0.8;
  }

  const score = total / Math.sqrt(total * total + ALPHA);
  return { score, label: labelFor(score) };
}
