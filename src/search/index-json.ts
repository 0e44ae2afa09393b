/**
 * The MiniSearch indexes as the cache stores them and as they are held in memory: their terms
 * and postings packed (packed-terms.ts) in place of MiniSearch's term tree, a Map per node, per
 * term and per term and field (a 10,000-card names index held so took 23 MB of heap, packed
 * about 2). MiniSearch's own JSON lists each term with its postings as objects, which JSON.parse
 * makes into objects and loadJS into that tree; here the JSON is the packed arrays in lines.
 *
 * Lines: the first is MiniSearch's part without its documents; then the documents, DOC_ROWS to
 * a line (short id, id, field lengths, stored fields), put into MiniSearch's own Maps as loadJS
 * would (its private fields, as term-tree.ts reads its tree); then the terms in the order of a
 * tree's walk with their postings as packed, about CHUNK_WEIGHT numbers to a line; then the
 * terms' sorted order (computed by the writer, which is a worker or a save, not the thread that
 * loads). The order is that of the tree loadJS makes from MiniSearch's JSON, so an index loaded
 * from either answers alike. A reload hands a new index to the main thread, which takes it in a
 * line at a time between queries (IndexLoader).
 */
import MiniSearch, { type Options } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { flatPostings, PackedBuilder, PackedTerms, packEntries } from './packed-terms.js';
import { termTreeOf } from './term-tree.js';

/** Bump with INDEX_CACHE_VERSION (src/catalog/index-cache.ts) when this layout changes. */
const FORMAT = 'aptcard-packed-1';

/** About this many numbers (postings) and terms per line: a few milliseconds to take in. */
export const CHUNK_WEIGHT = 10_000;
/** Documents per line. */
const DOC_ROWS = 2_000;

/** A term line: terms, and their postings as packed one after the other. */
interface TermsJson {
  terms: string[];
  post: number[];
}
/** A line of the sorted order: term ids (their place in the term lines). */
interface SortedJson {
  sorted: number[];
}

/** The first line. */
interface IndexHead {
  format?: string;
  /** How many terms, and numbers of postings, the term lines hold (the loader sizes for them). */
  sizes?: { terms: number; post: number };
  /** Everything MiniSearch's toJSON writes, its `index` empty. */
  miniSearch: Record<string, unknown>;
}

/** A document line: short id, id, field lengths, stored fields (absent: none). */
interface DocsJson {
  docs: [number, unknown, unknown, unknown?][];
}

/** MiniSearch's Maps of documents, which loadJS fills from its JSON at once. */
interface DocumentMaps {
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldLength: Map<number, unknown>;
  _storedFields: Map<number, unknown>;
}

/** The document rows of MiniSearch's JSON, in the order loadJS puts them into its Maps. */
function docLines(miniSearch: Record<string, unknown>): string[] {
  const ids = (miniSearch.documentIds ?? {}) as Record<string, unknown>;
  const lengths = (miniSearch.fieldLength ?? {}) as Record<string, unknown>;
  const stored = (miniSearch.storedFields ?? {}) as Record<string, unknown>;
  const rows: DocsJson['docs'] = [];
  // Integer keys: an object lists them ascending, as loadJS then reads them.
  for (const key of Object.keys(ids)) {
    const row: DocsJson['docs'][number] = [Number(key), ids[key], lengths[key]];
    if (key in stored) row.push(stored[key]);
    rows.push(row);
  }
  const lines: string[] = [];
  for (let i = 0; i < rows.length; i += DOC_ROWS)
    lines.push(JSON.stringify({ docs: rows.slice(i, i + DOC_ROWS) } satisfies DocsJson));
  return lines;
}

/** A term's postings in a tree: field id -> (document id -> frequency). */
type FieldPostings = Iterable<[number, Iterable<[number, number]>]>;

/**
 * The index's terms in the order a tree built from them as loadJS builds one (the terms
 * inserted in the index's order) walks them: a radix tree's walk keeps each prefix's terms in
 * one run, which PackedTerms.atPrefix relies on. A split node's new edge goes after its
 * siblings, so this order can differ from the index's own.
 */
function treeOrder(terms: Iterable<[string, FieldPostings]>): Iterable<[string, FieldPostings]> {
  const tree = new SearchableMap<FieldPostings>();
  for (const [term, fields] of terms) tree.set(term, fields);
  return tree;
}

/** Term lines of about `weight` numbers each, in order. */
function termLines(
  terms: Iterable<[string, FieldPostings]>,
  weight: number,
): { lines: string[]; post: number } {
  const lines: string[] = [];
  let post = 0;
  let line: TermsJson = { terms: [], post: [] };
  for (const [term, fields] of terms) {
    line.terms.push(term);
    for (const x of flatPostings(fields)) line.post.push(x);
    if (line.post.length + line.terms.length >= weight) {
      post += line.post.length;
      lines.push(JSON.stringify(line));
      line = { terms: [], post: [] };
    }
  }
  if (line.terms.length > 0) lines.push(JSON.stringify(line));
  return { lines, post: post + line.post.length };
}

/**
 * The index as text in this module's layout (loadIndex and IndexLoader read it back).
 * `chunkWeight`: the size of a term line (tests make it small).
 */
export function serializeIndex<T>(index: MiniSearch<T>, chunkWeight = CHUNK_WEIGHT): string {
  const tree = termTreeOf(index) as unknown as Iterable<[string, FieldPostings]> | undefined;
  if (!tree) return JSON.stringify(index);
  // MiniSearch's JSON of everything but the postings: toJSON run over an empty term tree.
  const bare = Object.create(index, { _index: { value: [] } }) as MiniSearch<T>;
  const miniSearch = bare.toJSON() as unknown as Record<string, unknown>;
  const docs = docLines(miniSearch);
  const none = { documentIds: {}, fieldLength: {}, storedFields: {} };
  const ordered = [...treeOrder(tree)];
  const { lines: terms, post } = termLines(ordered, chunkWeight);
  const sizes = { terms: ordered.length, post };
  const head: IndexHead = { format: FORMAT, sizes, miniSearch: { ...miniSearch, ...none } };
  // The sorted order, made here (a worker, or a save) rather than by the thread that loads.
  const ids = ordered.map((_, i) => i);
  ids.sort((x, y) => {
    const a = (ordered[x] as [string, unknown])[0];
    const b = (ordered[y] as [string, unknown])[0];
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const sorted: string[] = [];
  for (let i = 0; i < ids.length; i += chunkWeight)
    sorted.push(JSON.stringify({ sorted: ids.slice(i, i + chunkWeight) } satisfies SortedJson));
  // JSON text never holds a raw line break: one per line.
  return [JSON.stringify(head), ...docs, ...terms, ...sorted].join('\n');
}

function bad(): never {
  throw new Error('bad index JSON');
}

/** A document line's rows put in MiniSearch's Maps, as loadJS puts them. */
function addDocs(index: DocumentMaps, docs: unknown): void {
  if (!Array.isArray(docs)) bad();
  for (const row of docs as unknown[]) {
    if (!Array.isArray(row) || typeof row[0] !== 'number' || row.length < 3) bad();
    const [shortId, id, lengths, stored] = row as DocsJson['docs'][number];
    index._documentIds.set(shortId, id);
    index._idToShortId.set(id, shortId);
    index._fieldLength.set(shortId, lengths);
    if (row.length > 3) index._storedFields.set(shortId, stored);
  }
}

/** A line after the first: documents, terms with their postings, or part of the sorted order. */
function attach(index: DocumentMaps, terms: PackedBuilder, line: string): void {
  const chunk = JSON.parse(line) as Partial<DocsJson & TermsJson & SortedJson> | null;
  if (chunk === null || typeof chunk !== 'object') bad();
  if (Array.isArray(chunk.docs)) {
    addDocs(index, chunk.docs);
    return;
  }
  if (Array.isArray(chunk.sorted)) {
    if (!chunk.sorted.every(Number.isInteger)) bad();
    terms.addSorted(chunk.sorted);
    return;
  }
  if (!Array.isArray(chunk.terms) || !Array.isArray(chunk.post)) bad();
  const { post } = chunk;
  let k = 0;
  for (const term of chunk.terms) {
    // A term's postings: fields, then per field its id, count (~count: not ascending), pairs.
    const from = k;
    const fields = post[k++];
    if (typeof term !== 'string' || !Number.isInteger(fields)) bad();
    for (let f = 0; f < (fields as number); f++) {
      const raw = post[k + 1];
      if (!Number.isInteger(post[k]) || !Number.isInteger(raw)) bad();
      const count = (raw as number) < 0 ? ~(raw as number) : (raw as number);
      k += 2 + 2 * count;
    }
    if (k > post.length) bad();
    terms.add(term, post, from, k);
  }
  if (k !== post.length || !post.every(Number.isInteger)) bad();
}

/** The index's term tree replaced by packed terms. */
function adopt<T>(index: MiniSearch<T>, terms: PackedTerms): MiniSearch<T> {
  (index as unknown as { _index: unknown })._index = terms;
  return index;
}

/**
 * An index being read from text written by serializeIndex, a line at a time: `step()` takes in
 * the next one and says whether any is left; `index` answers once none is. Text MiniSearch
 * wrote itself is read at once (its terms then packed). Throws on anything else.
 */
export class IndexLoader<T> {
  readonly index: MiniSearch<T>;
  private terms = new PackedBuilder();
  /** Where the next line starts; -1 when all are read. */
  private at: number;

  constructor(
    private readonly text: string,
    options: Options<T>,
  ) {
    const end = text.indexOf('\n');
    const head = JSON.parse(end < 0 ? text : text.slice(0, end)) as Partial<IndexHead> &
      Record<string, unknown>;
    if (head.format !== FORMAT) {
      if (end >= 0 || typeof head.format === 'string') bad(); // MiniSearch's JSON is one line
      this.index = compactIndex(MiniSearch.loadJS<T>(head as never, options));
      this.at = -1;
      return;
    }
    if (!head.miniSearch) bad();
    const { sizes } = head;
    // Sizes as the writer counted them; each term and number takes a character of the text at
    // least, so a damaged head cannot ask for more than the text could hold.
    if (sizes && Number.isInteger(sizes.terms) && Number.isInteger(sizes.post)) {
      const most = text.length;
      if (sizes.terms < 0 || sizes.post < 0 || sizes.terms > most || sizes.post > most) bad();
      this.terms = new PackedBuilder(sizes);
    }
    this.index = MiniSearch.loadJS<T>({ ...head.miniSearch, index: [] } as never, options);
    if (!termTreeOf(this.index)) throw new Error('MiniSearch term tree not recognised');
    this.at = end < 0 ? -1 : end + 1;
    this.done();
  }

  /** Take in the next line; false when the index is whole. */
  step(): boolean {
    if (this.at < 0) return false;
    const end = this.text.indexOf('\n', this.at);
    const line = this.text.slice(this.at, end < 0 ? undefined : end);
    attach(this.index as unknown as DocumentMaps, this.terms, line);
    this.at = end < 0 ? -1 : end + 1;
    this.done();
    return this.at >= 0;
  }

  private done(): void {
    if (this.at < 0) adopt(this.index, new PackedTerms(this.terms.finish()));
  }
}

/**
 * An index from text written by serializeIndex, or by MiniSearch itself (then its terms are
 * packed). Throws on text that is neither.
 */
export function loadIndex<T>(json: string, options: Options<T>): MiniSearch<T> {
  const loader = new IndexLoader<T>(json, options);
  while (loader.step());
  return loader.index;
}

/**
 * The index with its term tree packed in place (the same terms, order and values). An index
 * whose tree is not the one term-tree.ts knows, or packed already, is left as it is.
 */
export function compactIndex<T>(index: MiniSearch<T>): MiniSearch<T> {
  const tree = termTreeOf(index);
  if (!tree || tree instanceof PackedTerms) return index;
  return adopt(
    index,
    new PackedTerms(packEntries(tree as unknown as Iterable<[string, FieldPostings]>)),
  );
}
