/**
 * The MiniSearch indexes as the cache stores them and as they are held in memory. MiniSearch's
 * own JSON lists each term with its postings as objects ({"12": 1, ...}), which JSON.parse
 * makes into objects and loadJS into Maps, and loadJS then makes the term tree, a Map per
 * node: a 10,000-card names index took 31 MB of heap held and more in passing. Here the JSON
 * is the term tree itself, each node a flat array (edge label, child, ...; "" and the term's
 * fields), each field's postings a flat array (document id, frequency, ...), and loading
 * adopts those very arrays as PairMaps (pair-map.ts): no Map is made. The rest of the index is
 * MiniSearch's own JSON. The tree saved is the one loadJS makes from MiniSearch's JSON (the
 * terms inserted in its order, each term's fields by field id), so an index loaded from
 * either answers alike.
 *
 * Lines: the first is MiniSearch's part without its documents; then the documents, DOC_ROWS
 * to a line (short id, id, field lengths, stored fields), put into MiniSearch's own Maps as
 * loadJS would (its private fields, as term-tree.ts reads its tree); then the tree in chunks (a
 * node's path from the root and some of its pairs, in order) of about CHUNK_WEIGHT numbers. A
 * reload hands a new index to the main thread, which takes it in a line at a time between
 * queries (IndexLoader): one JSON.parse and loadJS of a 10,000-card index was 40-120 ms.
 */
import MiniSearch, { type Options } from 'minisearch';
import { PairMap, pairsOf } from './pair-map.js';
import { type TermTree, termTreeOf } from './term-tree.js';

/** Bump with INDEX_CACHE_VERSION (src/catalog/index-cache.ts) when this layout changes. */
const FORMAT = 'aptcard-tree-2';

/** About this many numbers (postings) and nodes per chunk line: a few milliseconds to take in. */
export const CHUNK_WEIGHT = 10_000;
/** Documents per line. */
const DOC_ROWS = 2_000;

/** MiniSearch's edge label of a term's own entry in a tree node. */
const LEAF = '';

/** A tree node as saved: edge label, child node, ...; LEAF, the term's fields. */
type NodeJson = (string | NodeJson | FieldsJson)[];
/** A term's fields as saved: field id, that field's flat postings (id, frequency, ...), ... */
type FieldsJson = (number | number[])[];

/** The first line. */
interface IndexHead {
  format?: string;
  /** Everything MiniSearch's toJSON writes, its `index` empty. */
  miniSearch: Record<string, unknown>;
}

/** A tree line: the path of edge labels from the root to a node, and pairs of it. */
type ChunkJson = [string[], NodeJson];
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

/** A term's postings in the tree: field id -> (document id -> frequency). */
type FieldPostings = Iterable<[number, Iterable<[number, number]>]>;
type TreeNode = Iterable<[string, unknown]>;

/** The parts of SearchableMap read and set here beyond term-tree.ts's. */
interface TreeRoot {
  _tree?: unknown;
  _size?: number;
}

function flatPairs(docs: Iterable<[number, number]>): number[] {
  const kept = pairsOf(docs);
  if (kept) return kept as number[];
  const out: number[] = [];
  for (const [id, freq] of docs) out.push(id, freq);
  return out;
}

function fieldsJson(fields: FieldPostings): FieldsJson {
  const out: FieldsJson = [];
  for (const [fieldId, docs] of [...fields].sort((a, b) => a[0] - b[0]))
    out.push(fieldId, flatPairs(docs));
  return out;
}

function nodeJson(node: TreeNode): NodeJson {
  const out: NodeJson = [];
  for (const [key, child] of node) {
    out.push(key, key === LEAF ? fieldsJson(child as FieldPostings) : nodeJson(child as TreeNode));
  }
  return out;
}

function fieldsWeight(fields: FieldPostings): number {
  let w = 0;
  for (const [, docs] of fields) w += 2 + (pairsOf(docs)?.length ?? [...docs].length * 2);
  return w;
}

/**
 * The tree as chunks of about `budget` in weight (numbers and nodes), in the order a load
 * puts them back: a node too heavy for one chunk is an empty node where it stands, its pairs in
 * the chunks after it (then its parent's next pairs, in a chunk of the parent's path).
 */
function chunksOf(root: TreeNode, budget: number): ChunkJson[] {
  const weights = new Map<unknown, number>();
  const weigh = (node: TreeNode): number => {
    let w = 1;
    for (const [key, child] of node)
      w += key === LEAF ? fieldsWeight(child as FieldPostings) : weigh(child as TreeNode);
    weights.set(node, w);
    return w;
  };
  weigh(root);
  const chunks: ChunkJson[] = [];
  const emit = (path: string[], node: TreeNode) => {
    let pairs: NodeJson = [];
    let size = 0;
    const flush = () => {
      if (pairs.length) chunks.push([path, pairs]);
      pairs = [];
      size = 0;
    };
    for (const [key, child] of node) {
      const w =
        key === LEAF ? fieldsWeight(child as FieldPostings) : (weights.get(child) as number);
      if (key !== LEAF && w > budget) {
        pairs.push(key, []);
        flush();
        emit([...path, key], child as TreeNode);
        continue;
      }
      if (size > 0 && size + w > budget) flush();
      pairs.push(
        key,
        key === LEAF ? fieldsJson(child as FieldPostings) : nodeJson(child as TreeNode),
      );
      size += w;
    }
    flush();
  };
  emit([], root);
  return chunks;
}

/**
 * The index as text in this module's layout (loadIndex and IndexLoader read it back).
 * `chunkWeight`: the size of a chunk line (tests make it small).
 */
export function serializeIndex<T>(index: MiniSearch<T>, chunkWeight = CHUNK_WEIGHT): string {
  const tree = termTreeOf(index);
  if (!tree) return JSON.stringify(index);
  // The tree loadJS would make: the terms, in the order MiniSearch's JSON lists them, put
  // into a new tree (a split node's new edge goes after its siblings, so the order differs).
  const Tree = tree.constructor as new () => TermTree;
  const loadOrder = new Tree();
  for (const [term, fields] of tree as unknown as Iterable<[string, unknown]>)
    loadOrder.set(term, fields);
  const root = (loadOrder as TreeRoot)._tree;
  if (!(root instanceof Map)) return JSON.stringify(index);
  // MiniSearch's JSON of everything but the postings: toJSON run over an empty term tree.
  const bare = Object.create(index, { _index: { value: [] } }) as MiniSearch<T>;
  const miniSearch = bare.toJSON() as unknown as Record<string, unknown>;
  const docs = docLines(miniSearch);
  const none = { documentIds: {}, fieldLength: {}, storedFields: {} };
  const head: IndexHead = { format: FORMAT, miniSearch: { ...miniSearch, ...none } };
  // JSON text never holds a raw line break: one per line.
  const lines = [JSON.stringify(head), ...docs];
  for (const chunk of chunksOf(root, chunkWeight)) lines.push(JSON.stringify(chunk));
  return lines.join('\n');
}

function bad(): never {
  throw new Error('bad index JSON');
}

/** A term's fields from the saved array, adopted as the PairMaps' storage. */
function fieldsOf(saved: unknown): PairMap<PairMap<number>> {
  if (!Array.isArray(saved) || saved.length % 2 !== 0) bad();
  const kv = saved as (number | PairMap<number>)[];
  for (let i = 0; i < kv.length; i += 2) {
    const docs: unknown = kv[i + 1];
    if (typeof kv[i] !== 'number' || !Array.isArray(docs)) bad();
    kv[i + 1] = new PairMap<number>(docs as number[]);
  }
  return new PairMap<PairMap<number>>(kv);
}

/** A tree node from the saved array, adopted as the PairMap's storage, children made likewise. */
function nodeOf(saved: unknown): PairMap<unknown, string> {
  if (!Array.isArray(saved) || saved.length % 2 !== 0) bad();
  const kv = saved as unknown[];
  for (let i = 0; i < kv.length; i += 2) {
    if (typeof kv[i] !== 'string') bad();
    kv[i + 1] = kv[i] === LEAF ? fieldsOf(kv[i + 1]) : nodeOf(kv[i + 1]);
  }
  return new PairMap<unknown, string>(kv as string[]);
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

/** A line after the first: documents, or a chunk of the tree put in its node. */
function attach(index: DocumentMaps, root: Map<string, unknown>, line: string): void {
  const chunk = JSON.parse(line) as unknown;
  if (chunk !== null && typeof chunk === 'object' && 'docs' in chunk) {
    addDocs(index, (chunk as DocsJson).docs);
    return;
  }
  if (!Array.isArray(chunk) || chunk.length !== 2 || !Array.isArray(chunk[0])) bad();
  const [path, pairs] = chunk as [unknown[], unknown];
  let node: Map<string, unknown> | PairMap<unknown, string> = root;
  for (const key of path) {
    const next: unknown = typeof key === 'string' ? node.get(key) : undefined;
    if (!(next instanceof PairMap)) bad();
    node = next as PairMap<unknown, string>;
  }
  for (const [key, child] of nodeOf(pairs)) node.set(key, child);
}

/**
 * An index being read from text written by serializeIndex, a chunk line at a time: `step()`
 * takes in the next one and says whether any is left; `index` answers once none is. Text
 * MiniSearch wrote itself is read at once (its Maps made PairMaps). Throws on anything else.
 */
export class IndexLoader<T> {
  readonly index: MiniSearch<T>;
  private readonly root = new Map<string, unknown>();
  private readonly tree: (TermTree & TreeRoot) | undefined;
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
      if (end >= 0) bad(); // MiniSearch's JSON is one line
      this.index = compactIndex(MiniSearch.loadJS<T>(head as never, options));
      this.at = -1;
      return;
    }
    if (!head.miniSearch) bad();
    this.index = MiniSearch.loadJS<T>({ ...head.miniSearch, index: [] } as never, options);
    this.tree = termTreeOf(this.index) as (TermTree & TreeRoot) | undefined;
    if (!this.tree || !(this.tree._tree instanceof Map))
      throw new Error('MiniSearch term tree not recognised');
    // The root stays a Map (it has the most children); the nodes below it are PairMaps.
    this.tree._tree = this.root;
    this.at = end < 0 ? -1 : end + 1;
    this.done();
  }

  /** Take in the next chunk line; false when the index is whole. */
  step(): boolean {
    if (this.at < 0) return false;
    const end = this.text.indexOf('\n', this.at);
    const line = this.text.slice(this.at, end < 0 ? undefined : end);
    attach(this.index as unknown as DocumentMaps, this.root, line);
    this.at = end < 0 ? -1 : end + 1;
    this.done();
    return this.at >= 0;
  }

  private done(): void {
    if (this.at < 0 && this.tree) this.tree._size = undefined; // counted again when asked for
  }
}

/**
 * An index from text written by serializeIndex, or by MiniSearch itself (then its Maps are
 * made PairMaps). Throws on text that is neither.
 */
export function loadIndex<T>(json: string, options: Options<T>): MiniSearch<T> {
  const loader = new IndexLoader<T>(json, options);
  while (loader.step());
  return loader.index;
}

/** A tree node below the root as a PairMap, its children likewise, in their order. */
function compactNode(node: Map<string, unknown>): PairMap<unknown, string> {
  const kv: unknown[] = [];
  for (const [key, child] of node) {
    kv.push(key, key !== LEAF && child instanceof Map ? compactNode(child) : child);
  }
  // push leaves room to grow (17 slots for one pair): a node rarely grows.
  return new PairMap<unknown, string>(kv.slice() as string[]);
}

/**
 * The index with its Maps made PairMaps in place: each term's postings and the tree's nodes
 * below the root (the same terms, order and values). An index whose tree is not the one
 * term-tree.ts knows is left as it is.
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
  const root = (tree as TreeRoot)._tree;
  if (root instanceof Map) {
    for (const [key, child] of root as Map<string, unknown>)
      if (key !== LEAF && child instanceof Map) root.set(key, compactNode(child));
  }
  return index;
}
