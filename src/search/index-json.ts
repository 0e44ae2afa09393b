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
 */
import MiniSearch, { type Options } from 'minisearch';
import { PairMap, pairsOf } from './pair-map.js';
import { type TermTree, termTreeOf } from './term-tree.js';

/** Bump with INDEX_CACHE_VERSION (src/catalog/index-cache.ts) when this layout changes. */
const FORMAT = 'aptcard-tree-1';

/** MiniSearch's edge label of a term's own entry in a tree node. */
const LEAF = '';

/** A tree node as saved: edge label, child node, ...; LEAF, the term's fields. */
type NodeJson = (string | NodeJson | FieldsJson)[];
/** A term's fields as saved: field id, that field's flat postings (id, frequency, ...), ... */
type FieldsJson = (number | number[])[];

interface IndexJson {
  format?: string;
  /** Everything MiniSearch's toJSON writes, its `index` empty. */
  miniSearch: Record<string, unknown>;
  tree: NodeJson;
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

/** The index as JSON in this module's layout (loadIndex reads it back). */
export function serializeIndex<T>(index: MiniSearch<T>): string {
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
  const json: IndexJson = { format: FORMAT, miniSearch: bare.toJSON(), tree: nodeJson(root) };
  return JSON.stringify(json);
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

/**
 * An index from JSON written by serializeIndex, or by MiniSearch itself (then its Maps are
 * made PairMaps). Throws on JSON that is neither.
 */
export function loadIndex<T>(json: string, options: Options<T>): MiniSearch<T> {
  const parsed = JSON.parse(json) as Partial<IndexJson> & Record<string, unknown>;
  if (parsed.format !== FORMAT) return compactIndex(MiniSearch.loadJS<T>(parsed as never, options));
  if (!parsed.miniSearch || !Array.isArray(parsed.tree)) bad();
  const index = MiniSearch.loadJS<T>({ ...parsed.miniSearch, index: [] } as never, options);
  const tree = termTreeOf(index) as (TermTree & TreeRoot) | undefined;
  if (!tree || !(tree._tree instanceof Map)) throw new Error('MiniSearch term tree not recognised');
  // The root stays a Map (it has the most children); the nodes below it are PairMaps.
  const root = new Map<string, unknown>();
  const top = nodeOf(parsed.tree);
  for (const [key, child] of top) root.set(key, child);
  tree._tree = root;
  tree._size = undefined; // counted again when asked for
  return index;
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
