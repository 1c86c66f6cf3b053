/**
 * Compiles a catalog into one automaton over every phrase of every category (sentiment terms, negators,
 * rule phrases, exceptions, regex triggers) and analyses a text in one pass: sentiment plus every rule
 * hit. Pure: no I/O, so it serves the database scorer, `csqa signals` and `csqa eval` alike.
 */
import { buildAutomaton, type Automaton } from './automaton.js';
import type { Catalog, RuleSpec } from './catalog.js';
import { scoreTokens, NEGATION_REACH, type SentimentToken } from './sentiment.js';
import { isWholeMessage, quotedRanges, respectsWordBoundary, wordDistance } from './textSpans.js';
import type { RuleHit, TextAnalysis } from './types.js';

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
  analyze(text: string): TextAnalysis;
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

  function analyze(text: string): TextAnalysis {
    const sentimentCandidates: SentimentToken[] = [];
    const ruleCandidates: Array<{ rule: number; start: number; end: number }> = [];
    const exceptions: Array<{ rule: number; start: number; end: number }> = [];
    const triggered = new Set<number>(alwaysRun);
    automaton.scan(text, (phrase, start, end) => {
      if (!respectsWordBoundary(text, start, end)) return;
      const entry = infos[phrase]!;
      if (entry.sentiment) sentimentCandidates.push({ start, end, ...entry.sentiment });
      for (const rule of entry.rules) ruleCandidates.push({ rule, start, end });
      for (const rule of entry.excepts) exceptions.push({ rule, start, end });
      for (const rule of entry.triggers) triggered.add(rule);
    });

    const tokens = leftmostLongest(sentimentCandidates);
    const negators = tokens.filter((t) => t.negator);
    const quotes = text.includes('"') || /[“「『《]/.test(text) ? quotedRanges(text) : [];

    const blocked = (rule: number, start: number, end: number): boolean => {
      const spec = rules[rule]!.spec;
      if (exceptions.some((e) => e.rule === rule && e.start <= start && e.end >= end)) return true;
      if (exceptions.some((e) => e.rule === rule && e.start < end && e.end > start && e.end - e.start > end - start)) {
        return true;
      }
      if (spec.whole && !isWholeMessage(text, start, end)) return true;
      if (quotes.some(([qs, qe]) => start >= qs && end <= qe)) return true;
      if (spec.negatable !== false) {
        // A negator may overlap the phrase from the left (不需要|要人工 in 我不需要人工).
        for (const n of negators) {
          if (n.start < start && wordDistance(text, Math.min(n.end, start), start) <= NEGATION_REACH) return true;
        }
      }
      return false;
    };

    const firstPerRule = new Map<number, RuleHit>();
    const record = (rule: number, start: number, end: number) => {
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
        matchedText: text.slice(start, end),
        confidence: spec.confidence,
        ...(spec.context ? { context: spec.context } : {}),
      });
    };
    for (const c of ruleCandidates) record(c.rule, c.start, c.end);
    for (const r of triggered) {
      const { regex, exceptRegex } = rules[r]!;
      if (!regex) continue;
      regex.lastIndex = 0;
      for (const m of text.matchAll(regex)) {
        if (m[0].length === 0) continue;
        if (exceptRegex?.test(m[0])) continue;
        record(r, m.index, m.index + m[0].length);
      }
    }
    const hits = [...firstPerRule.values()].sort((a, b) => a.spanStart - b.spanStart || a.ruleId.localeCompare(b.ruleId));
    return { sentiment: scoreTokens(text, tokens), hits };
  }

  return { catalogVersion: catalog.version, analyze };
}

/** Overlapping vocabulary resolves to the leftmost, then longest, entry. */
function leftmostLongest(candidates: SentimentToken[]): SentimentToken[] {
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
