/**
 * A MiniSearch index's terms and postings packed into a few typed arrays, in place of its term
 * tree (a SearchableMap: a Map per tree node, per term and per term and field). A 10,000-card
 * names index held as that tree took 23 MB of heap for 42,000 terms (about 550 bytes a term,
 * and as many objects for the collector to walk); packed it takes about 2 MB, and its prose
 * index 22 MB against about 6.
 *
 * It answers what MiniSearch asks of its tree (get, has, fetch, set, delete, atPrefix,
 * fuzzyGet, size, iteration), in the tree's own order: the terms are kept in the order the
 * tree's depth-first walk gave them, so every score is summed in MiniSearch's order and every
 * answer is the same. In that order the terms of a prefix are one run (a subtree), which
 * `atPrefix` finds through a second, sorted order.
 *
 * The packed part never changes. A term that an in-place update (a reload's remove and add)
 * touches is copied out into MiniSearch's own Maps and answers from there, at its place; a new
 * term goes to a small SearchableMap after the packed ones. Reads give views over the packed
 * arrays (made per lookup, dropped right after); a write through a view copies the term out
 * first.
 */
import SearchableMap from 'minisearch/SearchableMap';
import {
  compareTo,
  docCount,
  type FieldMap,
  type FieldsLike,
  type PackedArrays,
  startsWith,
} from './packed-arrays.js';
import { PackedFuzzy } from './packed-fuzzy.js';
import {
  DocsEdit,
  FieldsView,
  isView,
  type PackedSource,
  PrefixTerms,
  type ThawedFields,
} from './packed-views.js';

export {
  type DocsLike,
  type FieldMap,
  type FieldsLike,
  flatPostings,
  type PackedArrays,
  PackedBuilder,
  packEntries,
} from './packed-arrays.js';

export class PackedTerms implements PackedSource {
  /** 1: the packed term was deleted, or copied out into `thawed` (then see there). */
  private readonly gone: Uint8Array;
  /** Packed terms changed in place since, as MiniSearch's Maps. */
  private readonly thawed = new Map<number, ThawedFields>();
  /** Terms the packed part does not have, in a tree of MiniSearch's own. */
  private readonly extra = new SearchableMap<FieldMap>();
  /** Packed terms not deleted (their values packed or thawed). */
  private live: number;
  private fuzzy: PackedFuzzy | undefined;

  /** A value made by these terms (a term's fields or one field's documents, read in place). */
  static isView(value: unknown): boolean {
    return isView(value);
  }

  constructor(readonly packed: PackedArrays) {
    const n = packed.at.length - 1;
    this.gone = new Uint8Array(n);
    this.live = n;
  }

  /** How many terms are packed (deleted ones too). */
  get packedCount(): number {
    return this.gone.length;
  }

  /** The packed term `id`'s text. */
  termAt(id: number): string {
    return this.packed.text.slice(this.packed.at[id], this.packed.at[id + 1]);
  }

  /** The packed term with this text, or -1. */
  idOf(term: string): number {
    const p = this.packed;
    let lo = 0;
    let hi = p.sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const id = p.sorted[mid] as number;
      const d = compareTo(p, term, id);
      if (d === 0) return id;
      if (d > 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Is packed term `id` still a term (its value packed or thawed)? */
  isLive(id: number): boolean {
    return this.gone[id] === 0 || this.thawed.has(id);
  }

  /** Packed term `id`'s value, or undefined when deleted. */
  valueAt(id: number): FieldsLike | undefined {
    if (this.gone[id] === 0) return new FieldsView(this, id);
    return this.thawed.get(id);
  }

  /** The fields of packed term `id` once thawed (changed since it was packed), else undefined. */
  thawedAt(id: number): ThawedFields | undefined {
    return this.gone[id] === 0 ? undefined : this.thawed.get(id);
  }

  /**
   * Packed term `id` made changeable (once): a Map of its fields, each an edit over its packed
   * documents (DocsEdit). Copying the documents out instead cost an incremental reload of 10,000
   * cards 124 ms of main thread: a card's common words each have thousands.
   */
  thaw(id: number): ThawedFields {
    const known = this.thawedAt(id);
    if (known) return known;
    const map: ThawedFields = new Map();
    const { post } = this.packed;
    let k = this.packed.postAt[id] as number;
    const fields = post[k++] as number;
    for (let f = 0; f < fields; f++) {
      map.set(post[k] as number, new DocsEdit(post, k));
      k += 2 + 2 * docCount(post[k + 1] as number);
    }
    this.gone[id] = 1;
    this.thawed.set(id, map);
    return map;
  }

  get(term: string): FieldsLike | undefined {
    const id = this.idOf(term);
    return id >= 0 ? this.valueAt(id) : this.extra.get(term);
  }

  has(term: string): boolean {
    const id = this.idOf(term);
    return id >= 0 ? this.isLive(id) : this.extra.has(term);
  }

  fetch(term: string, initial: () => FieldMap): FieldsLike {
    const id = this.idOf(term);
    if (id < 0) return this.extra.fetch(term, initial);
    if (this.isLive(id)) return this.thaw(id);
    const map = initial();
    this.thawed.set(id, map);
    this.live++;
    return map;
  }

  set(term: string, value: FieldMap): this {
    const id = this.idOf(term);
    if (id < 0) {
      this.extra.set(term, value);
      return this;
    }
    if (!this.isLive(id)) this.live++;
    this.gone[id] = 1;
    this.thawed.set(id, value as ThawedFields);
    return this;
  }

  update(term: string, fn: (value: FieldsLike | undefined) => FieldMap): this {
    const id = this.idOf(term);
    if (id < 0) {
      this.extra.update(term, fn);
      return this;
    }
    return this.set(term, fn(this.isLive(id) ? this.thaw(id) : undefined));
  }

  delete(term: string): void {
    const id = this.idOf(term);
    if (id < 0) {
      this.extra.delete(term);
      return;
    }
    if (this.isLive(id)) this.live--;
    this.gone[id] = 1;
    this.thawed.delete(id);
  }

  clear(): void {
    this.gone.fill(1);
    this.thawed.clear();
    this.extra.clear();
    this.live = 0;
  }

  get size(): number {
    return this.live + this.extra.size;
  }

  /** Every term and its value, in the tree's order: the packed ones, then the new ones. */
  *entries(): IterableIterator<[string, FieldsLike]> {
    const n = this.gone.length;
    for (let id = 0; id < n; id++) {
      const value = this.valueAt(id);
      if (value) yield [this.termAt(id), value];
    }
    yield* this.extra.entries();
  }

  [Symbol.iterator](): IterableIterator<[string, FieldsLike]> {
    return this.entries();
  }

  *keys(): IterableIterator<string> {
    for (const [term] of this.entries()) yield term;
  }

  *values(): IterableIterator<FieldsLike> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(fn: (term: string, value: FieldsLike, map: this) => void): void {
    for (const [term, value] of this.entries()) fn(term, value, this);
  }

  /** The terms that start with `prefix` (itself too), in the tree's order. */
  atPrefix(prefix: string): PrefixTerms {
    const p = this.packed;
    // First sorted place at or after the prefix; its terms are a run from there.
    let lo = 0;
    let hi = p.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareTo(p, prefix, p.sorted[mid] as number) > 0) lo = mid + 1;
      else hi = mid;
    }
    let first = Number.MAX_SAFE_INTEGER;
    let last = -1;
    for (let k = lo; k < p.sorted.length; k++) {
      const id = p.sorted[k] as number;
      if (!startsWith(p, id, prefix)) break;
      if (id < first) first = id;
      if (id > last) last = id;
    }
    return new PrefixTerms(this, prefix, first, last, this.extra.atPrefix(prefix));
  }

  fuzzyGet(term: string, maxDistance: number): Map<string, [FieldsLike, number]> {
    this.fuzzy ??= new PackedFuzzy(this);
    const out = this.fuzzy.get(term, maxDistance);
    for (const [t, hit] of this.extra.fuzzyGet(term, maxDistance)) out.set(t, hit);
    return out;
  }

  /** Make the fuzzy lookup's tables now (a few milliseconds) rather than on first use. */
  prepareFuzzy(): void {
    this.fuzzy ??= new PackedFuzzy(this);
    this.fuzzy.prepare();
  }

  /** prepareFuzzy() a slice at a time, pausing between slices. */
  prepareFuzzyInSteps(slices: { pause(): Promise<void> }): Promise<void> {
    this.fuzzy ??= new PackedFuzzy(this);
    return this.fuzzy.prepareInSteps(slices);
  }
}
