/** Builds the scoring options from the resolved config: catalog (+ user files), analyzer, sentiment scorer. */
import type { Config } from '../config.js';
import { compileAnalyzer } from './analyzer.js';
import { loadCatalog } from './catalog.js';
import type { Normalizer } from './normalize.js';
import type { ScoreOptions } from './scoreDatabase.js';
import { lexiconScorer } from './scorers.js';

export async function scoreOptionsFromConfig(config: Config, normalize?: Normalizer): Promise<ScoreOptions> {
  const analyzer = compileAnalyzer(loadCatalog(config.score.catalogFiles));
  // The model path is imported lazily so the lexicon scorer never loads onnxruntime.
  const sentiment = config.score.sentimentModel
    ? await (await import('./transformers.js')).loadModelScorer(config.score.sentimentModel, {
        batchSize: config.score.modelBatchSize,
      })
    : lexiconScorer(analyzer);
  return {
    analyzer,
    sentiment,
    ...(normalize ? { normalize } : {}),
    apologyLoopMin: config.score.apologyLoopMin,
    cannedMinConversations: config.score.cannedMinConversations,
    cannedSimilarity: config.score.cannedSimilarity,
    batchMessages: config.score.batchMessages,
  };
}
