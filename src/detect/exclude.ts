/**
 * Parts of a chat message that are not prose and are never scanned for actor names:
 *
 *   code        `inline`, ``double``, ```fenced blocks``` (an unclosed fence runs to the end)
 *   URLs        scheme://... (also defanged hxxp://, and hxxp[:]//...), www....
 *   tokens      Slack <@U123|name>, <#C123|name>, <!here>, <!subteam^ID>, <https://url|label>
 *               (the URL, not the label); Discord <@123>, <@!123>, <@&123>, <#123>,
 *               <:emoji:123>, <a:emoji:123>, </command:123>, <t:1700000000:R>
 *   handles     @name typed as text ("@lead", "@here")
 *   emoji       :panda_face:, :flag-cn:, ::skin-tone-2:
 *
 * Only computed when the scanner found something, so ordinary messages never pay for it.
 * Returns sorted, merged [start, end) pairs, flattened: [s0, e0, s1, e1, ...].
 */
export function excludedRanges(text: string): number[] {
  const ranges: [number, number][] = [];
  const add = (s: number, e: number) => {
    if (e > s) ranges.push([s, e]);
  };
  codeSpans(text, add);
  urls(text, add);
  tokens(text, add);
  handles(text, add);
  emoji(text, add);
  if (ranges.length === 0) return [];
  ranges.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [s, e] of ranges) {
    const last = out.length - 1;
    if (last > 0 && s <= out[last]!) out[last] = Math.max(out[last]!, e);
    else out.push(s, e);
  }
  return out;
}

/** Index (even) of the first range whose end is > pos; ranges.length if none. Binary search. */
function firstEndingAfter(ranges: readonly number[], pos: number): number {
  let lo = 0;
  let hi = ranges.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[2 * mid + 1]! > pos) hi = mid;
    else lo = mid + 1;
  }
  return 2 * lo;
}

/** Does [start, end) overlap an excluded range? */
export function overlapsExcluded(ranges: readonly number[], start: number, end: number): boolean {
  const k = firstEndingAfter(ranges, start);
  return k < ranges.length && ranges[k]! < end;
}

/** The start of the excluded range that ends exactly at `pos`; -1 if none. */
export function excludedEndingAt(ranges: readonly number[], pos: number): number {
  const k = firstEndingAfter(ranges, pos - 1);
  return k < ranges.length && ranges[k + 1] === pos ? ranges[k]! : -1;
}

type Add = (start: number, end: number) => void;

function runLength(text: string, i: number): number {
  let n = 0;
  while (text.charCodeAt(i + n) === 96) n++;
  return n;
}

function codeSpans(text: string, add: Add): void {
  let i = text.indexOf('`');
  while (i >= 0) {
    const run = runLength(text, i);
    const fence = '`'.repeat(run);
    let close = -1;
    for (let j = text.indexOf(fence, i + run); j >= 0; ) {
      const len = runLength(text, j);
      if (len === run) {
        close = j;
        break;
      }
      j = text.indexOf(fence, j + len);
    }
    if (close >= 0) {
      add(i, close + run);
      i = text.indexOf('`', close + run);
    } else if (run >= 3) {
      add(i, text.length);
      return;
    } else {
      i = text.indexOf('`', i + run);
    }
  }
}

const isSchemeChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43;
/** Whitespace and the characters that end a URL in chat markup. */
const URL_END_RE = /[\s<>"'`|]/u;

function urlEnd(text: string, from: number): number {
  let e = from;
  while (e < text.length && !URL_END_RE.test(text[e]!)) e++;
  return e;
}

function urls(text: string, add: Add): void {
  for (const marker of ['://', '[:]//']) {
    for (let k = text.indexOf(marker); k >= 0; ) {
      let s = k;
      while (s > 0 && isSchemeChar(text.charCodeAt(s - 1))) s--;
      if (s < k) {
        const e = urlEnd(text, k + marker.length);
        add(s, e);
        k = text.indexOf(marker, e);
      } else k = text.indexOf(marker, k + marker.length);
    }
  }
  for (const marker of ['www.', 'WWW.']) {
    for (let k = text.indexOf(marker); k >= 0; k = text.indexOf(marker, k + 4)) {
      if (k > 0 && /[\p{L}\p{N}.]/u.test(text[k - 1]!)) continue;
      add(k, urlEnd(text, k + 4));
    }
  }
}

const TOKEN_RE =
  /<(?:[@#!][^<>\s|]*(?:\|[^<>]*)?|@[!&]?\d+|a?:[\w~+-]+:\d+|\/[^<>:]+:\d+|t:-?\d+(?::[a-zA-Z])?)>/y;

function tokens(text: string, add: Add): void {
  for (let k = text.indexOf('<'); k >= 0; k = text.indexOf('<', k + 1)) {
    TOKEN_RE.lastIndex = k;
    if (TOKEN_RE.test(text)) {
      add(k, TOKEN_RE.lastIndex);
      k = TOKEN_RE.lastIndex - 1;
    }
  }
}

const HANDLE_RE = /@[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?/uy;

function handles(text: string, add: Add): void {
  for (let k = text.indexOf('@'); k >= 0; k = text.indexOf('@', k + 1)) {
    if (k > 0 && /[\p{L}\p{N}_]/u.test(text[k - 1]!)) continue; // an address or "admin@338"
    HANDLE_RE.lastIndex = k;
    if (HANDLE_RE.test(text)) add(k, HANDLE_RE.lastIndex);
  }
}

const EMOJI_RE = /:[a-z0-9_+-]{1,100}:/iy;

function emoji(text: string, add: Add): void {
  for (let k = text.indexOf(':'); k >= 0; ) {
    EMOJI_RE.lastIndex = k;
    if (EMOJI_RE.test(text)) {
      add(k, EMOJI_RE.lastIndex);
      k = text.indexOf(':', EMOJI_RE.lastIndex);
    } else k = text.indexOf(':', k + 1);
  }
}
