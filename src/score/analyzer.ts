/**
 * Compiles a catalog into one automaton over every phrase of every category (sentiment terms, negators,
 * rule phrases, exceptions, regex triggers) and analyses a text in one pass: sentiment plus every rule
 * hit. Pure: no I/O, so it serves the database scorer, `csqa signals` and `csqa eval` alike.
 */
import { buildAutomaton, type Automaton } from './automaton.js';
import type { Catalog, RuleSpec } from './catalog.js';
import { finishSentiment, sumTokens, NEGATION_REACH, SentimentVocabulary, TokenList, type SentimentEntry } from './sentiment.js';
import { speaksAs } from './roleHits.js';
import { foldFullWidth } from './normalize.js';
import { isWholeMessage, negationCancelled, quotedRanges, respectsWordBoundary, sameSentence, wordDistance } from './textSpans.js';
import type { RuleHit, Sentiment, TextAnalysis } from './types.js';

interface PhraseInfo {
  sentiment?: SentimentEntry;
  /** Rules for which this phrase is a match. */
  rules: number[];
  /** Rules for which this phrase is an exception (人工智能 for the 人工 rule). */
  excepts: number[];
  /** Rules whose matches this phrase undoes when it follows them in the same sentence (搞定了 … 吗). */
  afters: number[];
  /** Pattern rules this phrase triggers. */
  triggers: number[];
}

interface CompiledRule {
  spec: RuleSpec;
  regex?: RegExp;
  exceptRegex?: RegExp;
  alwaysRun: boolean;
}

export interface TextAnalyzer {
  readonly catalogVersion: string;
  /** Sentiment and hits; `sentiment` counts every signal, as for a speaker of unknown role. */
  analyze(text: string): TextAnalysis;
  /**
   * Sentiment as spoken by `role`: only the signals of rules scoped to that role shift it, so a bot
   * saying 人工坐席忙碌 is not scored like a customer demanding 人工.
   */
  sentimentFor(text: string, analysis: TextAnalysis, role: string): Sentiment;
}

export function compileAnalyzer(catalog: Catalog): TextAnalyzer {
  const index = new Map<string, number>();
  const infos: PhraseInfo[] = [];
  const phrases: string[] = [];
  const info = (phrase: string): PhraseInfo => {
    const key = foldFullWidth(phrase).replace(/[A-Z]/g, (c) => c.toLowerCase());
    let i = index.get(key);
    if (i === undefined) {
      i = phrases.length;
      index.set(key, i);
      phrases.push(key);
      infos.push({ rules: [], excepts: [], afters: [], triggers: [] });
    }
    return infos[i]!;
  };
  const addSentiment = (phrase: string, part: SentimentEntry) => {
    const entry = info(phrase);
    entry.sentiment = { ...entry.sentiment, ...part };
  };

  const s = catalog.sentiment;
  const signalWeights = s.signalWeights;
  for (const [w, weight] of Object.entries(s.terms)) addSentiment(w, { term: weight });
  for (const w of s.negators) addSentiment(w, { negator: true });
  for (const [w, f] of Object.entries(s.intensifiers)) addSentiment(w, { multiplier: f });
  for (const [w, f] of Object.entries(s.diminishers)) addSentiment(w, { multiplier: f });
  for (const w of s.contrast) addSentiment(w, { contrast: true });
  for (const w of s.sarcasm) addSentiment(w, { sarcasm: true });
  for (const [w, weight] of Object.entries(s.rhetorical)) addSentiment(w, { rhetorical: weight });

  const rules: CompiledRule[] = catalog.rules.map((spec, r) => {
    for (const p of spec.phrases ?? []) info(p).rules.push(r);
    for (const p of spec.except ?? []) info(p).excepts.push(r);
    for (const p of spec.exceptAfter ?? []) info(p).afters.push(r);
    for (const p of spec.requires ?? []) info(p).triggers.push(r);
    const flags = spec.caseSensitive ? 'gu' : 'giu';
    return {
      spec,
      regex: spec.pattern !== undefined ? new RegExp(spec.pattern, flags) : undefined,
      exceptRegex: spec.exceptPattern !== undefined ? new RegExp(spec.exceptPattern, 'u') : undefined,
      alwaysRun: spec.pattern !== undefined && !(spec.requires?.length),
    };
  });
  const alwaysRun = rules.flatMap((r, i) => (r.alwaysRun ? [i] : []));
  const automaton: Automaton = buildAutomaton(phrases);

  const vocabulary = new SentimentVocabulary(infos.map((i) => i.sentiment));
  // Per phrase, null when it plays no part in rules: most matches are sentiment words only.
  const ruleLists = infos.map((i) => (i.rules.length ? Int32Array.from(i.rules) : null));
  const exceptLists = infos.map((i) => (i.excepts.length ? Int32Array.from(i.excepts) : null));
  const afterLists = infos.map((i) => (i.afters.length ? Int32Array.from(i.afters) : null));
  const triggerLists = infos.map((i) => (i.triggers.length ? Int32Array.from(i.triggers) : null));

  // Scratch state reused across calls: analysing millions of texts must not allocate per match.
  let current = ''; // the text with full-width letters and digits folded (same offsets as the original)
  let original = '';
  const candidates = new TokenList(); // sentiment vocabulary found, in scan order
  const tokens = new TokenList(); // the leftmost-longest of them, in text order
  let order = new Int32Array(32);
  const ruleCandidates: number[] = []; // triples: rule, start, end
  const exceptions: number[] = []; // triples: rule, start, end
  const afters: number[] = []; // pairs: rule, start
  const triggered = new Uint8Array(rules.length);
  const triggeredList: number[] = [];
  let quotes: Array<[number, number]> = [];
  // The earliest unblocked match per rule: recorded[rule] says whether firstStart/firstEnd hold one.
  const recorded = new Uint8Array(rules.length);
  const recordedList: number[] = [];
  const firstStart = new Int32Array(rules.length);
  const firstEnd = new Int32Array(rules.length);

  const onMatch = (phrase: number, start: number, end: number): void => {
    if (!respectsWordBoundary(current, start, end)) return;
    if (vocabulary.has(phrase)) candidates.push(start, end, phrase);
    const ruleList = ruleLists[phrase];
    if (ruleList) for (let k = 0; k < ruleList.length; k++) ruleCandidates.push(ruleList[k]!, start, end);
    const exceptList = exceptLists[phrase];
    if (exceptList) for (let k = 0; k < exceptList.length; k++) exceptions.push(exceptList[k]!, start, end);
    const afterList = afterLists[phrase];
    if (afterList) for (let k = 0; k < afterList.length; k++) afters.push(afterList[k]!, start);
    const triggerList = triggerLists[phrase];
    if (triggerList) {
      for (let k = 0; k < triggerList.length; k++) {
        const rule = triggerList[k]!;
        if (!triggered[rule]) {
          triggered[rule] = 1;
          triggeredList.push(rule);
        }
      }
    }
  };

  /** Overlapping vocabulary resolves to the leftmost, then longest, entry. */
  const chooseTokens = (): void => {
    tokens.length = 0;
    const n = candidates.length;
    if (n === 0) return;
    if (order.length < n) order = new Int32Array(n * 2);
    const { start, end } = candidates;
    // Insertion sort by start, then longest first: a text has a handful of candidates, already nearly in order.
    for (let i = 0; i < n; i++) {
      let j = i;
      while (j > 0) {
        const prev = order[j - 1]!;
        if (start[prev]! < start[i]! || (start[prev] === start[i] && end[prev]! >= end[i]!)) break;
        order[j] = prev;
        j--;
      }
      order[j] = i;
    }
    let covered = 0;
    for (let k = 0; k < n; k++) {
      const c = order[k]!;
      if (start[c]! < covered) continue;
      tokens.push(start[c]!, end[c]!, candidates.entry[c]!);
      covered = end[c]!;
    }
  };

  const blocked = (rule: number, start: number, end: number): boolean => {
    const spec = rules[rule]!.spec;
    for (let k = 0; k < exceptions.length; k += 3) {
      if (exceptions[k] !== rule) continue;
      const es = exceptions[k + 1]!;
      const ee = exceptions[k + 2]!;
      // An exception phrase covering the match, or overlapping it and longer (人工智能 over 人工).
      if ((es <= start && ee >= end) || (es < end && ee > start && ee - es > end - start)) return true;
    }
    // A phrase after the match in the same sentence that undoes it (搞定了吗, 已经收到了，但是是坏的).
    for (let k = 0; k < afters.length; k += 2) {
      if (afters[k] === rule && afters[k + 1]! >= end && sameSentence(current, end, afters[k + 1]!)) return true;
    }
    if (spec.whole && !isWholeMessage(current, start, end)) return true;
    // Quoted speech reports a phrase instead of saying it (rules for quoted menu names opt out).
    if (!spec.matchInQuotes) for (const [qs, qe] of quotes) if (start >= qs && end <= qe) return true;
    if (spec.negatable !== false) {
      // A negator may overlap the phrase from the left (不需要|要人工 in 我不需要人工).
      for (let k = 0; k < tokens.length; k++) {
        const ns = tokens.start[k]!;
        if (ns >= start) break;
        if (!vocabulary.isNegator(tokens.entry[k]!)) continue;
        if (wordDistance(current, Math.min(tokens.end[k]!, start), start) > NEGATION_REACH) continue;
        // Not when the clause asks for it (为什么不给我转人工, 没有人工吗) or the negator is a condition's (不退款就投诉).
        if (!negationCancelled(current, ns, tokens.end[k]!, start, end)) return true;
      }
    }
    return false;
  };

  const record = (rule: number, start: number, end: number): void => {
    if (recorded[rule] && firstStart[rule]! <= start) return;
    if (blocked(rule, start, end)) return;
    if (!recorded[rule]) {
      recorded[rule] = 1;
      recordedList.push(rule);
    }
    firstStart[rule] = start;
    firstEnd[rule] = end;
  };

  const hitOf = (rule: number): RuleHit => {
    const spec = rules[rule]!.spec;
    const start = firstStart[rule]!;
    const end = firstEnd[rule]!;
    const hit: RuleHit = {
      signal: spec.signal,
      ruleId: spec.id,
      roles: spec.roles,
      spanStart: start,
      spanEnd: end,
      matchedText: original.slice(start, end),
      confidence: spec.confidence,
    };
    if (spec.context) hit.context = spec.context;
    return hit;
  };

  const byPosition = (a: RuleHit, b: RuleHit) => a.spanStart - b.spanStart || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

  /** Sentiment added by the signals among `hits` spoken by `role` (each signal once; any role when undefined). */
  function signalBias(hits: readonly RuleHit[], role?: string): number {
    let bias = 0;
    for (let i = 0; i < hits.length; i++) {
      const h = hits[i]!;
      if (role !== undefined && !speaksAs(h, role)) continue;
      let counted = false;
      for (let j = 0; j < i && !counted; j++) counted = hits[j]!.signal === h.signal && (role === undefined || speaksAs(hits[j]!, role));
      if (!counted) bias += signalWeights[h.signal] ?? 0;
    }
    return bias;
  }

  function analyze(text: string): TextAnalysis {
    original = text;
    current = foldFullWidth(text);
    candidates.length = 0;
    ruleCandidates.length = 0;
    exceptions.length = 0;
    afters.length = 0;
    for (const r of recordedList) recorded[r] = 0;
    recordedList.length = 0;
    for (const r of triggeredList) triggered[r] = 0;
    triggeredList.length = 0;
    for (const r of alwaysRun) {
      triggered[r] = 1;
      triggeredList.push(r);
    }
    automaton.scan(current, onMatch);

    chooseTokens();
    quotes = hasQuote(current) ? quotedRanges(current) : [];

    for (let k = 0; k < ruleCandidates.length; k += 3) record(ruleCandidates[k]!, ruleCandidates[k + 1]!, ruleCandidates[k + 2]!);
    for (const r of triggeredList) {
      const { regex, exceptRegex } = rules[r]!;
      if (!regex) continue;
      // Most texts do not match: one test() spares matchAll's copy of the expression.
      regex.lastIndex = 0;
      const matches = regex.test(current);
      regex.lastIndex = 0;
      if (!matches) continue;
      for (const m of current.matchAll(regex)) {
        if (m[0].length === 0) continue;
        if (exceptRegex?.test(m[0])) continue;
        record(r, m.index, m.index + m[0].length);
      }
    }
    const hits = recordedList.length === 0 ? [] : recordedList.map(hitOf).sort(byPosition);
    const tokenSum = sumTokens(current, tokens, vocabulary);
    return { sentiment: finishSentiment(current, tokenSum, signalBias(hits)), tokenSum, hits };
  }

  return {
    catalogVersion: catalog.version,
    analyze,
    sentimentFor(text, analysis, role) {
      return finishSentiment(foldFullWidth(text), analysis.tokenSum, signalBias(analysis.hits, role));
    },
  };
}

function hasQuote(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // " “ 「 『 《
    if (c === 0x22 || c === 0x201c || c === 0x300c || c === 0x300e || c === 0x300a) return true;
  }
  return false;
}
