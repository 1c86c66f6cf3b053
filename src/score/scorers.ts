/** The built-in sentiment scorer: the lexicon-and-rules analysis of src/score/analyzer.ts. */
import type { TextAnalyzer } from './analyzer.js';
import type { SentimentScorer } from './types.js';

export const LEXICON_SCORER_NAME = 'lexicon';
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
