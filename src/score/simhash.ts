/**
 * Near-duplicate detection for canned replies: a 64-bit SimHash over character 2-gram shingles (works for
 * Chinese and English alike; on replies of a few dozen characters 2-grams keep one-word edits within ~6 bits
 * where 3-grams drift to ~14), kept as two 32-bit halves so all arithmetic stays in fast small integers.
 * The index finds a known template within `maxDistance` differing bits by the pigeonhole principle:
 * split the hash into maxDistance + 1 bands; two hashes that close agree exactly on at least one band.
 */

export interface SimHash {
  hi: number;
  lo: number;
}

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche so neighbouring shingles spread over all bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

export function simhash(text: string, shingle = 2): SimHash {
  const compact = text.replace(/[\s\p{P}]+/gu, '');
  const grams: string[] = [];
  if (compact.length <= shingle) grams.push(compact);
  else for (let i = 0; i + shingle <= compact.length; i++) grams.push(compact.slice(i, i + shingle));
  const votes = new Int32Array(64);
  for (const gram of grams) {
    const hi = fnv1a(gram, 0x811c9dc5);
    const lo = fnv1a(gram, 0x9e3779b9);
    for (let b = 0; b < 32; b++) {
      votes[b]! += (hi >>> b) & 1 ? 1 : -1;
      votes[32 + b]! += (lo >>> b) & 1 ? 1 : -1;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (votes[b]! > 0) hi |= 1 << b;
    if (votes[32 + b]! > 0) lo |= 1 << b;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function hammingDistance(a: SimHash, b: SimHash): number {
  return popcount((a.hi ^ b.hi) >>> 0) + popcount((a.lo ^ b.lo) >>> 0);
}

export function hashToHex(h: SimHash): string {
  return h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');
}

export function hexToHash(hex: string): SimHash {
  return { hi: parseInt(hex.slice(0, 8), 16) >>> 0, lo: parseInt(hex.slice(8, 16), 16) >>> 0 };
}

/** Bits of the 64-bit hash from `from` (inclusive) to `to` (exclusive), as a number. */
function bits(h: SimHash, from: number, to: number): number {
  let value = 0;
  for (let b = from; b < to; b++) {
    const bit = b < 32 ? (h.hi >>> b) & 1 : (h.lo >>> (b - 32)) & 1;
    value = value * 2 + bit;
  }
  return value;
}

export interface TemplateEntry {
  id: string;
  hash: SimHash;
}

/**
 * Template ids are assigned first-come and persisted by the caller, so the same template keeps its id
 * across runs: a new text joins the nearest known template within `maxDistance`, else founds a new one.
 */
export class TemplateIndex {
  private readonly bands: Array<[number, number]>;
  private readonly buckets: Map<string, TemplateEntry[]>[];
  readonly added: TemplateEntry[] = [];

  constructor(
    readonly maxDistance: number,
    known: Iterable<TemplateEntry> = [],
  ) {
    const count = maxDistance + 1;
    this.bands = Array.from({ length: count }, (_, i) => [Math.floor((i * 64) / count), Math.floor(((i + 1) * 64) / count)]);
    this.buckets = this.bands.map(() => new Map());
    for (const entry of known) this.insert(entry);
  }

  private insert(entry: TemplateEntry): void {
    this.bands.forEach(([from, to], i) => {
      const key = String(bits(entry.hash, from, to));
      const bucket = this.buckets[i]!.get(key);
      if (bucket) bucket.push(entry);
      else this.buckets[i]!.set(key, [entry]);
    });
  }

  find(hash: SimHash): TemplateEntry | undefined {
    let best: TemplateEntry | undefined;
    let bestDistance = this.maxDistance + 1;
    this.bands.forEach(([from, to], i) => {
      for (const entry of this.buckets[i]!.get(String(bits(hash, from, to))) ?? []) {
        const d = hammingDistance(hash, entry.hash);
        if (d < bestDistance || (d === bestDistance && best && entry.id < best.id)) {
          best = entry;
          bestDistance = d;
        }
      }
    });
    return best;
  }

  assign(hash: SimHash): string {
    const found = this.find(hash);
    if (found) return found.id;
    const entry = { id: 't' + hashToHex(hash), hash };
    this.insert(entry);
    this.added.push(entry);
    return entry.id;
  }
}

/** `score.cannedSimilarity` (share of equal bits) as the largest Hamming distance still counted as a copy. */
export function maxDistanceFor(similarity: number): number {
  return Math.max(0, Math.floor((1 - similarity) * 64 + 1e-9));
}
