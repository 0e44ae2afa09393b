/**
 * Limits a card must keep before the markdown parser sees it. The parser (micromark, under
 * remark-parse) takes time that grows with the square of some constructs: a paragraph of
 * 20,000 emphasis markers took 27 s, 10,000 nested quotes 1.6 s, 20,000 unclosed links 22 s.
 * Real cards stay far below every limit here (the 447 ETDA cards: lines up to 2,018
 * characters, 396 lines, at most 51 emphasis markers in a card, 3 brackets, no quotes), so the limits
 * cost nothing on real data and bound the time any file can take.
 */

/** Most lines in a card (the longest ETDA card has 396): remark takes about 0.4 ms a line. */
export const MAX_LINES = 4_000;
/** Longest line, in characters. */
export const MAX_LINE_LENGTH = 20_000;
/** Deepest nesting of block quotes and lists a line may open. */
export const MAX_NESTING = 16;
/** Emphasis markers (`*`, `_`) or link brackets (`[`) in one paragraph, and in the card. */
export const MAX_MARKERS_PER_BLOCK = 500;
export const MAX_MARKERS_PER_CARD = 5_000;

/** A limit a card breaks: the 1-based line and what is wrong there. */
export interface LimitBreach {
  line: number;
  reason: string;
}

/** How many containers (`>`, `-`, `*`, `+`, `1.`) the start of a line opens, up to its text. */
function nestingOf(line: string): number {
  let depth = 0;
  let i = 0;
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === ' ' || c === '\t') i++;
    else if (c === '>') {
      depth++;
      i++;
    } else if ((c === '-' || c === '*' || c === '+') && /[ \t]/.test(line.charAt(i + 1))) {
      depth++;
      i += 2;
    } else {
      let j = i;
      while (j < line.length && j - i < 9 && /[0-9]/.test(line.charAt(j))) j++;
      if (j > i && /[.)]/.test(line.charAt(j)) && /[ \t]/.test(line.charAt(j + 1))) {
        depth++;
        i = j + 2;
      } else break;
    }
  }
  // Indentation nests lists too: every two columns can open one more level.
  const indent = line.length - line.trimStart().length;
  return Math.max(depth, Math.floor(indent / 2));
}

/**
 * The first limit `text` breaks, or undefined. One pass over the text, so it is linear however
 * hostile the file. Indentation alone counts as nesting only where it opens a container.
 */
export function firstBreach(text: string): LimitBreach | undefined {
  const card = { emphasis: 0, brackets: 0 };
  let block = { emphasis: 0, brackets: 0, start: 1 };
  let lineNo = 0;
  for (let start = 0; start <= text.length; lineNo++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (lineNo >= MAX_LINES) return { line: lineNo + 1, reason: `more than ${MAX_LINES} lines` };
    if (end - start > MAX_LINE_LENGTH) {
      return { line: lineNo + 1, reason: `line longer than ${MAX_LINE_LENGTH} characters` };
    }
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') {
      block = { emphasis: 0, brackets: 0, start: lineNo + 2 };
      continue;
    }
    if (/^[ \t]*(?:[>*+-]|\d{1,9}[.)])/.test(line) && nestingOf(line) > MAX_NESTING) {
      return { line: lineNo + 1, reason: `quotes or lists nested deeper than ${MAX_NESTING}` };
    }
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      const kind = c === 42 || c === 95 ? 'emphasis' : c === 91 ? 'brackets' : undefined;
      if (!kind) continue;
      block[kind]++;
      card[kind]++;
      const what = kind === 'emphasis' ? 'emphasis markers (* or _)' : 'link brackets ([)';
      if (block[kind] > MAX_MARKERS_PER_BLOCK) {
        return {
          line: block.start,
          reason: `more than ${MAX_MARKERS_PER_BLOCK} ${what} in one paragraph`,
        };
      }
      if (card[kind] > MAX_MARKERS_PER_CARD) {
        return {
          line: lineNo + 1,
          reason: `more than ${MAX_MARKERS_PER_CARD} ${what} in the card`,
        };
      }
    }
  }
  return undefined;
}

/** Longest name or alias, in characters (the longest of the 447 ETDA cards has 38). */
export const MAX_ALIAS_LENGTH = 200;

/** Code points that Unicode says to ignore in display (zero-width space, soft hyphen, ...). */
const IGNORABLE_RE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * Why a name or alias cannot be used, or undefined. A name with no letter or digit (only
 * punctuation or zero-width characters) normalizes to nothing and could never be found; a
 * very long one costs every automaton build time for nothing.
 */
export function aliasProblem(name: string): string | undefined {
  if (name.length > MAX_ALIAS_LENGTH) {
    return `name longer than ${MAX_ALIAS_LENGTH} characters ("${name.slice(0, 40)}...")`;
  }
  if (!/[\p{L}\p{N}]/u.test(name.replace(IGNORABLE_RE, ''))) {
    return `name "${[...name].map(visible).join('')}" has no letter or digit, so no search can find it`;
  }
  return undefined;
}

/** A code point as a reader can see it: invisible ones as U+XXXX. */
function visible(c: string): string {
  return /[\p{L}\p{N}\p{P}\p{S} ]/u.test(c) && !/\p{Default_Ignorable_Code_Point}/u.test(c)
    ? c
    : `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
