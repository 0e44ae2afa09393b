import { normalizeChar } from '../search/normalize.js';
import { VENDOR_PREFIXES } from '../search/numbers.js';
import { isSeparatorChar } from './alphabet.js';
import type { WordFrequencies } from './frequency.js';
import type { AliasShape } from './shape.js';
import type { WordList } from './words.js';

/**
 * How much a name can be trusted, judged on the form the message wrote it in (its whitespace;
 * dots, dashes and underscores join): "keyboy", "temp.hippo", "apt-28" are one written word,
 * "side winder" and "apt 28" two.
 *
 *   safe      a written word that is not an English word ("keyboy", "sidecopy", "temp.hippo",
 *             "apt28", "lazarus group"): fires in any case
 *   rare      English words, one of them rare ("sandworm", "hafnium", "strontium", "sandworm
 *             team"): fires in any case, a sentence-initial capital too ("Sandworm is back")
 *   prefixed  a number after a spaced actor prefix of this catalog ("apt 28", "ta 505"):
 *             fires in any case
 *   number    a number after a common word that is no actor prefix ("man 1", "team 338"): only
 *             written as a name, since a number after a word is often prose ("team 8 is on call")
 *   word      common English words ("lead", "iron", "fancy bear"): only written as a name
 *   short     three characters or fewer ("CIA", "BE2"): like `word`, and an alias the card
 *             writes in capitals needs capitals
 *
 * "English word": a lower-case line of `word-list` (a dictionary without proper nouns, so
 * "lazarus", "turla", "achilles" are names); "common": counted at least COMMON_COUNT times in
 * SUBTLEXus (see frequency.ts). Operators override with ENRICH_ALLOW (always fires) and
 * ENRICH_DENY (never fires).
 */
export type Risk = 'safe' | 'rare' | 'prefixed' | 'number' | 'word' | 'short';

/** The risks that fire however the name is cased. */
export const FIRES_IN_ANY_CASE: Readonly<Record<Risk, boolean>> = {
  safe: true,
  rare: true,
  prefixed: true,
  number: false,
  word: false,
  short: false,
};

/**
 * A single English word counted fewer times than this in SUBTLEXus's ~50 million words (0.2 per
 * million) is rare: a name in any case ("hafnium" 1, "strontium" 3, "thallium" 8). Chosen from
 * two measurements (`npm run bench -- detect` prints both). On English drawn by these very
 * counts each one-word name below the threshold fires about count / 50 million times a word
 * written, so the sum of their counts sets the false alarms per MB: about 0.6 at 10, 0.9 at 15,
 * 1.2 at 20 and 1.9 at 30 (the target is at most 1). On the labelled set (bench/labelled.ts)
 * going from 10 to 20 gains 0.2 points of recall at the same precision. 10 keeps the false
 * alarms well under the target.
 */
export const COMMON_COUNT = 10;
/**
 * A phrase of English words is no more frequent than its rarest word, and nearly always far
 * less ("hammer panda" never occurs as English): a phrase is rare when its rarest word is counted
 * fewer times than this (20 per million). On the labelled set, with COMMON_COUNT 10: at 300
 * precision 98.8%, recall 96.0%; at 1000 98.2% and 97.1% (every "X Spider", "X Panda", "X Kitten"
 * found in lower case; "solar storm", "wolf spider", "sea turtle" fire in ordinary sentences); at
 * 3000 precision falls under 98% (97.7%). 1000 is the highest recall that keeps precision over 98%.
 */
export const PHRASE_COMMON_COUNT = 1000;
/**
 * A word before a number is an actor prefix ("APT", "TA", "UNC", "TAG", "Storm", "Group") when the
 * catalog numbers at least this many of its aliases after it. English words count too: the issue's
 * own examples are English words ("apt" 89, "ta" 231 in SUBTLEXus), and the form as written is
 * what is judged, not its pieces. "group 3", "tag 53", "storm 0558" are rare as real English: over
 * 243 MB of Debian documentation (/usr/share/doc, prose with numbers; measured once, by hand) they
 * add 9 hits, all "group 3/5/6/8" (0.04 per MB), and none for "tag" or "storm". On the labelled
 * set they gain 8 names ("tag 53", "group 24", "Group 22 again") for 2 false alarms ("the group 72
 * hours ago", "tag 22 is merged"). Until then a prefix counted PREFIX_COMMON_COUNT_BEFORE times
 * or more was left out, a cut between "ta" (231) and "tag" (708) that was never measured; the
 * bench prints the labelled set with it for comparison.
 */
export const PREFIX_ALIASES = 2;
export const PREFIX_COMMON_COUNT_BEFORE = 500;

/** The counts below which a word (a phrase: its rarest word) is rare. */
export interface Thresholds {
  common: number;
  phrase: number;
  /**
   * A numbered word counted this often or more in SUBTLEXus is not an actor prefix (default:
   * none is left out; the bench measures PREFIX_COMMON_COUNT_BEFORE).
   */
  prefix: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  common: COMMON_COUNT,
  phrase: PHRASE_COMMON_COUNT,
  prefix: Number.POSITIVE_INFINITY,
};

/** What the risk decision reads about English. */
export interface English {
  words: WordLookup;
  frequencies: CountLookup;
  thresholds: Thresholds;
}

/** Is it an English word? (WordList, or the remembered answers of english-memo.ts) */
export type WordLookup = Pick<WordList, 'has'>;
/** How often is it used? (WordFrequencies, or the remembered answers of english-memo.ts) */
export type CountLookup = Pick<WordFrequencies, 'count'>;

/** One word of a written form, as the risk decision saw it. */
export interface WrittenWord {
  text: string;
  kind: 'number' | 'name' | 'word';
  /** SUBTLEXus count (0 for a number or a name). */
  count: number;
}

export interface RiskVerdict {
  risk: Risk;
  words: WrittenWord[];
  /** For `prefixed`: the actor prefix. */
  prefix?: string;
}

const LETTERS_RE = /^[a-z]+$/;
const DIGITS_RE = /^\p{N}+$/u;

/**
 * Words that carry no meaning of their own: a phrase of one of them and one other word is as
 * frequent as that word ("the dukes" is every "the Dukes of Hazzard", "the mask" every mask),
 * so it is judged as that word alone, not as a phrase that English rarely writes.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'at',
  'by',
  'for',
  'from',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]);

function wordOf(text: string, english: English): WrittenWord {
  if (DIGITS_RE.test(text)) return { text, kind: 'number', count: 0 };
  if (!LETTERS_RE.test(text) || !english.words.has(text)) return { text, kind: 'name', count: 0 };
  return { text, kind: 'word', count: english.frequencies.count(text) };
}

/**
 * The risk of an alias's compact characters written with whitespace before the positions in
 * `spaces` (and joined everywhere else).
 */
export function riskOfWritten(
  chars: readonly string[],
  spaces: readonly number[],
  english: English,
  prefixes: ReadonlySet<string>,
): RiskVerdict {
  const cuts = [0, ...spaces.filter((p) => p > 0 && p < chars.length), chars.length];
  const words: WrittenWord[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const text = chars.slice(cuts[i], cuts[i + 1]).join('');
    if (text) words.push(wordOf(text, english));
  }
  if (chars.length <= 3) return { risk: 'short', words };
  if (words.some((w) => w.kind === 'name')) return { risk: 'safe', words };
  const letterWords = words.filter((w) => w.kind === 'word');
  if (letterWords.length === 0) return { risk: 'safe', words }; // a bare number ("8220")
  const rarest = Math.min(...letterWords.map((w) => w.count));
  const firstNumber = words.findIndex((w) => w.kind === 'number');
  if (firstNumber > 0) {
    const before = words[firstNumber - 1]!;
    if (before.kind === 'word' && prefixes.has(before.text)) {
      return { risk: 'prefixed', words, prefix: before.text };
    }
  }
  const { common, phrase } = english.thresholds;
  const meaningful = words.filter((w) => !(w.kind === 'word' && FUNCTION_WORDS.has(w.text)));
  const threshold = meaningful.length <= 1 ? common : Math.max(common, phrase);
  if (firstNumber < 0 && rarest < threshold) return { risk: 'rare', words };
  if (firstNumber >= 0 && rarest < common) return { risk: 'rare', words };
  return { risk: firstNumber >= 0 ? 'number' : 'word', words };
}

/**
 * The actor prefixes of a catalog: a letter word that PREFIX_ALIASES or more aliases follow with
 * a number ("APT 21", "APT28"; "TA505"; "Group 72", "Group 5"). Add the cards' own aliases, not
 * their looser forms ("Vault 7/8" of "[Vault 7/8]" is the same alias). Counted as the shapes
 * come, so that a scanner build need not hold every shape to the end.
 */
export class PrefixCounter {
  private readonly numbered = new Map<string, Set<string>>();

  add(shape: AliasShape): void {
    const { words } = shape;
    let key: string | undefined;
    for (let i = 0; i + 1 < words.length; i++) {
      const w = words[i]!;
      if (!LETTERS_RE.test(w) || !DIGITS_RE.test(words[i + 1]!)) continue;
      const aliases = this.numbered.get(w) ?? new Set<string>();
      this.numbered.set(w, aliases);
      key ??= shape.chars.join('');
      aliases.add(key);
    }
  }

  prefixes(english: English): Set<string> {
    const { numbered } = this;
    const out = new Set<string>();
    for (const w of new Set([...numbered.keys(), ...VENDOR_PREFIXES])) {
      if ((numbered.get(w)?.size ?? 0) < PREFIX_ALIASES && !VENDOR_PREFIXES.has(w)) continue;
      if (english.words.has(w) && english.frequencies.count(w) >= english.thresholds.prefix)
        continue;
      out.add(w);
    }
    return out;
  }
}

/** PrefixCounter over these shapes. */
export function actorPrefixes(shapes: Iterable<AliasShape>, english: English): Set<string> {
  const counter = new PrefixCounter();
  for (const shape of shapes) counter.add(shape);
  return counter.prefixes(english);
}

/** The casing facts of one written form of an alias, from its shape. */
export interface FormCase {
  capitals: readonly number[];
  allCaps: boolean;
  /** The alias writes ". " ("Mr. Robot"); otherwise a dot and a space in a match end a sentence. */
  dotSpace: boolean;
}

export interface NameRule {
  /** Fires however it is written (allowed, or every written form is a name): no casing walk. */
  always: boolean;
  /**
   * The risk of the form written with whitespace before the compact positions whose bits are
   * set in `spaces` (positions past 30 are not told apart).
   */
  riskAt(spaces: number): Risk;
  forms: readonly FormCase[];
}

/**
 * Is the alias at text[start, end) written as a name? Always when the written form fires in any
 * case (see `Risk`). Otherwise: in capitals ("ZINC", "HAFNIUM"), or with the capitals the alias
 * has ("Zinc", "Hammer Panda", "Guardians of Peace") where a capital is not just the start of a
 * sentence: "Lead analyst is out" is not a name, "Microsoft attributes it to Zinc" is, and so is
 * a sentence-initial "Hammer Panda" or "SideWinder" (a second capital says "name").
 */
export function writtenAsName(
  text: string,
  start: number,
  end: number,
  rule: NameRule,
  atSentenceStart: (start: number) => boolean,
): boolean {
  if (rule.always) return true;
  // The message's letters, aligned with the alias's compact characters: bit p of `lowerAt`
  // says the p-th character is a lower-case letter, bit p of `spaces` that whitespace was
  // written before it (positions past 30 are not recorded).
  let lowerAt = 0;
  let spaces = 0;
  let pos = 0;
  let space = false;
  /** A dot, then whitespace: the end of a sentence inside the match ("Look. Back"). */
  let dot = false;
  let sentenceEnd = false;
  let upper = 0;
  let lower = 0;
  /** A capital after the first letter ("Hammer Panda", "SideWinder", "menuPass"). */
  let innerCapital = false;
  for (let i = start; i < end; ) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      // ASCII: its own NFKC form; separators are whitespace, '-', '.', '_'.
      i++;
      if (c === 32 || (c >= 9 && c <= 13)) {
        space = true;
        if (dot) sentenceEnd = true;
      } else if (c === 46) dot = true;
      else if (c !== 45 && c !== 95) {
        if (space && pos < 31) spaces |= 1 << pos;
        space = false;
        dot = false;
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
        if (/\s/u.test(ch)) {
          space = true;
          if (dot) sentenceEnd = true;
        } else if (ch === '.') dot = true;
        continue;
      }
      if (space && pos < 31) spaces |= 1 << pos;
      space = false;
      dot = false;
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
  // Two sentences, not one name ("Look. Back" for LookBack), unless the alias writes it so.
  if (sentenceEnd && !rule.forms.some((f) => f.dotSpace)) return false;
  const risk = rule.riskAt(spaces);
  if (FIRES_IN_ANY_CASE[risk]) return true;
  if (upper === 0) return false;
  if (lower === 0) return true; // in capitals
  if (risk === 'short' && rule.forms.every((f) => f.allCaps)) return false;
  const capitalised = rule.forms.some((f) =>
    f.capitals.every((p) => p >= 31 || !(lowerAt & (1 << p))),
  );
  if (!capitalised) return false;
  // A capital that only starts a sentence says nothing.
  return innerCapital || !atSentenceStart(start);
}
