/**
 * Reads of packed terms (packed-terms.ts) in the shapes MiniSearch reads its tree's values in:
 * a term's fields, one field's documents, a prefix's terms. Made per lookup and dropped right
 * after; a write through one copies its term out of the packed arrays first (`thaw`).
 */
import {
  type DocsLike,
  docCount,
  type FieldMap,
  type FieldsLike,
  findDoc,
  type PackedArrays,
} from './packed-arrays.js';

/** A thawed term's fields: its packed ones as DocsEdits, ones added since as Maps. */
export type ThawedFields = Map<number, DocsLike>;

/** What the views read of the packed terms. */
export interface PackedSource {
  readonly packed: PackedArrays;
  termAt(id: number): string;
  valueAt(id: number): FieldsLike | undefined;
  /** The term's fields once thawed, else undefined. */
  thawedAt(id: number): ThawedFields | undefined;
  /** Make the term changeable (once) and return its fields. */
  thaw(id: number): ThawedFields;
}

/**
 * A value made here (a term's fields or one field's documents, read in place or, once the term
 * was changed, through its edits): readable as a Map is.
 */
export function isView(value: unknown): boolean {
  return value instanceof FieldsView || value instanceof DocsView || value instanceof DocsEdit;
}

/** A prefix's terms: a run of the packed ones, then the new ones (SearchableMap's iteration). */
export class PrefixTerms {
  constructor(
    private readonly terms: PackedSource,
    private readonly prefix: string,
    private readonly first: number,
    private readonly last: number,
    private readonly extra: Iterable<[string, FieldMap]>,
  ) {}

  *entries(): IterableIterator<[string, FieldsLike]> {
    for (let id = this.first; id <= this.last; id++) {
      // The run holds only the prefix's terms when the order is a tree's; checked all the same.
      const value = this.terms.valueAt(id);
      const term = value && this.terms.termAt(id);
      if (term?.startsWith(this.prefix)) yield [term, value as FieldsLike];
    }
    yield* this.extra;
  }

  [Symbol.iterator](): IterableIterator<[string, FieldsLike]> {
    return this.entries();
  }

  *values(): IterableIterator<FieldsLike> {
    for (const [, value] of this.entries()) yield value;
  }

  *keys(): IterableIterator<string> {
    for (const [term] of this.entries()) yield term;
  }
}

/** A packed term's fields, read from the arrays until the term is thawed (then from there). */
export class FieldsView {
  constructor(
    private readonly terms: PackedSource,
    private readonly id: number,
  ) {}

  /** Where field `fieldId`'s entry starts in `post`, or -1. */
  private find(fieldId: number): number {
    const { post, postAt } = this.terms.packed;
    let k = postAt[this.id] as number;
    const fields = post[k++] as number;
    for (let f = 0; f < fields; f++) {
      if (post[k] === fieldId) return k;
      k += 2 + 2 * docCount(post[k + 1] as number);
    }
    return -1;
  }

  get(fieldId: number): DocsLike | undefined {
    const thawed = this.terms.thawedAt(this.id);
    if (thawed) return thawed.get(fieldId);
    const k = this.find(fieldId);
    return k < 0 ? undefined : new DocsView(this.terms, this.id, fieldId, k);
  }

  has(fieldId: number): boolean {
    const thawed = this.terms.thawedAt(this.id);
    return thawed ? thawed.has(fieldId) : this.find(fieldId) >= 0;
  }

  get size(): number {
    const thawed = this.terms.thawedAt(this.id);
    if (thawed) return thawed.size;
    return this.terms.packed.post[this.terms.packed.postAt[this.id] as number] as number;
  }

  set(fieldId: number, docs: Map<number, number>): this {
    this.terms.thaw(this.id).set(fieldId, docs);
    return this;
  }

  delete(fieldId: number): boolean {
    return this.terms.thaw(this.id).delete(fieldId);
  }

  *entries(): IterableIterator<[number, DocsLike]> {
    const thawed = this.terms.thawedAt(this.id);
    if (thawed) {
      yield* thawed.entries();
      return;
    }
    const { post, postAt } = this.terms.packed;
    let k = postAt[this.id] as number;
    const fields = post[k++] as number;
    for (let f = 0; f < fields; f++) {
      yield [post[k] as number, new DocsView(this.terms, this.id, post[k] as number, k)];
      k += 2 + 2 * docCount(post[k + 1] as number);
    }
  }

  [Symbol.iterator](): IterableIterator<[number, DocsLike]> {
    return this.entries();
  }

  *keys(): IterableIterator<number> {
    for (const [fieldId] of this.entries()) yield fieldId;
  }

  *values(): IterableIterator<DocsLike> {
    for (const [, docs] of this.entries()) yield docs;
  }
}

/**
 * One field's documents of a packed term: document id -> frequency, in the order indexed. A
 * lookup right after the key iteration yielded finds it where the iteration is (MiniSearch
 * reads a document's frequency so); documents in ascending order are found by bisection.
 */
export class DocsView {
  /** Pair index of the last document found or yielded. */
  private hint = 0;

  constructor(
    private readonly terms: PackedSource,
    private readonly id: number,
    private readonly fieldId: number,
    /** Where the field's entry (id, count, pairs) starts in `post`. */
    private readonly at: number,
  ) {}

  private thawed(): DocsLike | undefined {
    return this.terms.thawedAt(this.id)?.get(this.fieldId) ?? undefined;
  }

  /** Whether the term was thawed since this view was made (then the Maps answer). */
  private get isThawed(): boolean {
    return this.terms.thawedAt(this.id) !== undefined;
  }

  get size(): number {
    if (this.isThawed) return this.thawed()?.size ?? 0;
    return docCount(this.terms.packed.post[this.at + 1] as number);
  }

  /** Pair index of document `doc`, or -1. */
  private find(doc: number): number {
    const i = findDoc(this.terms.packed.post, this.at, doc, this.hint);
    if (i >= 0) this.hint = i;
    return i;
  }

  get(doc: number): number | undefined {
    if (this.isThawed) return this.thawed()?.get(doc);
    const i = this.find(doc);
    return i < 0 ? undefined : (this.terms.packed.post[this.at + 3 + 2 * i] as number);
  }

  has(doc: number): boolean {
    if (this.isThawed) return this.thawed()?.has(doc) ?? false;
    return this.find(doc) >= 0;
  }

  set(doc: number, freq: number): this {
    this.writable().set(doc, freq);
    return this;
  }

  delete(doc: number): boolean {
    return this.writable().delete(doc);
  }

  private writable(): DocsLike {
    const fields = this.terms.thaw(this.id);
    let docs = fields.get(this.fieldId);
    if (!docs) {
      docs = new Map<number, number>();
      fields.set(this.fieldId, docs);
    }
    return docs;
  }

  *entries(): IterableIterator<[number, number]> {
    for (const doc of this.keys()) yield [doc, this.get(doc) as number];
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }

  *keys(): IterableIterator<number> {
    if (this.isThawed) {
      yield* this.thawed()?.keys() ?? [];
      return;
    }
    const post = this.terms.packed.post;
    const n = docCount(post[this.at + 1] as number);
    for (let i = 0; i < n; i++) {
      // A change to the term during the iteration: the rest from the Maps, as a Map goes on.
      if (this.isThawed) {
        const rest = [...(this.thawed()?.keys() ?? [])];
        const at = rest.indexOf(post[this.at + 2 + 2 * (i - 1)] as number);
        yield* rest.slice(at + 1);
        return;
      }
      this.hint = i;
      yield post[this.at + 2 + 2 * i] as number;
    }
  }

  *values(): IterableIterator<number> {
    for (const [, freq] of this.entries()) yield freq;
  }
}

/**
 * A thawed term's field: its packed documents with the changes made since, read and changed as
 * a Map would be (a changed frequency keeps its place; a document added, or added again after
 * it was deleted, comes after the others), without copying the packed ones out.
 */
export class DocsEdit implements DocsLike {
  /** Packed documents deleted. */
  private removed: Set<number> | undefined;
  /** Packed documents whose frequency changed. */
  private freqs: Map<number, number> | undefined;
  /** Documents added since, in order. */
  private readonly appended = new Map<number, number>();
  private hint = 0;

  constructor(
    private readonly post: Int32Array,
    /** Where the field's entry (id, count, pairs) starts in `post`. */
    private readonly at: number,
  ) {}

  private get packedCount(): number {
    return docCount(this.post[this.at + 1] as number);
  }

  /** Pair index of packed document `doc`, or -1 (deleted ones too). */
  private packedIndex(doc: number): number {
    return findDoc(this.post, this.at, doc, this.hint);
  }

  /** Is packed document `doc` still there? */
  private kept(doc: number): boolean {
    return this.packedIndex(doc) >= 0 && !this.removed?.has(doc);
  }

  get size(): number {
    return this.packedCount - (this.removed?.size ?? 0) + this.appended.size;
  }

  get(doc: number): number | undefined {
    const added = this.appended.get(doc);
    if (added !== undefined) return added;
    const i = this.packedIndex(doc);
    if (i < 0 || this.removed?.has(doc)) return undefined;
    return this.freqs?.get(doc) ?? (this.post[this.at + 3 + 2 * i] as number);
  }

  has(doc: number): boolean {
    return this.get(doc) !== undefined;
  }

  set(doc: number, freq: number): this {
    if (!this.appended.has(doc) && this.kept(doc)) {
      this.freqs ??= new Map();
      this.freqs.set(doc, freq);
    } else this.appended.set(doc, freq);
    return this;
  }

  delete(doc: number): boolean {
    if (this.appended.delete(doc)) return true;
    if (!this.kept(doc)) return false;
    this.removed ??= new Set();
    this.removed.add(doc);
    this.freqs?.delete(doc);
    return true;
  }

  *keys(): IterableIterator<number> {
    const n = this.packedCount;
    for (let i = 0; i < n; i++) {
      const doc = this.post[this.at + 2 + 2 * i] as number;
      if (this.removed?.has(doc)) continue;
      this.hint = i;
      yield doc;
    }
    yield* this.appended.keys();
  }

  *entries(): IterableIterator<[number, number]> {
    for (const doc of this.keys()) yield [doc, this.get(doc) as number];
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }

  *values(): IterableIterator<number> {
    for (const [, freq] of this.entries()) yield freq;
  }
}
