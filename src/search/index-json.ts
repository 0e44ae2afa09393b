/**
 * The MiniSearch indexes as the cache stores them and as they are held in memory. MiniSearch's
 * own JSON writes each term's postings as objects ({"12": 1, ...}), which JSON.parse makes into
 * objects and loadJS into Maps: a 10,000-card prose index took 35 MB of heap held and more in
 * passing. Here the postings are flat arrays of document id and frequency, read straight into
 * PairMaps (pair-map.ts); the rest of the index is MiniSearch's own JSON. The terms go into the
 * tree in the order MiniSearch's JSON lists them and each term's fields by field id, as
 * loadJS puts them, so a loaded index answers as one loaded by MiniSearch.
 */
import MiniSearch, { type Options } from 'minisearch';
import { PairMap, pairsOf } from './pair-map.js';
import { termTreeOf } from './term-tree.js';

/** Bump with INDEX_CACHE_VERSION (src/catalog/index-cache.ts) when this layout changes. */
const FORMAT = 'aptcard-postings-1';

/** One term: the term, then field id and that field's flat postings (id, frequency, ...). */
type TermEntry = [string, ...(number | number[])[]];

interface IndexJson {
  format?: string;
  /** Everything MiniSearch's toJSON writes, its `index` empty. */
  miniSearch: Record<string, unknown>;
  postings: TermEntry[];
}

/** A term's postings in the tree: field id -> (document id -> frequency). */
type FieldPostings = Iterable<[number, Iterable<[number, number]>]>;

function flatPairs(docs: Iterable<[number, number]>): number[] {
  const kept = pairsOf(docs);
  if (kept) return kept as number[];
  const out: number[] = [];
  for (const [id, freq] of docs) out.push(id, freq);
  return out;
}

/** The index as JSON in this module's layout (loadIndex reads it back). */
export function serializeIndex<T>(index: MiniSearch<T>): string {
  const tree = termTreeOf(index);
  if (!tree) return JSON.stringify(index);
  // MiniSearch's JSON of everything but the postings: toJSON run over an empty term tree.
  const bare = Object.create(index, { _index: { value: [] } }) as MiniSearch<T>;
  const postings: TermEntry[] = [];
  for (const [term, fields] of tree as unknown as Iterable<[string, FieldPostings]>) {
    const entry: TermEntry = [term];
    const byId = [...fields].sort((a, b) => a[0] - b[0]);
    for (const [fieldId, docs] of byId) entry.push(fieldId, flatPairs(docs));
    postings.push(entry);
  }
  const json: IndexJson = { format: FORMAT, miniSearch: bare.toJSON(), postings };
  return JSON.stringify(json);
}

/** A term's fields from its entry, each field's postings the very array JSON.parse made. */
function fieldsOf(entry: TermEntry): PairMap<PairMap<number>> {
  const kv: (number | PairMap<number>)[] = entry.slice(1) as number[];
  if (kv.length % 2 !== 0) throw new Error('bad postings');
  for (let i = 0; i < kv.length; i += 2) {
    const docs = kv[i + 1];
    if (typeof kv[i] !== 'number' || !Array.isArray(docs)) throw new Error('bad postings');
    kv[i + 1] = new PairMap<number>(docs);
  }
  return new PairMap(kv);
}

/**
 * An index from JSON written by serializeIndex, or by MiniSearch itself (then its Maps are
 * made PairMaps). Throws on JSON that is neither.
 */
export function loadIndex<T>(json: string, options: Options<T>): MiniSearch<T> {
  const parsed = JSON.parse(json) as Partial<IndexJson> & Record<string, unknown>;
  if (parsed.format !== FORMAT) return compactIndex(MiniSearch.loadJS<T>(parsed as never, options));
  if (!parsed.miniSearch || !Array.isArray(parsed.postings)) throw new Error('bad index JSON');
  const index = MiniSearch.loadJS<T>({ ...parsed.miniSearch, index: [] } as never, options);
  const tree = termTreeOf(index);
  if (!tree) throw new Error('MiniSearch term tree not recognised');
  for (const entry of parsed.postings) tree.set(entry[0], fieldsOf(entry));
  return index;
}

/**
 * The index with its postings Maps made PairMaps, in place (the same terms, order and values).
 * An index whose tree is not the one term-tree.ts knows is left as it is.
 */
export function compactIndex<T>(index: MiniSearch<T>): MiniSearch<T> {
  const tree = termTreeOf(index);
  if (!tree) return index;
  const terms = [...(tree as unknown as Iterable<[string, FieldPostings]>)];
  for (const [term, fields] of terms) {
    if (fields instanceof PairMap) continue;
    const kv: (number | PairMap<number>)[] = [];
    for (const [fieldId, docs] of fields) kv.push(fieldId, PairMap.of(docs));
    tree.set(term, new PairMap(kv.slice()));
  }
  return index;
}
