import { normalizeChar } from '../search/normalize.js';

/**
 * The scanner's alphabet: every character of a message, after the one normalization
 * (`normalizeChar`: NFKC, default-ignorables dropped, dashes unified, case-folded), becomes one
 * small symbol number, so the automaton is a dense table indexed by symbol.
 *
 *   BOUND  any character that is not a letter or digit and appears in no alias ("!", ",", emoji);
 *          after one the automaton is always back at its root
 *   SEP    a separator that an alias may have or omit: whitespace, '-', '.', '_'
 *   WORD   a letter, digit or combining mark that appears in no alias ("é" when no alias has it)
 *   SLOW   the table does not know this code unit yet (non-ASCII seen for the first time,
 *          surrogates, ignorables): the scanner normalizes it and, for one-symbol characters,
 *          caches the answer in the table
 *   4..    one symbol per character that aliases contain ('a'..'z', '0'..'9', '$', "'", ...)
 */
export const SYM_BOUND = 0;
export const SYM_SEP = 1;
export const SYM_WORD = 2;
export const SYM_SLOW = 3;
const FIRST_ALIAS_SYMBOL = 4;
/** Set in a table entry whose symbol is a letter or digit; the symbol is entry & SYM_MASK. */
export const ALNUM_BIT = 0x8000;
export const SYM_MASK = 0x7fff;

const ALNUM_RE = /^[\p{L}\p{N}\p{M}]$/u;
const SEP_RE = /^[\s\-._]$/u;
const EMPTY: readonly number[] = [];

/** Is this (already normalized, single code point) character a separator? */
export function isSeparatorChar(ch: string): boolean {
  return SEP_RE.test(ch);
}

/** Is this (single code point) character a letter, digit or combining mark? */
export function isAlnumChar(ch: string): boolean {
  return ALNUM_RE.test(ch);
}

export class Alphabet {
  /** Number of symbols: the automaton's row width. */
  readonly size: number;
  /** 1 for symbols that are letters or digits (a match must not touch one), else 0. */
  readonly alnum: Uint8Array;
  /**
   * UTF-16 code unit -> symbol, with ALNUM_BIT set for letters and digits (so "does a letter
   * follow?" is one load); SYM_SLOW where the scanner must normalize first.
   */
  readonly table: Uint16Array;
  private readonly byChar = new Map<string, number>();
  private readonly slowCache = new Map<number, readonly number[]>();

  /** `chars`: every character (one code point each, normalized) that some alias contains. */
  constructor(chars: Iterable<string>) {
    let next = FIRST_ALIAS_SYMBOL;
    for (const ch of chars) {
      if (!this.byChar.has(ch) && !isSeparatorChar(ch)) this.byChar.set(ch, next++);
    }
    this.size = next;
    this.alnum = new Uint8Array(next);
    this.alnum[SYM_WORD] = 1;
    for (const [ch, sym] of this.byChar) this.alnum[sym] = isAlnumChar(ch) ? 1 : 0;
    this.table = new Uint16Array(65536).fill(SYM_SLOW);
    for (let c = 0; c < 128; c++) {
      const syms = this.symbolsOf(c);
      this.table[c] = syms.length === 1 ? this.entry(syms[0]!) : SYM_SLOW;
    }
  }

  /** The alias characters in symbol order: `new Alphabet(chars)` makes this alphabet again. */
  get chars(): string[] {
    return [...this.byChar.keys()];
  }

  /** The symbol of one normalized character. */
  classify(ch: string): number {
    const sym = this.byChar.get(ch);
    if (sym !== undefined) return sym;
    if (isSeparatorChar(ch)) return SYM_SEP;
    return isAlnumChar(ch) ? SYM_WORD : SYM_BOUND;
  }

  /** The symbols of one code point of a message (none for an ignorable, several for "ﬁ"). */
  symbolsOf(cp: number): readonly number[] {
    const cached = this.slowCache.get(cp);
    if (cached) return cached;
    const norm = normalizeChar(String.fromCodePoint(cp));
    const syms: number[] = [];
    for (const ch of norm) syms.push(this.classify(ch));
    const out = syms.length === 0 ? EMPTY : syms;
    // A one-symbol BMP character goes straight into the table; the rest stay on the slow path.
    if (syms.length === 1 && cp >= 128 && cp < 0x10000 && (cp < 0xd800 || cp >= 0xe000))
      this.table[cp] = this.entry(syms[0]!);
    else if (this.slowCache.size < 4096) this.slowCache.set(cp, out);
    return out;
  }

  private entry(sym: number): number {
    return this.alnum[sym] === 1 ? sym | ALNUM_BIT : sym;
  }
}

/** The code point at `i` and its length in UTF-16 code units (a lone surrogate is itself). */
export function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d < 0xe000) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** The code point that ends just before `j`, and so its start: j-1 or j-2. */
export function codePointStartBefore(s: string, j: number): number {
  const c = s.charCodeAt(j - 1);
  if (c >= 0xdc00 && c < 0xe000 && j >= 2) {
    const h = s.charCodeAt(j - 2);
    if (h >= 0xd800 && h < 0xdc00) return j - 2;
  }
  return j - 1;
}
