/**
 * MiniSearch's fuzzy term lookup for the names index, made faster without changing what it
 * returns. MiniSearch finds the terms within an edit distance by walking its whole term tree
 * with a Levenshtein matrix; on the three public catalogs (about 4,300 name terms) that walk
 * was most of a fuzzy query, and a miss that fell through to did-you-mean (up to 4 edits)
 * walked nearly every term. Here a lookup reads only the terms whose length is within the
 * distance, skips those whose letters alone rule them out (characterBound), and measures the
 * rest with Myers' bit-parallel edit distance. The Map it returns holds the same terms, the
 * same values and distances, in the same order as MiniSearch's walk (depth first over the
 * tree), so every score is summed in the same order and every answer, tie and suggestion is
 * the same (test/corpus/fuzzy-answers.test.ts compares them over the public catalogs).
 */
import type MiniSearch from 'minisearch';
import { inSlices, type Slices } from './index-io.js';
import { type FuzzyResults, termTreeOf } from './term-tree.js';

/** SearchableMap's methods that add or drop terms: each makes the vocabulary stale. */
const MUTATORS = ['set', 'delete', 'update', 'fetch', 'clear'] as const;

/**
 * Myers' algorithm keeps one column of the matrix in the bits of a 32-bit integer: longer
 * query terms (rare: a single word of more than 32 letters) take MiniSearch's walk.
 */
const MAX_PATTERN = 32;
/**
 * MiniSearch's walk keeps distances in a Uint8Array: from "", this distance reaches every term
 * of up to 254 code units, which is the vocabulary for any lookup the scan answers (a term
 * and a distance that could reach a longer one go to the walk).
 */
const ENUMERATE_ALL = 254;

/** The terms of one length, in the walk's order. */
interface Bucket<V> {
  terms: string[];
  values: V[];
  masks: number[];
  /** Each term's position in the walk's order, to put the hits of several lengths in order. */
  ranks: number[];
}

/**
 * Which of 32 groups of characters a term holds: a-z one bit each, every other character
 * (digits, punctuation, letters beyond ASCII) one of 6 bits. A shared bit for two characters
 * only weakens the bound drawn from it, never makes it wrong.
 */
export function characterMask(term: string): number {
  let mask = 0;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    mask |= 1 << (c >= 97 && c <= 122 ? c - 97 : 26 + (c % 6));
  }
  return mask;
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * A lower bound on the edit distance of two terms from their character masks: each edit adds
 * at most one group of characters to a term and takes at most one away, so the groups one
 * term has and the other lacks each cost an edit.
 */
export function characterBound(a: number, b: number): number {
  return Math.max(bitCount(a & ~b), bitCount(b & ~a));
}

/** Per UTF-16 code unit, the positions where it occurs in the pattern (reset after each use). */
const positions = new Int32Array(65536);

/**
 * The Levenshtein distance of `pattern` (at most 32 code units, its positions set in
 * `positions`) and `text`, or `max + 1` as soon as it must exceed `max` (Myers 1999, in
 * Hyyrö's formulation for the distance between whole strings). Code units are compared as
 * MiniSearch's walk compares them.
 */
function boundedDistance(pattern: string, text: string, max: number): number {
  const last = 1 << (pattern.length - 1);
  let pv = -1;
  let mv = 0;
  let score = pattern.length;
  const n = text.length;
  for (let k = 0; k < n; k++) {
    const eq = positions[text.charCodeAt(k)] ?? 0;
    const xv = eq | mv;
    const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if (ph & last) score++;
    else if (mh & last) score--;
    // Each character still to come lowers the distance by one at most.
    if (score - (n - k - 1) > max) return max + 1;
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

/** A names index's vocabulary, bucketed by length, for fuzzy lookups by scanning. */
class Vocabulary<V> {
  private readonly byLength: Bucket<V>[] = [];

  private rank = 0;

  /** `all` is every term of the tree in the walk's order, as MiniSearch's walk returns them. */
  constructor(all: FuzzyResults<V> = new Map()) {
    for (const [term, [value]] of all) this.add(term, value);
  }

  /** The next term in the walk's order. */
  add(term: string, value: V): void {
    let bucket = this.byLength[term.length];
    if (!bucket) {
      bucket = { terms: [], values: [], masks: [], ranks: [] };
      this.byLength[term.length] = bucket;
    }
    bucket.terms.push(term);
    bucket.values.push(value);
    bucket.masks.push(characterMask(term));
    bucket.ranks.push(this.rank++);
  }

  /** The terms within `max` edits of `term` (1 to 32 code units), as MiniSearch's walk gives them. */
  fuzzyGet(term: string, max: number): FuzzyResults<V> {
    const hits: { rank: number; term: string; value: V; distance: number }[] = [];
    const mask = characterMask(term);
    for (let i = 0; i < term.length; i++) {
      const c = term.charCodeAt(i);
      positions[c] = (positions[c] ?? 0) | (1 << i);
    }
    try {
      const longest = Math.min(term.length + max, this.byLength.length - 1);
      for (let length = Math.max(1, term.length - max); length <= longest; length++) {
        const bucket = this.byLength[length];
        if (!bucket) continue;
        const { terms, masks } = bucket;
        for (let i = 0; i < terms.length; i++) {
          if (characterBound(masks[i] ?? 0, mask) > max) continue;
          const candidate = terms[i] ?? '';
          const distance = boundedDistance(term, candidate, max);
          if (distance <= max) {
            hits.push({
              rank: bucket.ranks[i] ?? 0,
              term: candidate,
              value: bucket.values[i] as V,
              distance,
            });
          }
        }
      }
    } finally {
      for (let i = 0; i < term.length; i++) positions[term.charCodeAt(i)] = 0;
    }
    hits.sort((a, b) => a.rank - b.rank);
    const out: FuzzyResults<V> = new Map();
    for (const h of hits) out.set(h.term, [h.value, h.distance]);
    return out;
  }
}

/** The handle on one index's faster fuzzy lookup. */
export interface FastFuzzy {
  /** Make the vocabulary now rather than on the first fuzzy lookup (a few ms). */
  prepare(): void;
  /**
   * The same in slices (10,000 cards' names: about 25 ms in one go), for an index taken in
   * while another serves; one changed meanwhile is left to make its vocabulary on first use.
   */
  prepareInSteps(slices: Slices): Promise<void>;
}

/** A node of the tree without the walk's `keys` and `get` (not SearchableMap's shape). */
class NotTheTree extends Error {}

/** A tree node as MiniSearch's walk reads it: a Map, or index-json.ts's PairMap. */
interface TreeNode {
  keys(): Iterator<unknown>;
  get(key: unknown): unknown;
}

function asNode(value: unknown): TreeNode {
  const node = value as Partial<TreeNode> | null;
  if (typeof node?.keys !== 'function' || typeof node.get !== 'function') throw new NotTheTree();
  return node as TreeNode;
}

/**
 * What MiniSearch's walk from "" within ENUMERATE_ALL returns, as [term, value], one at a time:
 * the walk goes depth first, over each node's `keys()` in their order, "" being a term's own
 * entry; from "" every term of up to ENUMERATE_ALL code units is within the distance and no
 * other is. Reads SearchableMap's `_tree`; throws NotTheTree where a node is not of its shape.
 */
export function* termsInWalkOrder(tree: unknown): Generator<[string, unknown]> {
  const { _tree: root, _prefix: prefix } = tree as { _tree?: unknown; _prefix?: unknown };
  if (prefix !== '') throw new NotTheTree();
  const stack: { prefix: string; node: TreeNode; keys: Iterator<unknown> }[] = [];
  const enter = (at: string, value: unknown) => {
    const node = asNode(value);
    stack.push({ prefix: at, node, keys: node.keys() });
  };
  enter('', root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    const next = top.keys.next();
    if (next.done) {
      stack.pop();
      continue;
    }
    const key = next.value;
    if (key === '') {
      if (top.prefix.length <= ENUMERATE_ALL) yield [top.prefix, top.node.get(key)];
    } else if (typeof key === 'string') enter(top.prefix + key, top.node.get(key));
    else throw new NotTheTree();
  }
}

/**
 * Put the scanning lookup in place of `index`'s fuzzy walk. Where it cannot answer as the walk
 * would (an empty or over-long term, a distance that is not a whole number, a tree this module
 * does not recognise) the walk answers.
 * A term added to or removed from the index drops the vocabulary; the next lookup remakes it.
 */
export function useFastFuzzy<T>(index: MiniSearch<T>): FastFuzzy {
  const tree = termTreeOf(index);
  if (!tree) return { prepare() {}, prepareInSteps: async () => {} };
  const walk = tree.fuzzyGet.bind(tree);
  let vocabulary: Vocabulary<unknown> | undefined;
  /** Counts the changes to the tree: a vocabulary made in slices across one is stale. */
  let changes = 0;
  const prepare = (): Vocabulary<unknown> => {
    vocabulary ??= new Vocabulary(walk('', ENUMERATE_ALL));
    return vocabulary;
  };
  const methods = tree as unknown as Record<string, unknown>;
  for (const name of MUTATORS) {
    const method = methods[name];
    if (typeof method !== 'function') continue;
    methods[name] = (...args: unknown[]): unknown => {
      vocabulary = undefined;
      changes++;
      return method.apply(tree, args);
    };
  }
  const prepareInSteps = async (slices: Slices): Promise<void> => {
    if (vocabulary) return;
    const made = new Vocabulary<unknown>();
    const before = changes;
    try {
      await inSlices(termsInWalkOrder(tree), ([term, value]) => made.add(term, value), slices);
    } catch (err) {
      if (!(err instanceof NotTheTree)) throw err;
      prepare();
      return;
    }
    if (changes === before) vocabulary ??= made;
  };
  tree.fuzzyGet = (term: string, max: number) => {
    const scans =
      term.length > 0 &&
      term.length <= MAX_PATTERN &&
      Number.isInteger(max) &&
      max >= 1 &&
      term.length + max <= ENUMERATE_ALL;
    return scans ? prepare().fuzzyGet(term, max) : walk(term, max);
  };
  return {
    prepare() {
      prepare();
    },
    prepareInSteps,
  };
}
