/**
 * The arrays packed-terms.ts keeps a MiniSearch index's terms and postings in, how they are
 * made (at once from a tree, or a term at a time from a cache's lines) and read.
 */

/** A term's postings as MiniSearch keeps them: field id -> (document id -> frequency). */
export type FieldMap = Map<number, Map<number, number>>;

/** One field's documents of a term, as read: document id -> frequency (a Map, or a view). */
export interface DocsLike extends Iterable<[number, number]> {
  readonly size: number;
  get(doc: number): number | undefined;
  has(doc: number): boolean;
  set(doc: number, freq: number): unknown;
  delete(doc: number): boolean;
  keys(): IterableIterator<number>;
  values(): IterableIterator<number>;
  entries(): IterableIterator<[number, number]>;
}

/** A term's value, as read: field id -> its documents (a FieldMap, or a view of packed postings). */
export interface FieldsLike extends Iterable<[number, DocsLike]> {
  readonly size: number;
  get(fieldId: number): DocsLike | undefined;
  has(fieldId: number): boolean;
  set(fieldId: number, docs: Map<number, number>): unknown;
  delete(fieldId: number): boolean;
  keys(): IterableIterator<number>;
  values(): IterableIterator<DocsLike>;
  entries(): IterableIterator<[number, DocsLike]>;
}

/**
 * The packed arrays. Term i is text.slice(at[i], at[i + 1]); its postings start at post[postAt[i]]:
 * the number of fields, then per field its id, its document count (bitwise not when the
 * documents are not in ascending order), then document id and frequency per document.
 * `sorted` lists the term ids in code-unit order of their text.
 */
export interface PackedArrays {
  text: string;
  at: Int32Array;
  post: Int32Array;
  postAt: Int32Array;
  sorted: Int32Array;
}

/** Compare `term` with term `id` of `p`, in code-unit order. */
export function compareTo(p: PackedArrays, term: string, id: number): number {
  const from = p.at[id] as number;
  const length = (p.at[id + 1] as number) - from;
  const n = Math.min(term.length, length);
  for (let k = 0; k < n; k++) {
    const d = term.charCodeAt(k) - p.text.charCodeAt(from + k);
    if (d !== 0) return d;
  }
  return term.length - length;
}

/** Does term `id` start with `prefix`? */
export function startsWith(p: PackedArrays, id: number, prefix: string): boolean {
  const from = p.at[id] as number;
  if ((p.at[id + 1] as number) - from < prefix.length) return false;
  return p.text.startsWith(prefix, from);
}

/** Pack terms (in the order given) with their postings. */
export function packEntries(
  entries: Iterable<[string, Iterable<[number, Iterable<[number, number]>]>]>,
): PackedArrays {
  const builder = new PackedBuilder();
  for (const [term, fields] of entries) builder.add(term, flatPostings(fields));
  return builder.finish();
}

/** A term's postings as packed (see PackedArrays), fields by id. */
export function flatPostings(fields: Iterable<[number, Iterable<[number, number]>]>): number[] {
  const sorted = [...fields].sort((a, b) => a[0] - b[0]);
  const out: number[] = [sorted.length];
  for (const [fieldId, docs] of sorted) {
    const pairs: number[] = [];
    let ascending = true;
    for (const [doc, freq] of docs) {
      if (pairs.length > 0 && doc <= (pairs[pairs.length - 2] as number)) ascending = false;
      pairs.push(doc, freq);
    }
    out.push(fieldId, ascending ? pairs.length / 2 : ~(pairs.length / 2));
    for (const x of pairs) out.push(x);
  }
  return out;
}

/** Packed arrays made a term at a time (a cache's lines are read so, index-json.ts). */
export class PackedBuilder {
  private readonly terms: string[] = [];
  private at: Int32Array;
  private postAt: Int32Array;
  private post: Int32Array;
  private postLength = 0;
  private sorted: Int32Array | undefined;
  private sortedLength = 0;

  /**
   * `sizes`: the term count and postings length when known (a cache's head says them): the
   * arrays are made once at their size. Growing them by doubling made several large buffers in
   * a row, and V8 answers fast-growing off-heap memory with full collections, which stalled
   * queries for 100-200 ms while a 10,000-card index was taken in.
   */
  constructor(sizes?: { terms: number; post: number }) {
    const terms = Math.max(1, sizes?.terms ?? 1024);
    this.at = new Int32Array(terms + 1);
    this.postAt = new Int32Array(terms + 1);
    this.post = new Int32Array(Math.max(1, sizes?.post ?? 16384));
  }

  get count(): number {
    return this.terms.length;
  }

  /** The next term and its postings as packed (postings[from, to)). */
  add(term: string, postings: readonly number[], from = 0, to = postings.length): void {
    const i = this.terms.length;
    if (i + 2 > this.at.length) {
      this.at = grown(this.at, this.at.length * 2);
      this.postAt = grown(this.postAt, this.postAt.length * 2);
    }
    this.terms.push(term);
    this.at[i + 1] = (this.at[i] as number) + term.length;
    const length = to - from;
    if (this.postLength + length > this.post.length)
      this.post = grown(this.post, Math.max(this.post.length * 2, this.postLength + length));
    // Copied from the line's array where they are: no array per term.
    const { post } = this;
    for (let k = 0; k < length; k++) post[this.postLength + k] = postings[from + k] as number;
    this.postLength += length;
    this.postAt[i + 1] = this.postLength;
  }

  /** Part of the sorted order, as saved (else finish() sorts). */
  /**
   * Part of the sorted order, as saved (else finish() sorts), checked as it comes (a lookup
   * would miss terms in a wrong order): every term once, each after the one before it. After
   * every term: the check is spread over the lines that bring the order, not left to finish().
   */
  addSorted(ids: readonly number[]): void {
    const { terms } = this;
    this.sorted ??= new Int32Array(terms.length);
    this.seen ??= new Uint8Array(terms.length);
    const { sorted, seen } = this;
    if (this.sortedLength + ids.length > sorted.length) throw new Error('bad sorted order');
    for (const id of ids) {
      if (!(id >= 0 && id < terms.length) || seen[id]) throw new Error('bad sorted order');
      seen[id] = 1;
      const at = this.sortedLength;
      if (at > 0 && (terms[sorted[at - 1] as number] as string) >= (terms[id] as string))
        throw new Error('bad sorted order');
      sorted[at] = id;
      this.sortedLength = at + 1;
    }
  }

  private seen: Uint8Array | undefined;

  finish(): PackedArrays {
    const n = this.terms.length;
    // Made at their size (a cache's head said it): kept as they are, not copied.
    const trimmed = (a: Int32Array, length: number) =>
      a.length === length ? a : a.slice(0, length);
    const p: PackedArrays = {
      text: this.terms.join(''),
      at: trimmed(this.at, n + 1),
      post: trimmed(this.post, this.postLength),
      postAt: trimmed(this.postAt, n + 1),
      sorted: new Int32Array(0),
    };
    if (this.sorted) {
      if (this.sortedLength !== n) throw new Error('bad sorted order');
      p.sorted = this.sorted;
    } else {
      const terms = this.terms;
      const ids = Array.from({ length: n }, (_, i) => i);
      ids.sort((a, b) => {
        const x = terms[a] as string;
        const y = terms[b] as string;
        return x < y ? -1 : x > y ? 1 : 0;
      });
      p.sorted = Int32Array.from(ids);
    }
    return p;
  }
}

function grown(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/**
 * Pair index of document `doc` in the field entry at `post[at]` (id, count, pairs), or -1:
 * first where `hint` says (MiniSearch reads a document's frequency right after its key), then
 * by bisection when the documents are ascending, else one by one.
 */
export function findDoc(post: Int32Array, at: number, doc: number, hint: number): number {
  const raw = post[at + 1] as number;
  const n = docCount(raw);
  const base = at + 2;
  if (hint < n && post[base + 2 * hint] === doc) return hint;
  if (raw >= 0) {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = post[base + 2 * mid] as number;
      if (d === doc) return mid;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  for (let i = 0; i < n; i++) if (post[base + 2 * i] === doc) return i;
  return -1;
}

/** The document count as packed: bitwise not when the documents are not ascending. */
export function docCount(packed: number): number {
  return packed < 0 ? ~packed : packed;
}
