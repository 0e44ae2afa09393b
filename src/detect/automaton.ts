import { endianness } from 'node:os';
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
/**
 * SYM_MASK as this module's own constant: the optimizing compiler folds a module constant into
 * the hot loops, but loads an imported one at every step (the scan measured about 6% slower).
 */
const MASK = SYM_MASK;
/** Inside a word that no alias can start in: nothing matches until the next non-letter. */
const DEAD = 1;
/**
 * Table entry for SYM_SLOW (the scanner must normalize the character itself); entries below it
 * enter a deep state (SLOW - 1 - state). One test, `entry <= SLOW`, sends both out of line.
 * Matches are ~offset, above SLOW: offsets stay below 2^30.
 */
const SLOW = -(1 << 30);
/**
 * States past this many (the deepest first) get no dense row. 10,000 cards' aliases made
 * 187,697 states, 27.8 MB of rows at 37 symbols, almost all of them deep in one alias's tail,
 * which ordinary text never reaches; the rows of the first depths are where a scan spends its
 * time. A catalog of up to this many states (the public catalogs) is dense throughout.
 */
export const DENSE_STATES = 1 << 15;
/** Windows at least this long are scanned in four parts at once. */
const LOCKSTEP_MIN = 4096;
/** Code units copied out of the text and scanned at a time (32 KB of scratch). */
export const SCAN_WINDOW = 16384;
const BIG_ENDIAN = endianness() === 'BE';
/**
 * Scratch for long texts, shared by every automaton (scanning is synchronous): one window's
 * code units, and `scan4`'s notes of match ends (five numbers per step at most). Module
 * constants on purpose: the optimizing compiler then knows their type and length, and the hot
 * loops check nothing about them per step (as fields or parameters, about 25% slower).
 */
const UNITS = new Uint16Array(SCAN_WINDOW);
const UNIT_BYTES = Buffer.from(UNITS.buffer, UNITS.byteOffset, UNITS.byteLength);
const ENDS = new Int32Array(5 * (SCAN_WINDOW >> 2));
/** How far past a quarter point to look for a place to cut. */
const CUT_WINDOW = 1024;

/**
 * What an automaton is made of: plain typed arrays, so they can be saved or transferred. States
 * are numbered breadth first (root, DEAD, then by depth); the first `denseCount` have a dense
 * row, the others (deep states) their trie children only.
 */
export interface AutomatonTables {
  width: number;
  nodeCount: number;
  denseCount: number;
  /** denseCount * width premultiplied transitions (see Automaton). */
  delta: Int32Array;
  /** The key a node ends, or -1. */
  ownKey: Int32Array;
  /** Per dense state, the nearest failure ancestor that ends a key, or -1. */
  dictLink: Int32Array;
  /** Per deep state (from denseCount on), its failure state. */
  deepFail: Int32Array;
  /** Per deep state, where its children start in deepChildren (one more at the end). */
  deepChildAt: Int32Array;
  /** Symbol and child state per child (a separator state's own loop on separators included). */
  deepChildren: Int32Array;
}

function isTables(source: readonly Pattern[] | AutomatonTables): source is AutomatonTables {
  return !Array.isArray(source);
}

/** The trie of `patterns`, as first-child / next-sibling lists in flat arrays (no per-node objects). */
interface Trie {
  count: number;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  symbolOf: Int32Array;
  ownKey: Int32Array;
}

function trieOf(patterns: readonly Pattern[]): Trie {
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
  return { count, firstChild, nextSibling, symbolOf, ownKey };
}

/**
 * The trie renumbered breadth first (ROOT and DEAD first, then by depth), and how many states
 * of the first depths fit in `denseStates` (the whole of the last depth or none of it).
 */
function breadthFirst(trie: Trie, denseStates: number): { trie: Trie; denseCount: number } {
  const { count } = trie;
  const order = new Int32Array(count);
  const depth = new Int32Array(count);
  order[0] = ROOT;
  order[1] = DEAD;
  let tail = 2;
  for (let head = 0; head < tail; head++) {
    const v = order[head]!;
    if (v === DEAD) continue;
    for (let c = trie.firstChild[v]!; c >= 0; c = trie.nextSibling[c]!) {
      depth[c] = depth[v]! + 1;
      order[tail++] = c;
    }
  }
  const id = new Int32Array(count);
  for (let i = 0; i < count; i++) id[order[i]!] = i;
  const renumbered: Trie = {
    count,
    firstChild: new Int32Array(count).fill(-1),
    nextSibling: new Int32Array(count).fill(-1),
    symbolOf: new Int32Array(count).fill(-1),
    ownKey: new Int32Array(count).fill(-1),
  };
  for (let old = 0; old < count; old++) {
    const v = id[old]!;
    const c = trie.firstChild[old]!;
    const s = trie.nextSibling[old]!;
    renumbered.firstChild[v] = c >= 0 ? id[c]! : -1;
    renumbered.nextSibling[v] = s >= 0 ? id[s]! : -1;
    renumbered.symbolOf[v] = trie.symbolOf[old]!;
    renumbered.ownKey[v] = trie.ownKey[old]!;
  }
  // The deepest whole depth that fits, the root's children at least (breadth first, each
  // depth's states are one run: [0, i) is whole depths where the depth changes at i).
  let denseCount = count;
  if (count > denseStates) {
    denseCount = 0;
    for (let i = 3; i <= count; i++) {
      if (i < count && depth[order[i]!] === depth[order[i - 1]!]) continue;
      if (i > denseStates && denseCount > 0) break;
      denseCount = i;
    }
  }
  return { trie: renumbered, denseCount };
}

/** Build the trie of `patterns` and compile it to the scanner's tables. */
function compile(
  alphabet: Alphabet,
  patterns: readonly Pattern[],
  denseStates: number,
): AutomatonTables {
  const K = alphabet.size;
  const { alnum } = alphabet;
  const { trie, denseCount: m } = breadthFirst(trieOf(patterns), denseStates);
  const { count, firstChild, nextSibling, symbolOf, ownKey } = trie;

  // Transitions, breadth first, encoded as they are written: a node's row starts as a copy
  // of its failure's row (complete already: failures are shallower), then its own edges.
  const delta = new Int32Array(m * K);
  const fail = new Int32Array(count);
  const dictLink = new Int32Array(m).fill(-1);
  const encode = (node: number) =>
    node >= m
      ? SLOW - 1 - node
      : ownKey[node]! >= 0 || dictLink[node]! >= 0
        ? ~(node * K)
        : node * K;
  const decode = (t: number) => (t <= SLOW ? SLOW - 1 - t : (t >= 0 ? t : ~t) / K);
  /** The child of `v` on `a`, or -1. */
  const child = (v: number, a: number) => {
    let c = firstChild[v]!;
    while (c >= 0 && symbolOf[c] !== a) c = nextSibling[c]!;
    return c;
  };
  /** Where state `f` goes on symbol `a` (a dense row, or a deep state's children and failures). */
  const next = (f: number, a: number): number => {
    while (f >= m) {
      const c = child(f, a);
      if (c >= 0) return c;
      if (a === SYM_SEP && symbolOf[f] === SYM_SEP) return f;
      f = fail[f]!;
    }
    return decode(delta[f * K + a]!);
  };
  for (let a = 0; a < K; a++) delta[a] = a === SYM_SLOW ? SLOW : (alnum[a] ? DEAD : ROOT) * K;
  for (let c = firstChild[ROOT]!; c >= 0; c = nextSibling[c]!) {
    const a = symbolOf[c]!;
    fail[c] = alnum[a] ? DEAD : ROOT;
    delta[a] = encode(c);
  }
  for (let a = 0; a < K; a++) delta[DEAD * K + a] = alnum[a] ? DEAD * K : delta[a]!;
  for (let v = 2; v < count; v++) {
    const f = fail[v]!;
    if (v < m) {
      const row = v * K;
      delta.copyWithin(row, f * K, f * K + K);
      if (symbolOf[v] === SYM_SEP) delta[row + SYM_SEP] = row; // separators run on
    }
    for (let c = firstChild[v]!; c >= 0; c = nextSibling[c]!) {
      const a = symbolOf[c]!;
      const fc = next(f, a);
      fail[c] = fc;
      if (c < m) dictLink[c] = ownKey[fc]! >= 0 ? fc : dictLink[fc]!;
      if (v < m) delta[v * K + a] = encode(c);
    }
  }
  // Deep states: their children, and a separator state's loop.
  const deepChildAt = new Int32Array(count - m + 1);
  const children: number[] = [];
  for (let v = m; v < count; v++) {
    deepChildAt[v - m] = children.length;
    let sepChild = false;
    for (let c = firstChild[v]!; c >= 0; c = nextSibling[c]!) {
      children.push(symbolOf[c]!, c);
      if (symbolOf[c] === SYM_SEP) sepChild = true;
    }
    if (symbolOf[v] === SYM_SEP && !sepChild) children.push(SYM_SEP, v);
  }
  deepChildAt[count - m] = children.length;
  return {
    width: K,
    nodeCount: count,
    denseCount: m,
    delta,
    ownKey,
    dictLink,
    deepFail: fail.slice(m),
    deepChildAt,
    deepChildren: Int32Array.from(children),
  };
}

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
  /** States with a dense row; the others are deep (see DENSE_STATES). */
  readonly denseCount: number;
  /** The key a node ends, or -1. */
  private readonly ownKey: Int32Array;
  /** The nearest failure ancestor that ends a key (dictionary suffix link), or -1. */
  private readonly dictLink: Int32Array;
  private readonly deepFail: Int32Array;
  private readonly deepChildAt: Int32Array;
  private readonly deepChildren: Int32Array;

  /**
   * `source`: the keys to find, or the tables of an automaton built before (a cached or
   * transferred scanner, scanner-tables.ts), taken as they are. `denseStates`: see
   * DENSE_STATES (tests make it small).
   */
  constructor(
    readonly alphabet: Alphabet,
    source: readonly Pattern[] | AutomatonTables,
    denseStates = DENSE_STATES,
  ) {
    const t = isTables(source) ? source : compile(alphabet, source, denseStates);
    this.width = t.width;
    this.nodeCount = t.nodeCount;
    this.denseCount = t.denseCount;
    this.delta = t.delta;
    this.ownKey = t.ownKey;
    this.dictLink = t.dictLink;
    this.deepFail = t.deepFail;
    this.deepChildAt = t.deepChildAt;
    this.deepChildren = t.deepChildren;
  }

  /** The tables, for a cache file or another thread (they are this automaton's own arrays). */
  tables(): AutomatonTables {
    const { width, nodeCount, denseCount, delta, ownKey, dictLink } = this;
    const { deepFail, deepChildAt, deepChildren } = this;
    return {
      width,
      nodeCount,
      denseCount,
      delta,
      ownKey,
      dictLink,
      deepFail,
      deepChildAt,
      deepChildren,
    };
  }

  /**
   * The keys that end at a state reported by `scan` (its own, then its suffixes'). A deep
   * state is reported for its own key only: the scan, gone on from its failure, reports the
   * suffixes itself.
   */
  keysAt(state: number): readonly number[] {
    const node = state / this.width;
    if (node >= this.denseCount) return [this.ownKey[node]!];
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
   * A chat message is scanned straight from the string. A long text is copied out in windows
   * and each window is scanned in four parts in lockstep (`scan4`): V8 inlines a walk over the
   * string's representation into every `charCodeAt`, which costs nothing while one chain of
   * table loads sets the pace, but is the bottleneck once four chains run side by side. A
   * native copy (several GB/s) into a typed array removes it.
   */
  scan(text: string, hits: number[]): void {
    const n = text.length;
    if (n < LOCKSTEP_MIN) {
      this.scanText(text, hits);
      return;
    }
    let st = ROOT;
    for (let from = 0; from < n; from += SCAN_WINDOW) {
      const to = Math.min(n, from + SCAN_WINDOW);
      this.copy(text, from, to);
      st = this.scanWindow(text, from, to - from, st, hits);
    }
  }

  /** Scan a short text straight from the string. */
  private scanText(text: string, hits: number[]): void {
    const { delta } = this;
    const { table } = this.alphabet;
    const to = text.length;
    let st = ROOT;
    let i = 0;
    while (i < to) {
      // The hot loop: two loads per character, one test. Everything else is out of line.
      // (`scanRange` is the same loop over a copy; one generic loop would not be optimized.)
      let next = 0;
      for (; i < to; i++) {
        next = delta[st + (table[text.charCodeAt(i)]! & MASK)]!;
        if (next < 0) break;
        st = next;
      }
      if (i >= to) break;
      st = this.rare(text, i, st, next, hits);
      i++;
    }
  }

  /** Copy text[from, to) to UNITS[0, to - from). */
  private copy(text: string, from: number, to: number): void {
    const part = from === 0 && to === text.length ? text : text.slice(from, to);
    const written = UNIT_BYTES.write(part, 0, 'utf16le');
    if (BIG_ENDIAN) UNIT_BYTES.subarray(0, written).swap16();
    // UTF-16 code units are copied as they are, lone surrogates too; should a write ever come
    // up short, the rest is copied by hand rather than scanned stale.
    for (let i = written >> 1; i < to - from; i++) UNITS[i] = text.charCodeAt(from + i);
  }

  /**
   * Scan one window (`len` units at `base` in the text) from state `st`; returns the state at
   * its end. A long window is cut in four after punctuation that no alias contains (after such
   * a character the automaton is always at the root, so no match crosses a cut) and the four
   * parts are scanned in lockstep: four independent state chains keep the processor busy
   * where one chain waits on each load.
   */
  private scanWindow(text: string, base: number, len: number, st: number, hits: number[]): number {
    if (len >= LOCKSTEP_MIN) {
      const a = this.cutAfter(len >> 2, len);
      const b = this.cutAfter(len >> 1, len);
      const c = this.cutAfter((len >> 1) + (len >> 2), len);
      if (a > 0 && a < b && b < c && c < len) {
        return this.scan4(text, base, len, st, hits, a, b, c);
      }
    }
    return this.scanRange(text, base, 0, len, st, hits);
  }

  /** Just after the first unit at or past `from` that always leads back to the root, or -1. */
  private cutAfter(from: number, len: number): number {
    const units = UNITS;
    const { table } = this.alphabet;
    const end = Math.min(len - 1, from + CUT_WINDOW);
    for (let i = from; i < end; i++) {
      const c = units[i]!;
      if (c < 128 && (table[c]! & SYM_MASK) === SYM_BOUND) return i + 1;
    }
    return -1;
  }

  /** Scan UNITS[from, to) of the window at `base`, starting in state `st`; returns the state. */
  private scanRange(
    text: string,
    base: number,
    from: number,
    to: number,
    st: number,
    hits: number[],
  ): number {
    const units = UNITS;
    const { delta } = this;
    const { table } = this.alphabet;
    let i = from;
    while (i < to) {
      let next = 0;
      for (; i < to; i++) {
        next = delta[st + (table[units[i]!]! & MASK)]!;
        if (next < 0) break;
        st = next;
      }
      if (i >= to) break;
      st = this.rare(text, base + i, st, next, hits);
      i++;
    }
    return st;
  }

  /**
   * Four parts of a window, [0, a), [a, b), [b, c), [c, len), in lockstep until the shortest
   * is done, then each to its end. The first starts in `st`, the others at the root; returns
   * the state at the end of the last.
   *
   * A match end does not leave the loop: the step is noted in ENDS (its place and the four
   * table entries) and checked against the text afterwards. Leaving the loop, or calling out
   * of it, for each of them made the scan about 20% slower. Only a unit to normalize
   * leaves it.
   */
  private scan4(
    text: string,
    base: number,
    len: number,
    st: number,
    hits: number[],
    a: number,
    b: number,
    c: number,
  ): number {
    const { delta } = this;
    const { table } = this.alphabet;
    const units = UNITS;
    const ends = ENDS;
    const q = Math.min(a, b - a, c - b, len - c);
    let s0 = st;
    let s1 = ROOT;
    let s2 = ROOT;
    let s3 = ROOT;
    let e = 0;
    let k = 0;
    while (k < q) {
      for (; k < q; k++) {
        let t0 = delta[s0 + (table[units[k]!]! & MASK)]!;
        let t1 = delta[s1 + (table[units[a + k]!]! & MASK)]!;
        let t2 = delta[s2 + (table[units[b + k]!]! & MASK)]!;
        let t3 = delta[s3 + (table[units[c + k]!]! & MASK)]!;
        if ((t0 | t1 | t2 | t3) < 0) {
          if (t0 <= SLOW || t1 <= SLOW || t2 <= SLOW || t3 <= SLOW) break;
          ends[e] = k;
          ends[e + 1] = t0;
          ends[e + 2] = t1;
          ends[e + 3] = t2;
          ends[e + 4] = t3;
          e += 5;
          if (t0 < 0) t0 = ~t0;
          if (t1 < 0) t1 = ~t1;
          if (t2 < 0) t2 = ~t2;
          if (t3 < 0) t3 = ~t3;
        }
        s0 = t0;
        s1 = t1;
        s2 = t2;
        s3 = t3;
      }
      if (k >= q) break;
      // A unit to normalize in some part: take step k part by part, out of line.
      s0 = this.step(text, base + k, s0, hits);
      s1 = this.step(text, base + a + k, s1, hits);
      s2 = this.step(text, base + b + k, s2, hits);
      s3 = this.step(text, base + c + k, s3, hits);
      k++;
    }
    // Part by part, its noted ends and then its rest: the hits come out nearly in text order,
    // which the detector's sort of the candidates then finds cheap.
    this.notedEnds(text, base, e, 1, hits);
    this.scanRange(text, base, q, a, s0, hits);
    this.notedEnds(text, base + a, e, 2, hits);
    this.scanRange(text, base, a + q, b, s1, hits);
    this.notedEnds(text, base + b, e, 3, hits);
    this.scanRange(text, base, b + q, c, s2, hits);
    this.notedEnds(text, base + c, e, 4, hits);
    return this.scanRange(text, base, c + q, len, s3, hits);
  }

  /** Push the match ends noted in ENDS[0, e) for one part (`column` 1-4, starting at `at`). */
  private notedEnds(text: string, at: number, e: number, column: number, hits: number[]): void {
    for (let i = 0; i < e; i += 5) {
      const next = ENDS[i + column]!;
      const end = at + ENDS[i]! + 1;
      if (next < 0 && this.boundaryAt(text, end)) hits.push(~next, end);
    }
  }

  /** The whole step at text[i] from state `st`; returns the state after it. */
  private step(text: string, i: number, st: number, hits: number[]): number {
    const next = this.delta[st + (this.alphabet.table[text.charCodeAt(i)]! & MASK)]!;
    return next >= 0 ? next : this.rare(text, i, st, next, hits);
  }

  /**
   * The step at text[i] whose table entry is `next` (negative) from state `st`: a match end
   * (pushed when the next character is not a letter or digit), or a unit to normalize first.
   * Returns the state after it.
   */
  private rare(text: string, i: number, st: number, next: number, hits: number[]): number {
    if (next > SLOW) {
      if (this.boundaryAt(text, i + 1)) hits.push(~next, i + 1);
      return ~next;
    }
    if (next < SLOW) return this.enterDeep(text, SLOW - 1 - next, undefined, 0, i + 1, hits);
    return this.slowChar(text, i, st, hits);
  }

  /**
   * Deep state `node` entered by a symbol of the character before `j` (`syms` from `k` on:
   * the symbols of that character still to come, if any). Its keys and those of the states
   * below it that the text goes on to are found by walking their children along the text; the
   * scan goes on from its failure (a dense state: it is shallower), which holds every match
   * begun after it started. Returns that state.
   */
  private enterDeep(
    text: string,
    node: number,
    syms: readonly number[] | undefined,
    k: number,
    j: number,
    hits: number[],
  ): number {
    const K = this.width;
    const fail = this.deepFail[node - this.denseCount]!;
    if (this.ownKey[fail]! >= 0 || this.dictLink[fail]! >= 0) {
      if (this.endsAt(text, syms, k, j)) hits.push(fail * K, j);
    }
    this.walkDeep(text, node, syms, k, j, hits);
    return fail * K;
  }

  /** Does a key end before `j` (the next symbol of the character, else of the text, is no letter or digit)? */
  private endsAt(text: string, syms: readonly number[] | undefined, k: number, j: number): boolean {
    return syms && k < syms.length ? this.alphabet.alnum[syms[k]!] === 0 : this.boundaryAt(text, j);
  }

  /** From deep state `node`, its keys and those of its descendants along the text (see enterDeep). */
  private walkDeep(
    text: string,
    node: number,
    syms: readonly number[] | undefined,
    k: number,
    j: number,
    hits: number[],
  ): void {
    const { alphabet, ownKey, deepChildAt, deepChildren } = this;
    const m = this.denseCount;
    if (ownKey[node]! >= 0 && this.endsAt(text, syms, k, j)) hits.push(node * this.width, j);
    for (;;) {
      // The next symbol: of the character still under way, else of the next one (ignorables
      // have none: skipped).
      let sym = -1;
      while (sym < 0) {
        if (syms && k < syms.length) {
          sym = syms[k++]!;
          break;
        }
        if (j >= text.length) return;
        const t = alphabet.table[text.charCodeAt(j)]!;
        if (t !== SYM_SLOW) {
          sym = t & MASK;
          j++;
          syms = undefined;
        } else {
          const cp = codePointAt(text, j);
          j += cp > 0xffff ? 2 : 1;
          syms = alphabet.symbolsOf(cp);
          k = 0;
        }
      }
      let c = -1;
      for (let e = deepChildAt[node - m]!; e < deepChildAt[node - m + 1]!; e += 2) {
        if (deepChildren[e] === sym) {
          c = deepChildren[e + 1]!;
          break;
        }
      }
      if (c < 0) return;
      node = c;
      if (ownKey[node]! >= 0 && this.endsAt(text, syms, k, j)) hits.push(node * this.width, j);
    }
  }

  /**
   * A unit the table does not know (non-ASCII seen for the first time, a surrogate, an
   * ignorable, "ﬁ"): normalize its character and feed the symbols. A surrogate pair is taken
   * whole at its first unit, and its second unit is then a step that changes nothing, so every
   * step is one unit (the four parts of `scan4` stay in line). Returns the state after it.
   */
  private slowChar(text: string, i: number, st: number, hits: number[]): number {
    const { delta, alphabet } = this;
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit < 0xe000 && i > 0) {
      const before = text.charCodeAt(i - 1);
      if (before >= 0xd800 && before < 0xdc00) return st;
    }
    const cp = codePointAt(text, i);
    const len = cp > 0xffff ? 2 : 1;
    const syms = alphabet.symbolsOf(cp);
    for (let k = 0; k < syms.length; k++) {
      const to = delta[st + syms[k]!]!;
      if (to >= 0) {
        st = to;
        continue;
      }
      if (to < SLOW) {
        st = this.enterDeep(text, SLOW - 1 - to, syms, k + 1, i + len, hits);
        continue;
      }
      st = ~to;
      const ends =
        k + 1 < syms.length ? alphabet.alnum[syms[k + 1]!] === 0 : this.boundaryAt(text, i + len);
      if (ends) hits.push(st, i + len);
    }
    return st;
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
