import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCorpus, type CorpusEntry } from '../../src/privacy/scan.js';

export const CORPUS_PATH = fileURLToPath(new URL('../../fixtures/privacy/hostile.jsonl', import.meta.url));

export function loadHostileCorpus(): CorpusEntry[] {
  return parseCorpus(readFileSync(CORPUS_PATH, 'utf8'));
}
