/**
 * Aho-Corasick automaton over UTF-16 code units: every phrase of every category is found in ONE pass per
 * text. ASCII letters are folded to lower case while walking, so no lower-cased copy of the text is made
 * and match offsets are offsets into the original text.
 */

const ROOT = 0;

function fold(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

export interface Match {
  /** Index of the phrase in the list given to `buildAutomaton`. */
  phrase: number;
  start: number;
  end: number;
}

export interface Automaton {
  readonly phraseCount: number;
  /** Calls `onMatch(phrase, start, end)` for every occurrence, in order of end offset. */
  scan(text: string, onMatch: (phrase: number, start: number, end: number) => void): void;
  matches(text: string): Match[];
}

export function buildAutomaton(phrases: readonly string[]): Automaton {
  // Trie with per-node maps while building; transitions are then flattened into one numeric-key map.
  const children: Map<number, number>[] = [new Map()];
  const depth: number[] = [0];
  const outputs: number[][] = [[]];
  phrases.forEach((phrase, index) => {
    let node = ROOT;
    for (let i = 0; i < phrase.length; i++) {
      const code = fold(phrase.charCodeAt(i));
      let next = children[node]!.get(code);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        depth.push(depth[node]! + 1);
        outputs.push([]);
        children[node]!.set(code, next);
      }
      node = next;
    }
    outputs[node]!.push(index);
  });

  const fail = new Int32Array(children.length);
  // Nearest state on the failure chain that has outputs (-1 when none): keeps reporting O(matches).
  const dictLink = new Int32Array(children.length).fill(-1);
  const queue: number[] = [];
  for (const child of children[ROOT]!.values()) queue.push(child);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const [code, child] of children[node]!) {
      let f = fail[node]!;
      while (f !== ROOT && !children[f]!.has(code)) f = fail[f]!;
      const target = children[f]!.get(code);
      fail[child] = target !== undefined && target !== child ? target : ROOT;
      const fc = fail[child]!;
      dictLink[child] = outputs[fc]!.length > 0 ? fc : dictLink[fc]!;
      queue.push(child);
    }
  }

  const rootNext = new Int32Array(65536).fill(ROOT);
  for (const [code, child] of children[ROOT]!) rootNext[code] = child;
  const next = TransitionTable.of(children);
  const lengths = phrases.map((p) => p.length);
  const outs = outputs.map((o) => (o.length ? Int32Array.from(o) : null));

  function scan(text: string, onMatch: (phrase: number, start: number, end: number) => void): void {
    let state = ROOT;
    for (let i = 0; i < text.length; i++) {
      const code = fold(text.charCodeAt(i));
      for (;;) {
        if (state === ROOT) {
          state = rootNext[code]!;
          break;
        }
        const target = next.get(state, code);
        if (target !== NONE) {
          state = target;
          break;
        }
        state = fail[state]!;
      }
      if (state === ROOT) continue;
      const end = i + 1;
      for (let s = outs[state] ? state : dictLink[state]!; s > 0; s = dictLink[s]!) {
        const list = outs[s]!;
        for (let k = 0; k < list.length; k++) {
          const phrase = list[k]!;
          onMatch(phrase, end - lengths[phrase]!, end);
        }
      }
    }
  }

  return {
    phraseCount: phrases.length,
    scan,
    matches(text) {
      const found: Match[] = [];
      scan(text, (phrase, start, end) => found.push({ phrase, start, end }));
      return found;
    },
  };
}

const NONE = -1;

/**
 * The non-root transitions (state, code) -> state in one open-addressing hash table over typed arrays: the scan
 * looks one up per character, and a Map keyed by state * 65536 + code cost a third of the analysis.
 */
class TransitionTable {
  private constructor(
    private readonly states: Int32Array,
    private readonly codes: Uint16Array,
    private readonly targets: Int32Array,
    private readonly mask: number,
  ) {}

  static of(children: ReadonlyArray<Map<number, number>>): TransitionTable {
    let count = 0;
    for (let node = 1; node < children.length; node++) count += children[node]!.size;
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    const table = new TransitionTable(new Int32Array(capacity).fill(NONE), new Uint16Array(capacity), new Int32Array(capacity), capacity - 1);
    for (let node = 1; node < children.length; node++) {
      for (const [code, child] of children[node]!) table.put(node, code, child);
    }
    return table;
  }

  private slot(state: number, code: number): number {
    return (Math.imul(state, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) >>> 0;
  }

  private put(state: number, code: number, target: number): void {
    let i = this.slot(state, code) & this.mask;
    while (this.states[i] !== NONE) i = (i + 1) & this.mask;
    this.states[i] = state;
    this.codes[i] = code;
    this.targets[i] = target;
  }

  get(state: number, code: number): number {
    let i = this.slot(state, code) & this.mask;
    for (;;) {
      const s = this.states[i]!;
      if (s === NONE) return NONE;
      if (s === state && this.codes[i] === code) return this.targets[i]!;
      i = (i + 1) & this.mask;
    }
  }
}
