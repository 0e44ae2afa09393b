/**
 * Edit distances for fuzzy term lookups (fuzzy-terms.ts over MiniSearch's tree, packed-fuzzy.ts
 * over packed terms): a cheap lower bound from the characters two terms hold, and Myers'
 * bit-parallel distance, cut short once it must exceed the most allowed.
 */

/**
 * Myers' algorithm keeps one column of the matrix in the bits of a 32-bit integer: longer
 * query terms (rare: a single word of more than 32 letters) take MiniSearch's walk.
 */
export const MAX_PATTERN = 32;

/**
 * Which of 32 groups of characters a term holds: a-z one bit each, every other character
 * (digits, punctuation, letters beyond ASCII) one of 6 bits. A shared bit for two characters
 * only weakens the bound drawn from it, never makes it wrong.
 */
export function characterMask(term: string, from = 0, to = term.length): number {
  let mask = 0;
  for (let i = from; i < to; i++) {
    const c = term.charCodeAt(i);
    mask |= 1 << (c >= 97 && c <= 122 ? c - 97 : 26 + (c % 6));
  }
  return mask;
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * A lower bound on the edit distance of two terms from their character masks: each edit adds
 * at most one group of characters to a term and takes at most one away, so the groups one
 * term has and the other lacks each cost an edit.
 */
export function characterBound(a: number, b: number): number {
  return Math.max(bitCount(a & ~b), bitCount(b & ~a));
}

/** Per UTF-16 code unit, the positions where it occurs in the pattern (reset after each use). */
const positions = new Int32Array(65536);

/** Set `pattern`'s positions for boundedDistance (clearPattern after). */
export function setPattern(pattern: string): void {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    positions[c] = (positions[c] ?? 0) | (1 << i);
  }
}

export function clearPattern(pattern: string): void {
  for (let i = 0; i < pattern.length; i++) positions[pattern.charCodeAt(i)] = 0;
}

/**
 * The Levenshtein distance of `pattern` (at most 32 code units, its positions set by
 * setPattern) and text[from, to), or `max + 1` as soon as it must exceed `max` (Myers 1999, in
 * Hyyrö's formulation for the distance between whole strings). Code units are compared as
 * MiniSearch's walk compares them.
 */
export function boundedDistance(
  pattern: string,
  text: string,
  max: number,
  from = 0,
  to = text.length,
): number {
  const last = 1 << (pattern.length - 1);
  let pv = -1;
  let mv = 0;
  let score = pattern.length;
  for (let k = from; k < to; k++) {
    const eq = positions[text.charCodeAt(k)] ?? 0;
    const xv = eq | mv;
    const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if (ph & last) score++;
    else if (mh & last) score--;
    // Each character still to come lowers the distance by one at most.
    if (score - (to - k - 1) > max) return max + 1;
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}
