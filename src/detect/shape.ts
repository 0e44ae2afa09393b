import { normalizeChar } from '../search/normalize.js';
import { isSeparatorChar } from './alphabet.js';

/**
 * What the scanner needs to know about one way of writing an alias ("APT 21", "TEMP.Zhenbao",
 * "SideWinder"): its compact normalized characters, where a separator may be written or left
 * out, which letters make it "written as a name", and its words for the English-word test.
 */
export interface AliasShape {
  /** Normalized characters without separators, one code point each: "apt 21" -> a,p,t,2,1. */
  chars: string[];
  /**
   * Positions i (1 <= i < chars.length) where a message may write a separator (space, dash,
   * dot, underscore; several in a row count as one) or none before chars[i]: where the alias
   * has a separator, between letters and digits ("APT21" = "APT 21"), and at a camel-case
   * step ("SideWinder" = "Side Winder").
   */
  breaks: number[];
  /** The breaks where the alias itself writes a separator. */
  separators: number[];
  /** The breaks where that separator is (or has) whitespace: "APT 21" 3, "TEMP.Zhenbao" none. */
  spaces: number[];
  /**
   * Positions whose letter is a capital when the alias is written as a name: each word that the
   * alias itself starts with a capital ("Guardians of Peace": G, P; "menuPass": none, its
   * inner capital is optional); the first letter of an alias written without any capital.
   */
  capitals: number[];
  /** Every letter of the alias as written is a capital ("ZINC", "CIA"). */
  allCaps: boolean;
  /**
   * The alias writes a dot and then whitespace ("Mr. Robot"); a message that does so elsewhere
   * ends a sentence there ("Look. Back" is not LookBack). No ETDA alias does.
   */
  dotSpace: boolean;
  /** Letter runs (lower-case) and digit runs, split at separators, punctuation, case steps. */
  words: string[];
}

type CharClass = 'letter' | 'digit' | 'mark' | 'other';

function isSeparator(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13) || c === 45 || c === 46 || c === 95;
  return isSeparatorChar(ch);
}

function classOf(ch: string): CharClass {
  const c = ch.charCodeAt(0);
  if (c < 128) {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return 'letter';
    return c >= 48 && c <= 57 ? 'digit' : 'other';
  }
  if (/\p{L}/u.test(ch)) return 'letter';
  if (/\p{N}/u.test(ch)) return 'digit';
  if (/\p{M}/u.test(ch)) return 'mark';
  return 'other';
}

export function shapeOf(alias: string): AliasShape {
  const chars: string[] = [];
  const breaks: number[] = [];
  const separators: number[] = [];
  const spaces: number[] = [];
  const capitals: number[] = [];
  const words: string[] = [];
  let word = '';
  let sep = false;
  let space = false;
  let dot = false;
  let dotSpace = false;
  let prevClass: CharClass | undefined;
  let prevLower = false;
  let firstCased = -1;
  let anyLower = false;
  let anyUpper = false;
  const endWord = () => {
    if (word) words.push(word);
    word = '';
  };

  const feed = (ch: string, upper: boolean, lower: boolean) => {
    if (isSeparator(ch)) {
      sep = true;
      if (/\s/u.test(ch)) {
        space = true;
        if (dot) dotSpace = true;
      } else if (ch === '.') dot = true;
      return;
    }
    dot = false;
    const pos = chars.length;
    const cls = classOf(ch);
    const camel = prevLower && upper;
    const kindStep =
      (prevClass === 'letter' && cls === 'digit') || (prevClass === 'digit' && cls === 'letter');
    if (pos > 0 && (sep || kindStep || camel)) breaks.push(pos);
    if (pos > 0 && sep) separators.push(pos);
    if (pos > 0 && space) spaces.push(pos);
    const wordStart = pos === 0 || sep || prevClass === 'other';
    if (upper && wordStart) capitals.push(pos);
    if (firstCased < 0 && (upper || lower)) firstCased = pos;
    if (sep || kindStep || camel || cls === 'other' || prevClass === 'other') endWord();
    if (cls !== 'other') word += ch;
    if (upper) anyUpper = true;
    if (lower) anyLower = true;
    chars.push(ch);
    prevClass = cls === 'mark' ? prevClass : cls;
    prevLower = lower;
    sep = false;
    space = false;
  };

  for (let i = 0; i < alias.length; ) {
    const c = alias.charCodeAt(i);
    if (c < 128) {
      // ASCII is its own NFKC form: only the case changes.
      const upper = c >= 65 && c <= 90;
      feed(upper ? String.fromCharCode(c + 32) : alias[i]!, upper, c >= 97 && c <= 122);
      i++;
      continue;
    }
    const orig = String.fromCodePoint(alias.codePointAt(i) ?? c);
    i += orig.length;
    const upper = orig !== orig.toLowerCase();
    const lower = orig !== orig.toUpperCase();
    for (const ch of normalizeChar(orig)) feed(ch, upper, lower);
  }
  endWord();
  // An alias with no capital at all ("menupass") is a name when its first letter is one.
  if (!anyUpper && firstCased >= 0) capitals.push(firstCased);
  return {
    chars,
    breaks,
    separators,
    spaces,
    capitals,
    allCaps: anyUpper && !anyLower,
    dotSpace,
    words,
  };
}
