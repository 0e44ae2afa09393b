/**
 * A Map of few entries or of whole-number keys, kept as one flat array (key, value, key,
 * value, ...), for MiniSearch's term tree (index-json.ts puts them there): the postings,
 * a Map per term (field id -> postings) and one per term and field (document id ->
 * frequency), and the tree's nodes (edge label -> child node, "" -> the term's postings).
 * 10,000 cards make about 600,000 postings and 70,000 tree nodes, and a V8 Map costs about
 * 170 bytes empty and 30 per entry, against 16 per entry here. It offers what MiniSearch and this project call on those Maps, in a Map's order
 * (insertion order; set on a present key keeps its place), so every score is summed in the
 * same order and every answer is the same.
 */

/** The flat pairs of `map`, or undefined when it is not a PairMap. */
export function pairsOf(map: unknown): readonly unknown[] | undefined {
  return map instanceof PairMap ? map.pairs : undefined;
}

export class PairMap<V, K extends number | string = number> {
  /** key, value, key, value, ... in insertion order. */
  private kv: (K | V)[];
  /** Keys only ever grew (MiniSearch's short document ids do): then a lookup bisects. */
  private ascending: boolean;
  /** The pair last found or iterated: MiniSearch reads a document's frequency right after its key. */
  private hint = 0;

  /** `kv`: flat pairs, adopted as they are (an array just parsed from JSON, say). */
  constructor(kv: (K | V)[] = []) {
    this.kv = kv;
    let ascending = true;
    for (let i = 2; i < kv.length && ascending; i += 2) ascending = (kv[i] as K) > (kv[i - 2] as K);
    this.ascending = ascending;
  }

  /** The Map's entries as PairMaps: the same order, keys and values. */
  static of<V, K extends number | string = number>(map: Iterable<[K, V]>): PairMap<V, K> {
    const kv: (K | V)[] = [];
    for (const [key, value] of map) kv.push(key, value);
    // push leaves room to grow (17 slots for one pair): most postings never grow.
    return new PairMap<V, K>(kv.slice());
  }

  /** The flat pairs, for serializing (read-only). */
  get pairs(): readonly (K | V)[] {
    return this.kv;
  }

  get size(): number {
    return this.kv.length >> 1;
  }

  /** The position (in pairs) of `key`, or -1. */
  private find(key: K): number {
    const kv = this.kv;
    const n = kv.length >> 1;
    const hint = this.hint;
    if (hint < n && kv[hint * 2] === key) return hint;
    if (this.ascending) {
      let lo = 0;
      let hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const k = kv[mid * 2] as K;
        if (k === key) {
          this.hint = mid;
          return mid;
        }
        if (k < key) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    }
    for (let i = 0; i < n; i++) {
      if (kv[i * 2] === key) {
        this.hint = i;
        return i;
      }
    }
    return -1;
  }

  get(key: K): V | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : (this.kv[i * 2 + 1] as V);
  }

  has(key: K): boolean {
    return this.find(key) >= 0;
  }

  set(key: K, value: V): this {
    const i = this.find(key);
    if (i >= 0) {
      this.kv[i * 2 + 1] = value;
      return this;
    }
    const n = this.kv.length;
    if (n > 0 && key < (this.kv[n - 2] as K)) this.ascending = false;
    this.kv.push(key, value);
    return this;
  }

  /**
   * The pair removed in place, or, while an iteration is under way, from a copy: iterations
   * keep the array they read (PairIterator). Copying at every delete made an incremental
   * reload's in-place update of 10,000 cards' indexes 40-100 ms of main thread (a frequent
   * term's postings copied for each document removed).
   */
  delete(key: K): boolean {
    const i = this.find(key);
    if (i < 0) return false;
    if (this.iterations > 0) this.kv = this.kv.slice();
    this.kv.splice(i * 2, 2);
    return true;
  }

  /** Iterations begun and not yet at their end (one left unfinished counts for ever). */
  private iterations = 0;

  /** PairIterator's: one began, or one reached its end. */
  iterating(delta: 1 | -1): void {
    this.iterations += delta;
  }

  clear(): void {
    this.kv = [];
    this.ascending = true;
  }

  forEach(fn: (value: V, key: K, map: this) => void): void {
    for (const [key, value] of this.entries()) fn(value, key, this);
  }

  keys(): IterableIterator<K> {
    return new PairIterator<K | V, K>(this.kv, KEYS, this);
  }

  values(): IterableIterator<V> {
    return new PairIterator<K | V, V>(this.kv, VALUES, this);
  }

  entries(): IterableIterator<[K, V]> {
    return new PairIterator<K | V, [K, V]>(this.kv, ENTRIES, this);
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** Where the last lookup or iteration was: MiniSearch reads a value right after its key. */
  at(i: number): void {
    this.hint = i;
  }
}

const KEYS = 0;
const VALUES = 1;
const ENTRIES = 2;

/**
 * An iteration reads the array as it was when it began, but for entries added since (pushed
 * onto the same array): a deletion while it runs puts a new array in place (PairMap.delete). MiniSearch
 * deletes while iterating only the entry it is at (a discarded document's), and then, as with
 * a Map, the iteration goes on with the entries after it. A class, not a generator: the fuzzy
 * walk and the prefix lookups iterate every tree node they pass.
 */
class PairIterator<T, R> implements IterableIterator<R> {
  private i = 0;
  private ended = false;

  constructor(
    private readonly kv: readonly T[],
    private readonly kind: number,
    private readonly map: { at(i: number): void; iterating(delta: 1 | -1): void },
  ) {
    map.iterating(1);
  }

  next(): IteratorResult<R> {
    const i = this.i;
    const kv = this.kv;
    if (i * 2 >= kv.length) {
      if (!this.ended) this.map.iterating(-1);
      this.ended = true;
      return { done: true, value: undefined };
    }
    this.i = i + 1;
    this.map.at(i);
    const value =
      this.kind === KEYS
        ? kv[i * 2]
        : this.kind === VALUES
          ? kv[i * 2 + 1]
          : [kv[i * 2], kv[i * 2 + 1]];
    return { done: false, value: value as R };
  }

  /** A `for ... of` left early: this iteration reads no more. */
  return(): IteratorResult<R> {
    if (!this.ended) this.map.iterating(-1);
    this.ended = true;
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<R> {
    return this;
  }
}
