/**
 * Near-duplicate clustering of canned replies. Similarity is the Jaccard overlap of the character-bigram
 * sets of two normalised replies (works for Chinese and English alike). SimHash was tried first and
 * dropped: on replies of 10-20 characters one inserted character (发货 -> 发货了) moved 12 of 64 bits,
 * the same as unrelated replies. Candidates are found with MinHash LSH (16 bands of 2 hashes, so pairs
 * at Jaccard 0.7 meet in some band with probability > 0.9999) and confirmed with the exact Jaccard.
 *
 * Ids are assigned first-come and persisted by the caller, so a template keeps its id across runs.
 */

const HASHES = 32;
const ROWS_PER_BAND = 2;

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** Sorted distinct hashes of the character bigrams, punctuation and spaces removed. */
export function shingles(text: string): Uint32Array {
  const compact = text.replace(/[\s\p{P}]+/gu, '');
  const set = new Set<number>();
  if (compact.length < 2) set.add(fnv1a(compact, 0x811c9dc5));
  for (let i = 0; i + 2 <= compact.length; i++) set.add(fnv1a(compact.slice(i, i + 2), 0x811c9dc5));
  return Uint32Array.from(set).sort();
}

export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  const union = a.length + b.length - shared;
  return union === 0 ? 1 : shared / union;
}

// Fixed odd multipliers and offsets: the signature of a text never changes between runs.
const MULTIPLIERS = Array.from({ length: HASHES }, (_, k) => (fnv1a(`m${k}`, 0x9e3779b9) | 1) >>> 0);
const OFFSETS = Array.from({ length: HASHES }, (_, k) => fnv1a(`o${k}`, 0x7f4a7c15));

function bandKeys(set: Uint32Array): string[] {
  const mins = new Uint32Array(HASHES).fill(0xffffffff);
  for (const x of set) {
    for (let k = 0; k < HASHES; k++) {
      const h = (Math.imul(x, MULTIPLIERS[k]!) + OFFSETS[k]!) >>> 0;
      if (h < mins[k]!) mins[k] = h;
    }
  }
  const keys: string[] = [];
  for (let b = 0; b < HASHES / ROWS_PER_BAND; b++) {
    keys.push(`${b}:${mins[b * ROWS_PER_BAND]}:${mins[b * ROWS_PER_BAND + 1]}`);
  }
  return keys;
}

/**
 * Replies shorter than this many words (a CJK character or an ASCII word each) are acknowledgements, not
 * templates: 好的, 抱歉, 好的呢, "ok", "thank you" sent twice in a conversation or by every agent say nothing
 * about pasting a script, so they get no template and never count as canned_repetition.
 */
export const MIN_TEMPLATE_WORDS = 5;

/** Whether a (normalised) reply has at least MIN_TEMPLATE_WORDS words; counts no further than that. */
export function longEnoughForTemplate(text: string): boolean {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length && words < MIN_TEMPLATE_WORDS; i++) {
    const c = text.charCodeAt(i);
    const wordChar = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 35 || c === 60 || c === 62;
    if (wordChar) {
      if (!inWord) words++;
      inWord = true;
      continue;
    }
    inWord = false;
    if ((c >= 0x3400 && c < 0xa000) || (c >= 0xf900 && c < 0xfb00)) words++;
  }
  return words >= MIN_TEMPLATE_WORDS;
}

export interface TemplateEntry {
  id: string;
  /** The normalised text that founded the template. */
  text: string;
}

interface Indexed extends TemplateEntry {
  set: Uint32Array;
}

export function templateIdFor(text: string): string {
  return 't' + fnv1a(text, 0x811c9dc5).toString(16).padStart(8, '0') + fnv1a(text, 0x27d4eb2f).toString(16).padStart(8, '0');
}

export class TemplateIndex {
  private readonly buckets = new Map<string, Indexed[]>();
  readonly added: TemplateEntry[] = [];

  constructor(
    /** `score.cannedSimilarity`: least Jaccard overlap of bigram sets for a reply to join a template. */
    readonly minSimilarity: number,
    known: Iterable<TemplateEntry> = [],
  ) {
    for (const entry of known) this.insert({ ...entry, set: shingles(entry.text) });
  }

  private insert(entry: Indexed, keys = bandKeys(entry.set)): void {
    for (const key of keys) {
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(entry);
      else this.buckets.set(key, [entry]);
    }
  }

  /** The most similar known template at or above the threshold (ties: smallest id). */
  find(text: string): TemplateEntry | undefined {
    return this.lookup(shingles(text)).best;
  }

  private lookup(set: Uint32Array, keys = bandKeys(set)): { best?: Indexed; keys: string[] } {
    let best: Indexed | undefined;
    let bestSimilarity = -1;
    const seen = new Set<Indexed>();
    for (const key of keys) {
      for (const entry of this.buckets.get(key) ?? []) {
        if (seen.has(entry)) continue;
        seen.add(entry);
        const similarity = jaccard(set, entry.set);
        if (similarity < this.minSimilarity) continue;
        if (similarity > bestSimilarity || (similarity === bestSimilarity && best && entry.id < best.id)) {
          best = entry;
          bestSimilarity = similarity;
        }
      }
    }
    return best ? { best, keys } : { keys };
  }

  /** The id of the template `text` belongs to, founding a new template when none is close enough. */
  assign(text: string): string {
    const set = shingles(text);
    const { best, keys } = this.lookup(set);
    if (best) return best.id;
    const entry: Indexed = { id: templateIdFor(text), text, set };
    this.insert(entry, keys);
    this.added.push({ id: entry.id, text });
    return entry.id;
  }
}
