/**
 * A prose (AND, prefix, no fuzzy) search scored as MiniSearch 7.2 scores it, over only the
 * documents `docsWithEveryTerm` found. Written by hand because MiniSearch makes a result
 * record, a terms array and a match object per document and query term and then merges them:
 * a topic query found in most of 10,000 descriptions made ~30 MB of garbage per query, the
 * largest step of a 10,000-card bot's peak memory. Here the scores go into one typed array.
 *
 * The same numbers, not just the same order: BM25+ with MiniSearch's defaults, its prefix
 * weight, the field boosts, each addition in MiniSearch's order (for each query term: the term
 * itself, then its longer prefix matches in the tree's order; in each, the fields in the
 * index's order, the documents in their postings' order; then the query terms summed in turn
 * and multiplied by their count). test/search/prose-score.test.ts holds it to MiniSearch's
 * answers. Undefined whenever the options or the index are not what this reads (then
 * MiniSearch answers as always).
 */
import MiniSearch from 'minisearch';
import { TEXT_OPTIONS, type TextDoc } from './documents.js';
import { docsWithEveryTerm, onlyDocs, type PlainSearchOptions, termTreeOf } from './term-tree.js';

/** The part of MiniSearch's state read here (protected fields; checked before use). */
interface ScoringState {
  _documentCount: number;
  _documentIds: Map<number, unknown>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, ArrayLike<number>>;
  _avgFieldLength: ArrayLike<number>;
  _dirtCount: number;
}

/** The prose options as documents.ts writes them: the fields and their boosts too. */
export interface ProseOptions extends PlainSearchOptions {
  fields: readonly string[];
  searchOptions: PlainSearchOptions['searchOptions'] & { boost?: Record<string, number> };
}

/** What MiniSearch's search gives that the ranking reads. */
export interface ScoredDoc {
  id: unknown;
  score: number;
}

interface Postings {
  get(fieldId: number): FieldDocs | undefined;
}
interface FieldDocs {
  readonly size: number;
  keys(): Iterable<number>;
  get(doc: number): number | undefined;
}

// MiniSearch's defaults, which TEXT_OPTIONS leaves as they are (plainProse checks that no other option is set).
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

function scoringState<T>(index: MiniSearch<T>): ScoringState | undefined {
  const s = index as unknown as Partial<ScoringState>;
  const ok =
    typeof s._documentCount === 'number' &&
    s._documentIds instanceof Map &&
    s._fieldLength instanceof Map &&
    typeof s._fieldIds === 'object' &&
    s._avgFieldLength !== undefined &&
    s._dirtCount === 0; // discarded documents: MiniSearch would clean them up while scoring
  return ok ? (s as ScoringState) : undefined;
}

/** Options this can score as MiniSearch would: anything else is left to MiniSearch. */
function plainProse(options: ProseOptions): boolean {
  const extra = options.searchOptions as Record<string, unknown>;
  const known = new Set(['boost', 'prefix', 'combineWith', 'fuzzy']);
  return (
    !options.searchOptions.fuzzy &&
    (options.searchOptions.combineWith ?? '').toLowerCase() === 'and' &&
    Object.keys(extra).every((key) => known.has(key))
  );
}

function bm25(tf: number, matching: number, total: number, length: number, avg: number): number {
  const { k, b, d } = BM25;
  const invDocFreq = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
  return invDocFreq * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * length) / avg)));
}

/**
 * `index.search(query)` for the documents of `docs` (MiniSearch's short ids, every one holding
 * every term): ids and scores, best first. Undefined when it cannot be scored here.
 */
export function scoreEveryTerm<T>(
  index: MiniSearch<T>,
  options: ProseOptions,
  query: string,
  docs: ReadonlySet<unknown>,
): ScoredDoc[] | undefined {
  const state = scoringState(index);
  const tree = termTreeOf(index);
  if (!state || !tree || !plainProse(options)) return undefined;
  const terms: string[] = [];
  for (const word of tokenize(query)) {
    const term = options.processTerm(word);
    if (term) terms.push(term);
  }
  const slots = new Map<number, number>();
  for (const doc of docs) if (typeof doc === 'number') slots.set(doc, slots.size);
  if (terms.length < 2 || slots.size !== docs.size) return undefined;
  const fields = options.fields.map((field) => ({
    id: state._fieldIds[field],
    boost: options.searchOptions.boost?.[field] || 1,
  }));
  if (fields.some((f) => f.id === undefined)) return undefined;

  const total = new Float64Array(slots.size);
  const perTerm = new Float64Array(slots.size);
  // One (query term, derived term) pair: MiniSearch's termResults.
  const addTerm = (postings: unknown, weight: number): boolean => {
    if (postings === undefined) return true;
    for (const field of fields) {
      const freqs = (postings as Postings).get(field.id as number);
      if (freqs === undefined) continue;
      const matching = freqs.size;
      const avg = state._avgFieldLength[field.id as number] as number;
      for (const doc of freqs.keys()) {
        if (!state._documentIds.has(doc)) return false; // a stale posting: MiniSearch's work
        const slot = slots.get(doc);
        if (slot === undefined) continue;
        const length = state._fieldLength.get(doc)?.[field.id as number] as number;
        const raw = bm25(freqs.get(doc) as number, matching, state._documentCount, length, avg);
        perTerm[slot] = (perTerm[slot] as number) + weight * field.boost * raw;
      }
    }
    return true;
  };
  const { prefix } = options.searchOptions;
  for (const [i, term] of terms.entries()) {
    perTerm.fill(0);
    if (!addTerm(tree.get(term), 1)) return undefined;
    const asPrefix = typeof prefix === 'function' ? prefix(term) : prefix === true;
    if (asPrefix) {
      const matches = tree.atPrefix(term) as unknown as Iterable<[string, unknown]>;
      for (const [longer, postings] of matches) {
        const distance = longer.length - term.length;
        if (distance === 0) continue;
        const weight = (PREFIX_WEIGHT * longer.length) / (longer.length + 0.3 * distance);
        if (!addTerm(postings, weight)) return undefined;
      }
    }
    for (let s = 0; s < total.length; s++)
      total[s] = i === 0 ? (perTerm[s] as number) : (total[s] as number) + (perTerm[s] as number);
  }
  const quality = new Set(terms).size;
  const results: ScoredDoc[] = [];
  for (const [doc, slot] of slots)
    results.push({ id: state._documentIds.get(doc), score: (total[slot] as number) * quality });
  return results.sort((a, b) => b.score - a.score);
}

/**
 * The prose index's answer to `query`: only the documents with every word of it are scored
 * (none: nothing is searched), here when it can be, else by MiniSearch; `plain` is MiniSearch
 * alone (the benchmarks' baseline). `keep` filters by UUID.
 */
export function searchProse(
  text: MiniSearch<TextDoc>,
  query: string,
  { keep, plain = false }: { keep?: ((uuid: string) => boolean) | undefined; plain?: boolean },
): readonly ScoredDoc[] {
  const filter = keep ? { filter: (r: ScoredDoc) => keep(String(r.id)) } : {};
  if (plain) return text.search(query, filter);
  const docs = docsWithEveryTerm(text, TEXT_OPTIONS, query);
  if (docs?.size === 0) return [];
  const scored = docs && scoreEveryTerm(text, TEXT_OPTIONS, query, docs);
  if (scored) return filter.filter ? scored.filter(filter.filter) : scored;
  return text.search(query, { ...filter, ...onlyDocs(text, docs) });
}
