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
import {
  boundedDistance,
  characterBound,
  characterMask,
  clearPattern,
  MAX_PATTERN,
  setPattern,
} from './edit-distance.js';
import { inSlices, type Slices } from './index-io.js';
import { PackedTerms } from './packed-terms.js';
import { type FuzzyResults, termTreeOf } from './term-tree.js';

/** SearchableMap's methods that add or drop terms: each makes the vocabulary stale. */
const MUTATORS = ['set', 'delete', 'update', 'fetch', 'clear'] as const;

/**
 * MiniSearch's walk keeps distances in a Uint8Array: from "", this distance reaches every term
 * of up to 254 code units, which is the vocabulary for any lookup the scan answers (a term
 * and a distance that could reach a longer one go to the walk).
 */
const ENUMERATE_ALL = 254;

export { characterBound, characterMask };

/** The terms of one length, in the walk's order. */
interface Bucket<V> {
  terms: string[];
  values: V[];
  masks: number[];
  /** Each term's position in the walk's order, to put the hits of several lengths in order. */
  ranks: number[];
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
    setPattern(term);
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
      clearPattern(term);
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

/** A tree node as MiniSearch's walk reads it (a Map). */
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
  // Packed terms scan in place already (packed-fuzzy.ts); their tables take a few ms.
  if (tree instanceof PackedTerms) {
    return {
      prepare: () => tree.prepareFuzzy(),
      prepareInSteps: (slices) => tree.prepareFuzzyInSteps(slices),
    };
  }
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
