import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { ConfigError } from '../../src/errors.js';
import { scoreDatabase } from '../../src/score/scoreDatabase.js';
import { sentimentScorerFor } from '../../src/score/scorers.js';
import { canonicalLabel, loadModelScorer } from '../../src/score/transformers.js';
import { insertMessages, scoreOptions } from './helpers.js';
import { writeTinyModel } from './tinyModel.js';

const root = mkdtempSync(join(tmpdir(), 'csqa-tiny-model-'));
const modelDir = writeTinyModel(join(root, 'tiny-sentiment'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh database holding one conversation of two customer messages, one negative and one positive. */
async function twoCustomerMessages() {
  const db = await openDatabase(':memory:');
  await insertMessages(db, [
    { conversation: 'c1', role: 'customer', text: 'awful delivery' },
    { conversation: 'c1', role: 'customer', text: 'thanks, love it' },
  ]);
  return db;
}

describe('model-backed sentiment (tiny ONNX model built at test time)', () => {
  it('loads the local directory and labels through the model config mapping', async () => {
    const scorer = await loadModelScorer(modelDir, { batchSize: 2 });
    const results = await scorer.scoreTexts(['great service, thanks', 'terrible, I hate it', 'hello there', '太差了', '谢谢，很好']);
    expect(results.map((r) => r.label)).toEqual(['positive', 'negative', 'neutral', 'negative', 'positive']);
    expect(results[0]!.score).toBeGreaterThan(0.5);
    expect(results[1]!.score).toBeLessThan(-0.5);
    expect(scorer.name).toBe('model:tiny-sentiment');
    // The KPI build finds these rows by name without loading the model.
    expect(sentimentScorerFor({ sentimentScorer: '', sentimentModel: `${modelDir}/` })).toBe(scorer.name);
    expect(sentimentScorerFor({ sentimentScorer: '', sentimentModel: '' })).toBe('lexicon');
    expect(sentimentScorerFor({ sentimentScorer: 'lexicon', sentimentModel: modelDir })).toBe('lexicon');
  });

  it('sends each distinct text through the model once, in batches', async () => {
    const scorer = await loadModelScorer(modelDir, { batchSize: 2 });
    const texts = ['good', 'bad', 'good', 'good', 'bad', 'ok then'];
    const results = await scorer.scoreTexts(texts);
    expect(results.map((r) => r.label)).toEqual(['positive', 'negative', 'positive', 'positive', 'negative', 'neutral']);
    expect(scorer.stats).toEqual({ inferred: 3, batches: 2 });
  });

  it('feeds csqa score end to end', async () => {
    const db = await twoCustomerMessages();
    try {
      const sentiment = await loadModelScorer(modelDir);
      await scoreDatabase(db, scoreOptions({ sentiment }));
      const rows = await db.all<{ text: string; label: string; scorer: string }>(
        `select m.text, s.label, s.scorer from scores.message_sentiment s join raw.messages m using (message_key) order by m.sent_at`,
      );
      expect(rows).toEqual([
        { text: 'awful delivery', label: 'negative', scorer: 'model:tiny-sentiment' },
        { text: 'thanks, love it', label: 'positive', scorer: 'model:tiny-sentiment' },
      ]);
    } finally {
      db.close();
    }
  });

  it('keeps the lexicon\'s sentiment beside the model\'s, so either can be read and they can be compared', async () => {
    const db = await twoCustomerMessages();
    try {
      await scoreDatabase(db, scoreOptions());
      const model = await loadModelScorer(modelDir);
      await scoreDatabase(db, scoreOptions({ sentiment: model }));
      const byScorer = () => db.all(
        `select scorer, count(*)::integer as n from scores.message_sentiment group by scorer order by scorer`,
      );
      expect(await byScorer()).toEqual([{ scorer: 'lexicon', n: 2 }, { scorer: 'model:tiny-sentiment', n: 2 }]);
      // Each scorer is up to date for these conversations: a run with either scores nothing.
      expect((await scoreDatabase(db, scoreOptions())).conversations).toBe(0);
      expect((await scoreDatabase(db, scoreOptions({ sentiment: model }))).conversations).toBe(0);
      // A grown conversation is scored again by the scorer that runs, which replaces only its own rows.
      await insertMessages(db, [{ conversation: 'c1', role: 'customer', text: 'human please' }], 10);
      await scoreDatabase(db, scoreOptions({ sentiment: model }));
      expect(await byScorer()).toEqual([{ scorer: 'lexicon', n: 2 }, { scorer: 'model:tiny-sentiment', n: 3 }]);
      expect(await db.all(`select signal from scores.message_signals where conversation_id = 'c1'`)).toEqual([{ signal: 'human_request' }]);
    } finally {
      db.close();
    }
  });

  it('refuses a directory that is not a model, and a model without sentiment labels', async () => {
    await expect(loadModelScorer(join(root, 'missing'))).rejects.toThrow(ConfigError);
    const odd = writeTinyModel(join(root, 'odd-labels'));
    writeFileSync(join(odd, 'config.json'), JSON.stringify({ model_type: 'bert', id2label: { 0: 'SPAM', 1: 'HAM', 2: 'EGGS' } }));
    await expect(loadModelScorer(odd)).rejects.toThrow(/id2label must name negative and positive/);
  });

  it('maps common label names', () => {
    expect(canonicalLabel('LABEL_NEGATIVE')).toBe('negative');
    expect(canonicalLabel('5 stars')).toBe('positive');
    expect(canonicalLabel('1 star')).toBe('negative');
    expect(canonicalLabel('neutral')).toBe('neutral');
    expect(canonicalLabel('LABEL_0')).toBeUndefined();
  });
});
