/**
 * The built-in sentiment scorer (the lexicon-and-rules analysis of src/score/analyzer.ts), and the names under
 * which scorers store their rows, which the KPI build must find without loading a model.
 */
import { basename, resolve } from 'node:path';
import type { TextAnalyzer } from './analyzer.js';
import type { SentimentScorer } from './types.js';

export const LEXICON_SCORER_NAME = 'lexicon';

/** The scorer name a local model directory's rows are stored under. */
export function modelScorerName(directory: string): string {
  return `model:${basename(resolve(directory))}`;
}

/**
 * The scorer whose sentiment the KPIs read: `score.sentimentScorer` when set, else the one `csqa score` uses under
 * the same configuration (the model's when `score.sentimentModel` is set, else the lexicon).
 */
export function sentimentScorerFor(score: { sentimentScorer: string; sentimentModel: string }): string {
  if (score.sentimentScorer !== '') return score.sentimentScorer;
  return score.sentimentModel !== '' ? modelScorerName(score.sentimentModel) : LEXICON_SCORER_NAME;
}
const LEXICON_CODE_VERSION = '1';

export interface LexiconScorer extends SentimentScorer {
  /** The database scorer reuses the analysis it already ran for signals instead of scoring twice. */
  readonly analyzer: TextAnalyzer;
}

export function lexiconScorer(analyzer: TextAnalyzer): LexiconScorer {
  return {
    name: LEXICON_SCORER_NAME,
    version: `${LEXICON_CODE_VERSION}+${analyzer.catalogVersion}`,
    analyzer,
    async scoreTexts(texts) {
      return texts.map((t) => analyzer.analyze(t).sentiment);
    },
  };
}

export function isLexiconScorer(scorer: SentimentScorer): scorer is LexiconScorer {
  return (scorer as LexiconScorer).analyzer !== undefined;
}
