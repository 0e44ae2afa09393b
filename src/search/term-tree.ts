/**
 * MiniSearch's term tree (a SearchableMap), which MiniSearch keeps in its protected `_index`
 * and offers no public hook for: fuzzy-terms.ts scans it faster than MiniSearch's own fuzzy
 * walk, and `mayMatchEveryTerm` asks it whether an AND query can find anything before
 * MiniSearch scores every document of its other terms. Both only read it; where its shape is
 * not the one expected, they step aside and MiniSearch answers as it always has.
 * A term's value in the tree is its postings: field id -> document id -> term frequency.
 */
import MiniSearch from 'minisearch';
import { PackedTerms } from './packed-terms.js';

/** What the tree returns for a fuzzy lookup: term -> [its postings, its edit distance]. */
export type FuzzyResults<V> = Map<string, [V, number]>;

/** The part of SearchableMap used here. */
export interface TermTree<V = unknown> {
  fuzzyGet(term: string, maxDistance: number): FuzzyResults<V>;
  has(term: string): boolean;
  get(term: string): V | undefined;
  atPrefix(prefix: string): { values(): Iterable<V> };
  set(term: string, value: V): unknown;
}

export function termTreeOf<T>(index: MiniSearch<T>): TermTree | undefined {
  const tree = (index as unknown as { _index?: unknown })._index;
  if (typeof tree !== 'object' || tree === null) return undefined;
  const { fuzzyGet, has, get, atPrefix, set } = tree as Partial<Record<keyof TermTree, unknown>>;
  const methods = [fuzzyGet, has, get, atPrefix, set];
  return methods.every((m) => typeof m === 'function') ? (tree as TermTree) : undefined;
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

/** The part of a Map read here: MiniSearch's own Maps, or the views of packed-terms.ts. */
type MapLike<V> = Pick<Map<unknown, V>, 'has' | 'keys' | 'values' | 'size'>;

/** A term's postings: field id -> document id -> frequency. */
type Postings = MapLike<MapLike<unknown>>;

const isMapLike = (value: unknown): value is MapLike<unknown> =>
  value instanceof Map || PackedTerms.isView(value);

function isPostings(value: unknown): value is Postings {
  if (!isMapLike(value)) return false;
  for (const docs of value.values()) if (!isMapLike(docs)) return false;
  return true;
}

/**
 * Every field's documents of a term's postings (one per word it stands for), read once: a
 * packed term makes a new view per read, and reading them again for each of 10,000 documents
 * made ~20 MB of garbage per query.
 */
function docListsOf(postings: readonly Postings[]): MapLike<unknown>[] {
  const lists: MapLike<unknown>[] = [];
  for (const fields of postings) for (const docs of fields.values()) lists.push(docs);
  return lists;
}

/**
 * The documents (MiniSearch's short ids) an AND search for `query` can find: those with every
 * term of the query, where a prefix counts as the words it starts. Empty when a term is neither
 * in the vocabulary nor the start of a word in it, or no document has them all. MiniSearch
 * would first score every document of each term ("group" is in most descriptions), then drop
 * those without the others; this reads the postings only, starting from the term with the
 * fewest. Undefined whenever that cannot be said for sure (fuzzy or OR options, fewer than two
 * terms, a tree or postings not recognised).
 */
export function docsWithEveryTerm<T>(
  index: MiniSearch<T>,
  options: PlainSearchOptions,
  query: string,
): ReadonlySet<unknown> | undefined {
  const { prefix, fuzzy, combineWith } = options.searchOptions;
  if (fuzzy || (combineWith ?? 'or').toLowerCase() !== 'and') return undefined;
  const tree = termTreeOf(index);
  if (!tree) return undefined;
  // As MiniSearch makes a query's terms: its default tokenizer, then the index's processTerm.
  const terms: Postings[][] = [];
  for (const word of tokenize(query)) {
    const term = options.processTerm(word);
    if (!term) continue;
    const asPrefix = typeof prefix === 'function' ? prefix(term) : prefix === true;
    const values = asPrefix ? [...tree.atPrefix(term).values()] : [tree.get(term)];
    const postings = values.filter((v) => v !== undefined);
    if (postings.length === 0) return NO_DOCS;
    if (!postings.every(isPostings)) return undefined;
    terms.push(postings);
  }
  if (terms.length < 2) return undefined;
  const size = (postings: Postings[]) =>
    postings.reduce((n, fields) => n + [...fields.values()].reduce((m, d) => m + d.size, 0), 0);
  const [fewest, ...others] = [...terms].sort((a, b) => size(a) - size(b));
  let docs = new Set<unknown>();
  for (const fields of fewest ?? [])
    for (const d of fields.values()) for (const doc of d.keys()) docs.add(doc);
  for (const postings of others) {
    const lists = docListsOf(postings);
    docs = new Set([...docs].filter((doc) => lists.some((list) => list.has(doc))));
    if (docs.size === 0) return NO_DOCS;
  }
  return docs;
}

const NO_DOCS: ReadonlySet<unknown> = new Set();

/** False when `index.search(query)` must find nothing (docsWithEveryTerm is empty). */
export function mayMatchEveryTerm<T>(
  index: MiniSearch<T>,
  options: PlainSearchOptions,
  query: string,
): boolean {
  return docsWithEveryTerm(index, options, query)?.size !== 0;
}

/**
 * Search options that have MiniSearch score only these documents (docsWithEveryTerm's): its
 * `boostDocument` of 0 skips a document before a result is made for it, and 1 leaves a score
 * as it was, so an AND search finds what it finds without them, with the same scores in the
 * same order. Without it, a prose query of common words at 10,000 cards made a result object
 * for every document of each word, 25 MB and 120-230 ms, to keep a few. Nothing (MiniSearch
 * alone) when the index's document ids are not where MiniSearch keeps them.
 */
export function onlyDocs<T>(
  index: MiniSearch<T>,
  docs: ReadonlySet<unknown> | undefined,
): { boostDocument?: (id: unknown) => number } {
  const ids = (index as unknown as { _documentIds?: unknown })._documentIds;
  if (!docs || !(ids instanceof Map)) return {};
  const wanted = new Set<unknown>();
  for (const doc of docs) wanted.add(ids.get(doc));
  return { boostDocument: (id) => (wanted.has(id) ? 1 : 0) };
}
