/**
 * Model-backed sentiment through @huggingface/transformers, for users who have a local model directory
 * (config.json, tokenizer files, onnx/model.onnx). The only module that imports transformers. Remote
 * loading is switched off: nothing is ever downloaded. Identical texts are scored once (canned replies
 * repeat a lot) and the rest goes through the model in batches.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { AutoModelForSequenceClassification, AutoTokenizer, env, type Tensor } from '@huggingface/transformers';
import { ConfigError } from '../errors.js';
import { modelScorerName } from './scorers.js';
import { labelFor } from './sentiment.js';
import type { Sentiment, SentimentLabel, SentimentScorer } from './types.js';

/** Maps a model's own label names (config.json id2label) onto negative/neutral/positive. */
export function canonicalLabel(name: string): SentimentLabel | undefined {
  const n = name.toLowerCase();
  if (/neg|bad|负|差/.test(n)) return 'negative';
  if (/pos|good|正|好/.test(n)) return 'positive';
  if (/neu|中/.test(n)) return 'neutral';
  const stars = /^([1-5])\s*stars?$/.exec(n);
  if (stars) return Number(stars[1]) <= 2 ? 'negative' : Number(stars[1]) === 3 ? 'neutral' : 'positive';
  return undefined;
}

function softmax(row: readonly number[]): number[] {
  const max = Math.max(...row);
  const exps = row.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export interface ModelScorerOptions {
  batchSize?: number;
}

export interface ModelScorer extends SentimentScorer {
  /** Texts actually sent through the model and the number of batches (after de-duplication). */
  readonly stats: { inferred: number; batches: number };
}

export async function loadModelScorer(directory: string, options: ModelScorerOptions = {}): Promise<ModelScorer> {
  const dir = resolve(directory);
  for (const required of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) {
    if (!existsSync(resolve(dir, required))) {
      throw new ConfigError(`sentiment model ${dir}: missing ${required} (expected a local model directory)`);
    }
  }
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(dir) + '/';
  const id = basename(dir);
  const tokenizer = await AutoTokenizer.from_pretrained(id, { local_files_only: true });
  const model = await AutoModelForSequenceClassification.from_pretrained(id, {
    local_files_only: true,
    dtype: 'fp32',
    device: 'cpu',
  });
  const id2label = (model.config as unknown as { id2label?: Record<string, string> }).id2label ?? {};
  const labels = Object.entries(id2label)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, name]) => canonicalLabel(name));
  if (labels.length < 2 || !labels.includes('negative') || !labels.includes('positive')) {
    throw new ConfigError(
      `sentiment model ${dir}: config.json id2label must name negative and positive classes (got ${JSON.stringify(id2label)})`,
    );
  }
  const batchSize = options.batchSize ?? 32;

  const stats = { inferred: 0, batches: 0 };

  async function inferBatch(texts: string[]): Promise<Sentiment[]> {
    stats.inferred += texts.length;
    stats.batches++;
    const inputs = tokenizer(texts, { padding: true, truncation: true });
    const output = (await model(inputs)) as { logits: Tensor };
    const [rows, cols] = output.logits.dims as [number, number];
    const data = output.logits.data as Float32Array;
    const results: Sentiment[] = [];
    for (let r = 0; r < rows; r++) {
      const probs = softmax(Array.from(data.subarray(r * cols, (r + 1) * cols)));
      let score = 0;
      probs.forEach((p, c) => {
        if (labels[c] === 'positive') score += p;
        if (labels[c] === 'negative') score -= p;
      });
      const best = probs.indexOf(Math.max(...probs));
      results.push({ score, label: labels[best] ?? labelFor(score) });
    }
    return results;
  }

  return {
    name: modelScorerName(dir),
    stats,
    // Changes when the model or its label mapping changes, so `csqa score` re-scores with the new model.
    version: createHash('sha256')
      .update(readFileSync(resolve(dir, 'config.json')))
      .update(String(statSync(resolve(dir, 'onnx/model.onnx')).size))
      .digest('hex')
      .slice(0, 12),
    async scoreTexts(texts) {
      const unique = [...new Set(texts)];
      const byText = new Map<string, Sentiment>();
      for (let i = 0; i < unique.length; i += batchSize) {
        const batch = unique.slice(i, i + batchSize);
        const scored = await inferBatch(batch);
        batch.forEach((t, k) => byText.set(t, scored[k]!));
      }
      return texts.map((t) => byText.get(t)!);
    },
  };
}
