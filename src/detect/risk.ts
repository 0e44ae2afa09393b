import { normalizeChar } from '../search/normalize.js';
import { isSeparatorChar } from './alphabet.js';
import type { AliasShape } from './shape.js';
import type { WordList } from './words.js';

/**
 * How much an alias can be trusted when it turns up in a message.
 *
 *   safe    not an English word ("Sofacy", "APT-C-36", "Lazarus Group"): fires in any case
 *   number  English words plus a number ("APT 21", "Group 72", "Storm-0558"): fires in any
 *           case when written joined or with a dash or dot ("apt21", "apt-21", "group-72"); with
 *           a space it needs to be written as a name, since "the group 72 hours ago" is prose
 *   word    an English word, or only English words ("Lead", "Zinc", "Sandworm", "Fancy Bear"):
 *           fires only when written as a name (see `writtenAsName`)
 *   short   three characters or fewer ("CIA", "BE2"): like `word`, and an alias the card
 *           writes in capitals needs capitals
 *
 * "English word" means a line of the `word-list` package (about 274,000 words, Scrabble-style:
 * it has "sandworm", "zinc", "hafnium", "apt", but not "lazarus" or "turla"). An alias's words
 * are split at separators, punctuation, letter/digit steps and camel-case steps ("OilRig" is
 * oil + rig, "TA505" is ta + 505), so a camel-case alias is risky when its parts are words:
 * "oil rig" in prose does not fire, "OilRig" (a second capital) does. Every word of the list
 * counts, rare ones too: the list has no frequencies, and a rare word costs little
 * (a sentence-initial "Sandworm" does not fire, "SANDWORM" or "... by Sandworm" do), while
 * treating a common word as safe costs a false alarm a day. Operators override with
 * ENRICH_ALLOW (always fires) and ENRICH_DENY (never fires).
 */
export type Risk = 'safe' | 'number' | 'word' | 'short';

export const RISK_RANK: Record<Risk, number> = { safe: 0, number: 1, word: 2, short: 3 };

const LETTERS_RE = /^[a-z]+$/;
const DIGITS_RE = /^\p{N}+$/u;

export function riskOf(shape: AliasShape, words: WordList): Risk {
  if (shape.chars.length <= 3) return 'short';
  const compact = shape.chars.join('');
  if (LETTERS_RE.test(compact) && words.has(compact)) return 'word';
  const letterWords = shape.words.filter((w) => !DIGITS_RE.test(w));
  if (letterWords.length === 0) return 'safe';
  if (!letterWords.every((w) => words.has(w))) return 'safe';
  return letterWords.length < shape.words.length ? 'number' : 'word';
}

/** The casing facts of one written form of an alias, from its shape. */
export interface FormCase {
  capitals: readonly number[];
  allCaps: boolean;
}

export interface NameRule {
  risk: Risk;
  forms: readonly FormCase[];
}

/**
 * Is the alias at text[start, end) written as a name? Always for a safe alias. For a risky
 * one: in capitals ("ZINC", "HAFNIUM"), or with the capitals the alias has ("Zinc", "Hammer
 * Panda", "Guardians of Peace") where a capital is not just the start of a sentence: "Lead
 * analyst is out" is not a name, "Microsoft attributes it to Zinc" is, and so is a
 * sentence-initial "Hammer Panda" or "SideWinder" (a second capital says "name").
 */
export function writtenAsName(
  text: string,
  start: number,
  end: number,
  rule: NameRule,
  atSentenceStart: (start: number) => boolean,
): boolean {
  if (rule.risk === 'safe') return true;
  // The message's letters, aligned with the alias's compact characters: bit p of `lowerAt`
  // says the p-th character is a lower-case letter (positions past 31 are not checked).
  let lowerAt = 0;
  let pos = 0;
  let spaced = false;
  let upper = 0;
  let lower = 0;
  /** A capital after the first letter ("Hammer Panda", "SideWinder", "menuPass"). */
  let innerCapital = false;
  for (let i = start; i < end; ) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      // ASCII: its own NFKC form; separators are whitespace, '-', '.', '_'.
      i++;
      if (c === 32 || (c >= 9 && c <= 13)) spaced = true;
      else if (c !== 45 && c !== 46 && c !== 95) {
        if (c >= 65 && c <= 90) {
          if (upper + lower > 0) innerCapital = true;
          upper++;
        } else if (c >= 97 && c <= 122) {
          if (pos < 31) lowerAt |= 1 << pos;
          lower++;
        }
        pos++;
      }
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    const orig = String.fromCodePoint(cp);
    i += orig.length;
    const isUpper = orig !== orig.toLowerCase();
    const isLower = orig !== orig.toUpperCase();
    for (const ch of normalizeChar(orig)) {
      if (isSeparatorChar(ch)) {
        if (/\s/u.test(ch)) spaced = true;
        continue;
      }
      if (isUpper) {
        if (upper + lower > 0) innerCapital = true;
        upper++;
      } else if (isLower) {
        if (pos < 31) lowerAt |= 1 << pos;
        lower++;
      }
      pos++;
    }
  }
  if (rule.risk === 'number' && !spaced) return true;
  if (upper === 0) return false;
  if (lower === 0) return true; // in capitals
  if (rule.risk === 'short' && rule.forms.every((f) => f.allCaps)) return false;
  const capitalised = rule.forms.some((f) =>
    f.capitals.every((p) => p >= 31 || !(lowerAt & (1 << p))),
  );
  if (!capitalised) return false;
  // A capital that only starts a sentence says nothing.
  return innerCapital || !atSentenceStart(start);
}
