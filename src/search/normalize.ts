/**
 * The one normalization used by the alias table, the search index, queries and the detector,
 * so that "APT21", "apt-21", "APT 21", "ＡＰＴ２１" and "a\u200bpt\u201121" meet in one key.
 */

const IGNORABLE_RE = /\p{Default_Ignorable_Code_Point}/gu;
const DASH_RE = /[\p{Pd}\u2212]/gu;
/** Typographic apostrophes (phones and macOS type these for '): "Abraham’s Ax" is "Abraham's Ax". */
const APOSTROPHE_RE = /[\u2018\u2019\u02bc]/gu;
const SPACE_RE = /\s+/gu;
const COMPACT_DROP_RE = /[\s\-._]+/gu;

/**
 * Printable ASCII and ASCII whitespace only: NFKC leaves it as it is, it holds no
 * default-ignorable, no dash but '-' and no typographic apostrophe, so lower-casing and
 * collapsing spaces is the whole normalization. Most names and card fields are such text, and
 * the full path (NFKC and three Unicode-property regexes) was the largest cost of building a
 * catalog of the three public sources.
 */
const PLAIN_ASCII_RE = /^[\t\n\v\f\r\x20-\x7e]*$/;

/** NFKC, default-ignorables dropped, every dash to '-', apostrophes to "'", case-folded, spaces collapsed. */
export function normalize(text: string): string {
  if (PLAIN_ASCII_RE.test(text)) return text.toLowerCase().replace(SPACE_RE, ' ').trim();
  return text
    .normalize('NFKC')
    .replace(IGNORABLE_RE, '')
    .replace(DASH_RE, '-')
    .replace(APOSTROPHE_RE, "'")
    .toLowerCase()
    .replace(SPACE_RE, ' ')
    .trim();
}

/** normalize() without spaces, dashes, dots and underscores: "APT 21" and "apt-21" -> "apt21". */
export function compactKey(text: string): string {
  return normalize(text).replace(COMPACT_DROP_RE, '');
}

/** Normalize a single character (or surrogate pair) the same way, for scanners that keep offsets. */
export function normalizeChar(ch: string): string {
  return ch
    .normalize('NFKC')
    .replace(IGNORABLE_RE, '')
    .replace(DASH_RE, '-')
    .replace(APOSTROPHE_RE, "'")
    .toLowerCase();
}
