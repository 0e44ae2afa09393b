/**
 * MiniSearch's term tree (a SearchableMap), which MiniSearch keeps in its protected `_index`
 * and offers no public hook for: fuzzy-terms.ts scans it faster than MiniSearch's own fuzzy
 * walk, and `mayMatchEveryTerm` asks it whether an AND query can find anything before
 * MiniSearch scores every document of its other terms. Both only read it; where its shape is
 * not the one expected, they step aside and MiniSearch answers as it always has.
 */
import MiniSearch from 'minisearch';

/** What the tree returns for a fuzzy lookup: term -> [its postings, its edit distance]. */
export type FuzzyResults<V> = Map<string, [V, number]>;

/** The part of SearchableMap used here. */
export interface TermTree<V = unknown> {
  fuzzyGet(term: string, maxDistance: number): FuzzyResults<V>;
  has(term: string): boolean;
  atPrefix(prefix: string): { keys(): Iterator<string> };
  readonly size: number;
}

export function termTreeOf<T>(index: MiniSearch<T>): TermTree | undefined {
  const tree = (index as unknown as { _index?: unknown })._index;
  if (typeof tree !== 'object' || tree === null) return undefined;
  const { fuzzyGet, has, atPrefix } = tree as Partial<Record<keyof TermTree, unknown>>;
  if (typeof fuzzyGet !== 'function' || typeof has !== 'function') return undefined;
  return typeof atPrefix === 'function' ? (tree as TermTree) : undefined;
}

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** The options of an AND search without fuzzy matching, as documents.ts writes them. */
export interface PlainSearchOptions {
  processTerm: (term: string) => string | null;
  searchOptions: {
    prefix?: boolean | ((term: string) => boolean);
    fuzzy?: unknown;
    combineWith?: string;
  };
}

/**
 * False when `index.search(query)` must find nothing: a term of the query is neither in the
 * vocabulary nor, where a prefix counts, the start of a word in it, and an AND search needs
 * every term. MiniSearch would first score every document of the other terms ("group" is in
 * most descriptions), then drop them all. True whenever that cannot be said for sure (fuzzy
 * or OR options, a tree not recognised).
 */
export function mayMatchEveryTerm<T>(
  index: MiniSearch<T>,
  options: PlainSearchOptions,
  query: string,
): boolean {
  const { prefix, fuzzy, combineWith } = options.searchOptions;
  if (fuzzy || (combineWith ?? 'or').toLowerCase() !== 'and') return true;
  const tree = termTreeOf(index);
  if (!tree) return true;
  // As MiniSearch makes a query's terms: its default tokenizer, then the index's processTerm.
  for (const word of tokenize(query)) {
    const term = options.processTerm(word);
    if (!term) continue;
    const asPrefix = typeof prefix === 'function' ? prefix(term) : prefix === true;
    const found = asPrefix ? !tree.atPrefix(term).keys().next().done : tree.has(term);
    if (!found) return false;
  }
  return true;
}
