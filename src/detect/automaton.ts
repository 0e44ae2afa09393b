import {
  ALNUM_BIT,
  type Alphabet,
  codePointAt,
  codePointStartBefore,
  SYM_BOUND,
  SYM_MASK,
  SYM_SEP,
  SYM_SLOW,
} from './alphabet.js';

/**
 * One key to find: its symbols, the positions before which a separator may be written or not
 * (`optional`), and those before which one must be (`required`). Several separators in a row
 * count as one.
 */
export interface Pattern {
  symbols: readonly number[];
  optional: readonly number[];
  required: readonly number[];
  key: number;
}

const ROOT = 0;
/** Inside a word that no alias can start in: nothing matches until the next non-letter. */
const DEAD = 1;
/** Table entry for SYM_SLOW: the scanner must normalize the character itself. */
const SLOW = -1;
/** Texts at least this long are scanned in four parts at once. */
const LOCKSTEP_MIN = 4096;
/** How far past a quarter point to look for a place to cut. */
const CUT_WINDOW = 1024;

/**
 * An Aho-Corasick automaton, compiled to a dense DFA, that only lets a match start after a
 * character that is not a letter or digit (or at the start of the text).
 *
 * States are trie nodes over the alphabet's symbols. The failure of a node is its longest
 * proper suffix that starts right after a non-letter symbol and is itself a node; DEAD when
 * there is none and the node ends inside a word. A node ending in a separator loops on more
 * separators, so "APT - 21" is "APT 21".
 *
 * The table holds premultiplied row offsets (state * width), so the scan does one load per
 * character for the symbol and one for the next state; states with matches are stored as
 * ~offset (negative), so the scan's only test per character is `next >= 0`.
 */
export class Automaton {
  readonly width: number;
  readonly delta: Int32Array;
  readonly nodeCount: number;
  /** The key a node ends, or -1. */
  private readonly ownKey: Int32Array;
  /** The nearest failure ancestor that ends a key (dictionary suffix link), or -1. */
  private readonly dictLink: Int32Array;

  constructor(
    readonly alphabet: Alphabet,
    patterns: readonly Pattern[],
  ) {
    const K = alphabet.size;
    const { alnum } = alphabet;
    this.width = K;

    // The trie, as first-child / next-sibling lists in flat arrays (no per-node objects).
    let capacity = 4096;
    let firstChild = new Int32Array(capacity).fill(-1);
    let nextSibling = new Int32Array(capacity).fill(-1);
    let symbolOf = new Int32Array(capacity).fill(-1);
    let ownKey = new Int32Array(capacity).fill(-1);
    const grow = (a: Int32Array) => {
      const b = new Int32Array(capacity).fill(-1);
      b.set(a);
      return b;
    };
    let count = 2;
    const step = (v: number, sym: number): number => {
      let c = firstChild[v]!;
      while (c >= 0 && symbolOf[c] !== sym) c = nextSibling[c]!;
      if (c >= 0) return c;
      if (count === capacity) {
        capacity *= 2;
        firstChild = grow(firstChild);
        nextSibling = grow(nextSibling);
        symbolOf = grow(symbolOf);
        ownKey = grow(ownKey);
      }
      c = count++;
      symbolOf[c] = sym;
      nextSibling[c] = firstChild[v]!;
      firstChild[v] = c;
      return c;
    };
    for (const p of patterns) {
      const { symbols, optional, required, key } = p;
      // Every spelling shares the trie path of its prefix: walk it once per branch.
      const insert = (v: number, i: number): void => {
        for (; i < symbols.length; i++) {
          if (optional.includes(i)) {
            insert(step(step(v, SYM_SEP), symbols[i]!), i + 1);
          } else if (required.includes(i)) v = step(v, SYM_SEP);
          v = step(v, symbols[i]!);
        }
        ownKey[v] = key;
      };
      insert(ROOT, 0);
    }
    this.nodeCount = count;

    // Transitions, breadth first, encoded as they are written: a node's row starts as a copy
    // of its failure's row (complete already: failures are shallower), then its own edges.
    const delta = new Int32Array(count * K);
    const fail = new Int32Array(count);
    const dictLink = new Int32Array(count).fill(-1);
    const queue = new Int32Array(count);
    let tail = 0;
    const encode = (node: number) =>
      ownKey[node]! >= 0 || dictLink[node]! >= 0 ? ~(node * K) : node * K;
    const decode = (t: number) => (t >= 0 ? t : ~t) / K;
    for (let a = 0; a < K; a++) delta[a] = a === SYM_SLOW ? SLOW : (alnum[a] ? DEAD : ROOT) * K;
    for (let c = firstChild[ROOT]!; c >= 0; c = nextSibling[c]!) {
      const a = symbolOf[c]!;
      fail[c] = alnum[a] ? DEAD : ROOT;
      delta[a] = encode(c);
      queue[tail++] = c;
    }
    for (let a = 0; a < K; a++) delta[DEAD * K + a] = alnum[a] ? DEAD * K : delta[a]!;
    for (let head = 0; head < tail; head++) {
      const v = queue[head]!;
      const f = fail[v]!;
      const row = v * K;
      delta.copyWithin(row, f * K, f * K + K);
      if (symbolOf[v] === SYM_SEP) delta[row + SYM_SEP] = row; // separators run on
      for (let c = firstChild[v]!; c >= 0; c = nextSibling[c]!) {
        const a = symbolOf[c]!;
        const fc = decode(delta[f * K + a]!);
        fail[c] = fc;
        dictLink[c] = ownKey[fc]! >= 0 ? fc : dictLink[fc]!;
        delta[row + a] = encode(c);
        queue[tail++] = c;
      }
    }
    this.delta = delta;
    this.ownKey = ownKey.slice(0, count);
    this.dictLink = dictLink;
  }

  /** The keys that end at a state reported by `scan` (its own, then its suffixes'). */
  keysAt(state: number): readonly number[] {
    const node = state / this.width;
    let out = this.keysCache.get(node);
    if (!out) {
      out = [];
      let n = this.ownKey[node]! >= 0 ? node : this.dictLink[node]!;
      for (; n >= 0; n = this.dictLink[n]!) out.push(this.ownKey[n]!);
      this.keysCache.set(node, out);
    }
    return out;
  }

  private readonly keysCache = new Map<number, number[]>();

  /**
   * Scan `text` once. For each place where some key ends and the next character is not a
   * letter or digit, push (state, end) onto `hits`, in no particular order. Starts are found
   * afterwards (`startOf`).
   *
   * A long text is cut in four after punctuation that no alias contains (after such a
   * character the automaton is always at the root, so no match crosses a cut) and the four
   * parts are scanned in lockstep: four independent state chains keep the processor busy
   * where one chain waits on each load.
   */
  scan(text: string, hits: number[]): void {
    const n = text.length;
    if (n >= LOCKSTEP_MIN) {
      const a = this.cutAfter(text, n >> 2);
      const b = this.cutAfter(text, n >> 1);
      const c = this.cutAfter(text, (n >> 1) + (n >> 2));
      if (a > 0 && a < b && b < c && c < n) {
        this.scan4(text, hits, a, b, c);
        return;
      }
    }
    this.scanRange(text, 0, n, ROOT, hits);
  }

  /** Just after the first character at or past `from` that always leads back to the root. */
  private cutAfter(text: string, from: number): number {
    const { table } = this.alphabet;
    const end = Math.min(text.length - 1, from + CUT_WINDOW);
    for (let i = from; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < 128 && (table[c]! & SYM_MASK) === SYM_BOUND) return i + 1;
    }
    return -1;
  }

  /** Scan text[from, to) starting in state `st`; returns the state at `to`. */
  private scanRange(text: string, from: number, to: number, st: number, hits: number[]): number {
    const { delta } = this;
    const { table } = this.alphabet;
    let i = from;
    while (i < to) {
      // The hot loop: two loads per character, one test. Everything else is out of line.
      let next = 0;
      for (; i < to; i++) {
        next = delta[st + (table[text.charCodeAt(i)]! & SYM_MASK)]!;
        if (next < 0) break;
        st = next;
      }
      if (i >= to) break;
      i = this.rare(text, i, st, next, hits);
      st = this.slowState;
    }
    return st;
  }

  /** Four parts, [0, a), [a, b), [b, c), [c, n), in lockstep until the shortest is done. */
  private scan4(text: string, hits: number[], a: number, b: number, c: number): void {
    const { delta } = this;
    const { table } = this.alphabet;
    const n = text.length;
    let i0 = 0;
    let i1 = a;
    let i2 = b;
    let i3 = c;
    let s0 = ROOT;
    let s1 = ROOT;
    let s2 = ROOT;
    let s3 = ROOT;
    for (;;) {
      const m = Math.min(a - i0, b - i1, c - i2, n - i3);
      if (m <= 0) break;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      let k = 0;
      for (; k < m; k++) {
        t0 = delta[s0 + (table[text.charCodeAt(i0 + k)]! & SYM_MASK)]!;
        t1 = delta[s1 + (table[text.charCodeAt(i1 + k)]! & SYM_MASK)]!;
        t2 = delta[s2 + (table[text.charCodeAt(i2 + k)]! & SYM_MASK)]!;
        t3 = delta[s3 + (table[text.charCodeAt(i3 + k)]! & SYM_MASK)]!;
        if ((t0 | t1 | t2 | t3) < 0) break;
        s0 = t0;
        s1 = t1;
        s2 = t2;
        s3 = t3;
      }
      i0 += k;
      i1 += k;
      i2 += k;
      i3 += k;
      if (k === m) continue;
      // Step k needs attention in at least one part: take that step part by part.
      i0 = this.rare(text, i0, s0, t0, hits);
      s0 = this.slowState;
      i1 = this.rare(text, i1, s1, t1, hits);
      s1 = this.slowState;
      i2 = this.rare(text, i2, s2, t2, hits);
      s2 = this.slowState;
      i3 = this.rare(text, i3, s3, t3, hits);
      s3 = this.slowState;
    }
    this.scanRange(text, i0, a, s0, hits);
    this.scanRange(text, i1, b, s1, hits);
    this.scanRange(text, i2, c, s2, hits);
    this.scanRange(text, i3, n, s3, hits);
  }

  /**
   * Take the step at `i` whose table entry is `next` from state `st`: a plain move, a match
   * end (pushed when the next character is not a letter or digit), or a character to
   * normalize first. Returns the index after it; the new state is left in `slowState`.
   */
  private rare(text: string, i: number, st: number, next: number, hits: number[]): number {
    if (next >= 0) {
      this.slowState = next;
      return i + 1;
    }
    if (next !== SLOW) {
      this.slowState = ~next;
      if (this.boundaryAt(text, i + 1)) hits.push(~next, i + 1);
      return i + 1;
    }
    this.slowState = st;
    return this.slowChar(text, i, hits);
  }

  /** The state going into and coming out of `slowChar` (scratch: scanning is synchronous). */
  private slowState = ROOT;

  /**
   * A character the table does not know (non-ASCII seen for the first time, a surrogate pair,
   * an ignorable, "ﬁ"): normalize it and feed its symbols. Returns the index after it; the
   * state is left in `slowState`.
   */
  private slowChar(text: string, i: number, hits: number[]): number {
    const { delta, alphabet } = this;
    const cp = codePointAt(text, i);
    const len = cp > 0xffff ? 2 : 1;
    const syms = alphabet.symbolsOf(cp);
    let st = this.slowState;
    for (let k = 0; k < syms.length; k++) {
      const to = delta[st + syms[k]!]!;
      if (to >= 0) {
        st = to;
        continue;
      }
      st = ~to;
      const ends =
        k + 1 < syms.length ? alphabet.alnum[syms[k + 1]!] === 0 : this.boundaryAt(text, i + len);
      if (ends) hits.push(st, i + len);
    }
    this.slowState = st;
    return i + len;
  }

  /** Is there no letter or digit at `j` (ignorables skipped)? */
  private boundaryAt(text: string, j: number): boolean {
    const { table, alnum } = this.alphabet;
    while (j < text.length) {
      const t = table[text.charCodeAt(j)]!;
      if (t !== SYM_SLOW) return (t & ALNUM_BIT) === 0;
      const cp = codePointAt(text, j);
      const syms = this.alphabet.symbolsOf(cp);
      if (syms.length > 0) return alnum[syms[0]!] === 0;
      j += cp > 0xffff ? 2 : 1;
    }
    return true;
  }

  /** Where a key of `length` compact characters that ends at `end` starts (separators skipped). */
  startOf(text: string, end: number, length: number): number {
    const { table } = this.alphabet;
    let count = 0;
    let j = end;
    while (j > 0 && count < length) {
      const t = table[text.charCodeAt(j - 1)]!;
      if (t !== SYM_SLOW) {
        if ((t & SYM_MASK) !== SYM_SEP) count++;
        j--;
        continue;
      }
      const s = codePointStartBefore(text, j);
      for (const x of this.alphabet.symbolsOf(codePointAt(text, s))) if (x !== SYM_SEP) count++;
      j = s;
    }
    return j;
  }
}
