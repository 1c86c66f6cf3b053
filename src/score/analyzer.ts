/**
 * Compiles a catalog into one automaton over every phrase of every category (sentiment terms, negators,
 * rule phrases, exceptions, regex triggers) and analyses a text in one pass: sentiment plus every rule
 * hit. Pure: no I/O, so it serves the database scorer, `csqa signals` and `csqa eval` alike.
 */
import { buildAutomaton, type Automaton } from './automaton.js';
import type { Catalog, RuleSpec } from './catalog.js';
import { finishSentiment, sumTokens, NEGATION_REACH, type SentimentToken } from './sentiment.js';
import { firstHitsForRole } from './roleHits.js';
import { isWholeMessage, quotedRanges, respectsWordBoundary, wordDistance } from './textSpans.js';
import type { RuleHit, Sentiment, TextAnalysis } from './types.js';

interface PhraseInfo {
  sentiment?: Omit<SentimentToken, 'start' | 'end'>;
  /** Rules for which this phrase is a match. */
  rules: number[];
  /** Rules for which this phrase is an exception (人工智能 for the 人工 rule). */
  excepts: number[];
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
    const key = phrase.replace(/[A-Z]/g, (c) => c.toLowerCase());
    let i = index.get(key);
    if (i === undefined) {
      i = phrases.length;
      index.set(key, i);
      phrases.push(key);
      infos.push({ rules: [], excepts: [], triggers: [] });
    }
    return infos[i]!;
  };
  const addSentiment = (phrase: string, part: Omit<SentimentToken, 'start' | 'end'>) => {
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

  // Scratch state reused across calls: analysing millions of texts must not allocate closures per text.
  let current = '';
  const sentimentCandidates: SentimentToken[] = [];
  const ruleCandidates: number[] = []; // triples: rule, start, end
  const exceptions: number[] = []; // triples: rule, start, end
  const triggered = new Uint8Array(rules.length);
  const triggeredList: number[] = [];
  let negators: SentimentToken[] = [];
  let quotes: Array<[number, number]> = [];
  const firstPerRule = new Map<number, RuleHit>();

  const onMatch = (phrase: number, start: number, end: number): void => {
    if (!respectsWordBoundary(current, start, end)) return;
    const entry = infos[phrase]!;
    if (entry.sentiment) sentimentCandidates.push({ start, end, ...entry.sentiment });
    for (const rule of entry.rules) ruleCandidates.push(rule, start, end);
    for (const rule of entry.excepts) exceptions.push(rule, start, end);
    for (const rule of entry.triggers) {
      if (!triggered[rule]) {
        triggered[rule] = 1;
        triggeredList.push(rule);
      }
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
    if (spec.whole && !isWholeMessage(current, start, end)) return true;
    // Quoted speech reports a phrase instead of saying it (rules for quoted menu names opt out).
    if (!spec.matchInQuotes) for (const [qs, qe] of quotes) if (start >= qs && end <= qe) return true;
    if (spec.negatable !== false) {
      // A negator may overlap the phrase from the left (不需要|要人工 in 我不需要人工).
      for (const n of negators) {
        if (n.start < start && wordDistance(current, Math.min(n.end, start), start) <= NEGATION_REACH) return true;
      }
    }
    return false;
  };

  const record = (rule: number, start: number, end: number): void => {
    const existing = firstPerRule.get(rule);
    if (existing && existing.spanStart <= start) return;
    if (blocked(rule, start, end)) return;
    const spec = rules[rule]!.spec;
    firstPerRule.set(rule, {
      signal: spec.signal,
      ruleId: spec.id,
      roles: spec.roles,
      spanStart: start,
      spanEnd: end,
      matchedText: current.slice(start, end),
      confidence: spec.confidence,
      ...(spec.context ? { context: spec.context } : {}),
    });
  };

  const byPosition = (a: RuleHit, b: RuleHit) => a.spanStart - b.spanStart || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

  /** Sentiment added by the signals among `hits` (each signal once). */
  function signalBias(hits: readonly RuleHit[]): number {
    let bias = 0;
    const counted = new Set<string>();
    for (const h of hits) {
      if (counted.has(h.signal)) continue;
      counted.add(h.signal);
      bias += signalWeights[h.signal] ?? 0;
    }
    return bias;
  }

  function analyze(text: string): TextAnalysis {
    current = text;
    sentimentCandidates.length = 0;
    ruleCandidates.length = 0;
    exceptions.length = 0;
    firstPerRule.clear();
    for (const r of triggeredList) triggered[r] = 0;
    triggeredList.length = 0;
    for (const r of alwaysRun) {
      triggered[r] = 1;
      triggeredList.push(r);
    }
    automaton.scan(text, onMatch);

    const tokens = leftmostLongest(sentimentCandidates);
    negators = tokens.filter((t) => t.negator);
    quotes = hasQuote(text) ? quotedRanges(text) : [];

    for (let k = 0; k < ruleCandidates.length; k += 3) record(ruleCandidates[k]!, ruleCandidates[k + 1]!, ruleCandidates[k + 2]!);
    for (const r of triggeredList) {
      const { regex, exceptRegex } = rules[r]!;
      if (!regex) continue;
      regex.lastIndex = 0;
      for (const m of text.matchAll(regex)) {
        if (m[0].length === 0) continue;
        if (exceptRegex?.test(m[0])) continue;
        record(r, m.index, m.index + m[0].length);
      }
    }
    const hits = firstPerRule.size === 0 ? [] : [...firstPerRule.values()].sort(byPosition);
    const tokenSum = sumTokens(text, tokens);
    return { sentiment: finishSentiment(text, tokenSum, signalBias(hits)), tokenSum, hits };
  }

  return {
    catalogVersion: catalog.version,
    analyze,
    sentimentFor(text, analysis, role) {
      return finishSentiment(text, analysis.tokenSum, signalBias(firstHitsForRole(analysis.hits, role)));
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

/** Overlapping vocabulary resolves to the leftmost, then longest, entry. */
function leftmostLongest(candidates: SentimentToken[]): SentimentToken[] {
  if (candidates.length === 0) return [];
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const chosen: SentimentToken[] = [];
  let covered = 0;
  for (const c of candidates) {
    if (c.start < covered) continue;
    chosen.push(c);
    covered = c.end;
  }
  return chosen;
}
