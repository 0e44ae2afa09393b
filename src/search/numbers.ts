/**
 * Digits are never fuzzed. "APT 45" is one letter-edit from "APT 42" and "TG-3391" from
 * "TG-3390", but a number names a different actor, not a typo of one: a name reached by fuzzy
 * or prefix matching counts only when its numbers are the query's numbers.
 */
import { compactKey, normalize } from './normalize.js';

/** One number in a name and the letters written just before it: "APT 21" -> apt, 21. */
export interface NumberedPart {
  /** Compact letters since the previous number ("" for "8220 Gang"). */
  prefix: string;
  /** Digits without leading zeros ("DEV-0537" -> "537"), so "dev-537" agrees with it. */
  number: string;
  /**
   * The prefixes a name may have to answer this part: the letters of the last whole words
   * before the number ("hammer panda apt 21": apt, pandaapt, hammerpandaapt). A word is never
   * split: "T-APT-18" ends in "tapt", not "apt", so it is not APT 18.
   */
  endings: string[];
  /** The word is letters, then this number, nothing after ("apt21", "21"; not "uac03j5"). */
  whole?: boolean;
}

/**
 * The prefixes vendors number their actors with (Mandiant's APT, UNC, FIN and TEMP, Proofpoint's
 * TA, Microsoft's DEV and Storm, Recorded Future's TAG, SecureWorks' TG and CTG, IBM's ITG,
 * Thales' ATK, CERT-UA's UAC): prefixes whatever the catalog, so that a small one (the bundled
 * sample has one APT name) finds "seen apt 21 again" and answers "apt 99 phishing" as the ETDA
 * catalog does. The detector (src/detect/risk.ts) and search (near-miss.ts) both read it.
 */
export const VENDOR_PREFIXES: ReadonlySet<string> = new Set([
  'apt',
  'unc',
  'fin',
  'temp',
  'ta',
  'dev',
  'storm',
  'tag',
  'tg',
  'ctg',
  'itg',
  'atk',
  'uac',
]);

const PART_RE = /(\p{L}*)(\p{Nd}+)/gu;
const WORD_JOINERS_RE = /[-._]+/gu;
const WHOLE_RE = /^\p{L}*\p{Nd}+$/u;

/** The numbered parts of a name or query, in order: "APT-C-23" -> [aptc 23]. */
export function numberedParts(text: string): NumberedPart[] {
  const out: NumberedPart[] = [];
  let words: string[] = [];
  for (const word of normalize(text).split(' ')) {
    const compact = word.replace(WORD_JOINERS_RE, '');
    let at = 0;
    const whole = WHOLE_RE.test(compact);
    for (const m of compact.matchAll(PART_RE)) {
      const head = compact.slice(at, m.index);
      const units = [...words, ...(head ? [head] : [])];
      const own = m[1] ?? '';
      if (own) units.push(own);
      out.push({
        prefix: units.join(''),
        number: stripZeros(m[2] ?? ''),
        endings: units.length === 0 ? [''] : units.map((_, i) => units.slice(i).join('')),
        whole,
      });
      words = [];
      at = (m.index ?? 0) + m[0].length;
    }
    const rest = compact.slice(at);
    if (rest) words.push(rest);
  }
  return out;
}

function stripZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/u, '');
}

/**
 * Does a name's part answer the query's? The number must be the same, and the name's prefix
 * one of the query's endings: words before a name are allowed ("hammer panda apt 21"), a
 * different prefix is not ("APT 13" is not "Group 13", "g0007" is not "CTG-0007").
 */
function partAgrees(query: NumberedPart, name: NumberedPart): boolean {
  return query.number === name.number && query.endings.includes(name.prefix);
}

/** Every numbered part of the query is a numbered part of this one name. */
export function nameAgrees(query: readonly NumberedPart[], name: string): boolean {
  if (query.length === 0) return true;
  const parts = numberedParts(name);
  return query.every((q) => parts.some((p) => partAgrees(q, p)));
}

/** One of these names carries every number of the query (always true for a query with none). */
export function namesAgree(query: readonly NumberedPart[], names: readonly string[]): boolean {
  return query.length === 0 || names.some((n) => nameAgrees(query, n));
}

/** namesAgree over names already split by numberedParts (only names with a number needed). */
export function partsAgree(
  query: readonly NumberedPart[],
  names: readonly (readonly NumberedPart[])[],
): boolean {
  return (
    query.length === 0 ||
    names.some((parts) => query.every((q) => parts.some((p) => partAgrees(q, p))))
  );
}

/**
 * "APT 45", "TA 577", "unc-2891": the whole query is one prefix and one number. Such a query
 * is a name, never a topic: it is answered from names alone (prose would match "apt" and "45"
 * anywhere in a description).
 */
export function isNumberedName(text: string): boolean {
  const m = /^(\p{L}{0,12})\p{Nd}{1,8}$/u.exec(compactKey(text));
  return m !== null && normalize(text).split(' ').length <= 3;
}

/** How far a name's number is from the query's, for ordering "same prefix" suggestions. */
export function numberDistance(a: string, b: string): number {
  return Math.abs(Number(a) - Number(b));
}
