import {
  ALNUM_BIT,
  type Alphabet,
  codePointAt,
  codePointStartBefore,
  SYM_MASK,
  SYM_SEP,
  SYM_SLOW,
} from './alphabet.js';

/** One spelling to find: symbols (SYM_SEP where a separator is written) and the key it spells. */
export interface Pattern {
  symbols: readonly number[];
  key: number;
}

const ROOT = 0;
/** Inside a word that no alias can start in: nothing matches until the next non-letter. */
const DEAD = 1;
/** Table entry for SYM_SLOW: the scanner must normalize the character itself. */
const SLOW = -1;

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
  /** Keys ending at each node (its own and its suffixes'), by node number. */
  private readonly outputs: (readonly number[] | undefined)[];

  constructor(
    readonly alphabet: Alphabet,
    patterns: readonly Pattern[],
  ) {
    const K = alphabet.size;
    const { alnum } = alphabet;
    this.width = K;

    // The trie: a map for inserting, a child list per node for the breadth-first pass.
    const slots = new Map<number, number>();
    const childSyms: number[][] = [[], []];
    const childNodes: number[][] = [[], []];
    const lastSymbol: number[] = [-1, -1];
    const own: (number[] | undefined)[] = [undefined, undefined];
    let count = 2;
    for (const p of patterns) {
      let v = ROOT;
      for (const sym of p.symbols) {
        const slot = v * K + sym;
        let c = slots.get(slot);
        if (c === undefined) {
          c = count++;
          slots.set(slot, c);
          childSyms[v]!.push(sym);
          childNodes[v]!.push(c);
          childSyms.push([]);
          childNodes.push([]);
          lastSymbol.push(sym);
          own.push(undefined);
        }
        v = c;
      }
      const keys = own[v] ?? [];
      if (!keys.includes(p.key)) keys.push(p.key);
      own[v] = keys;
    }
    this.nodeCount = count;

    // Transitions (node numbers for now), breadth first. A node's row starts as a copy of its
    // failure's row (already complete: failures are shallower), then its own edges go in.
    const delta = new Int32Array(count * K);
    const fail = new Int32Array(count);
    const outputs: (readonly number[] | undefined)[] = new Array(count).fill(undefined);
    const queue: number[] = [];
    for (let a = 0; a < K; a++) delta[a] = a === SYM_SLOW ? SLOW : alnum[a] ? DEAD : ROOT;
    for (let a = 0; a < K; a++) delta[DEAD * K + a] = alnum[a] ? DEAD : delta[a]!;
    const rootSyms = childSyms[ROOT]!;
    const rootNodes = childNodes[ROOT]!;
    for (let k = 0; k < rootSyms.length; k++) {
      const a = rootSyms[k]!;
      const c = rootNodes[k]!;
      fail[c] = alnum[a] ? DEAD : ROOT;
      delta[a] = c;
      if (!alnum[a]) delta[DEAD * K + a] = c;
      queue.push(c);
    }
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q]!;
      const f = fail[v]!;
      const mine = own[v];
      const inherited = outputs[f];
      outputs[v] =
        mine && inherited
          ? [...mine, ...inherited.filter((k) => !mine.includes(k))]
          : (mine ?? inherited);
      const row = v * K;
      delta.copyWithin(row, f * K, f * K + K);
      if (lastSymbol[v] === SYM_SEP) delta[row + SYM_SEP] = v;
      const syms = childSyms[v]!;
      const nodes = childNodes[v]!;
      for (let k = 0; k < syms.length; k++) {
        const a = syms[k]!;
        const c = nodes[k]!;
        fail[c] = delta[f * K + a]!;
        delta[row + a] = c;
        queue.push(c);
      }
    }

    // Premultiply; mark states that end a match.
    for (let i = 0; i < delta.length; i++) {
      const t = delta[i]!;
      if (t >= 0) delta[i] = outputs[t] ? ~(t * K) : t * K;
    }
    this.delta = delta;
    this.outputs = outputs;
  }

  /** The keys that end at a state reported by `scan`. */
  keysAt(state: number): readonly number[] {
    return this.outputs[state / this.width] ?? [];
  }

  /**
   * Scan `text` once. For each place where some key ends and the next character is not a
   * letter or digit, push (state, end) onto `hits`. Starts are found afterwards (`startOf`).
   */
  scan(text: string, hits: number[]): void {
    const { delta } = this;
    const { table } = this.alphabet;
    const n = text.length;
    let st = ROOT;
    let i = 0;
    while (i < n) {
      // The hot loop: two loads per character, one test. Everything else is out of line.
      let next = 0;
      for (; i < n; i++) {
        next = delta[st + (table[text.charCodeAt(i)]! & SYM_MASK)]!;
        if (next < 0) break;
        st = next;
      }
      if (i >= n) return;
      if (next !== SLOW) {
        st = ~next;
        if (this.boundaryAt(text, i + 1)) hits.push(st, i + 1);
        i++;
      } else {
        this.slowState = st;
        i = this.slowChar(text, i, hits);
        st = this.slowState;
      }
    }
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
