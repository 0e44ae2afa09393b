/**
 * Parts of a chat message that are not prose: a name found there is not a mention.
 *
 *   code        `inline`, ``double``, ```fenced blocks``` (an unclosed fence runs to the end; a
 *               fence closes at a run of as many backticks or more, as in CommonMark: "```bash"
 *               closed by "````", which READMEs write)
 *   URLs        scheme://... (also defanged hxxp://, and hxxp[:]//...), www....
 *   tokens      Slack <@U123|name>, <#C123|name>, <!here>, <!subteam^ID|@team>; Discord
 *               <@123>, <@!123>, <@&123>, <#123>, <:emoji:123>, <a:emoji:123>, </cmd:123>,
 *               <t:1700000000:R>. In Slack's <https://url|label> the URL is skipped, not the label
 *   handles     @name typed as text ("@lead", "@here")
 *   emoji       :panda_face:, :flag-cn:, ::skin-tone-2:
 *
 * Asked only about the few places where the scanner found a name, so it looks around that
 * place (the whitespace-delimited token, the line) instead of parsing the whole message;
 * only code spans, which need the message from the start, are found once per message, and only
 * when it has a backtick.
 */
export class Exclusions {
  private code: number[] | undefined;
  /** Does the text have a '<' at all (one native search, on first question)? */
  private tokens: boolean | undefined;

  constructor(private readonly text: string) {}

  /** Does [start, end) fall in something that is not prose? */
  covers(start: number, end: number): boolean {
    // URLs, handles and emoji codes are told from the few characters around the name; code
    // spans and <tokens> can start far before it, so those are asked only of messages that
    // have a backtick or a '<' at all.
    return (
      this.inUrl(start, end) ||
      this.inHandle(start) ||
      this.inEmoji(start, end) ||
      (this.hasTokens() && this.inToken(start)) ||
      overlaps(this.codeRanges(), start, end)
    );
  }

  private hasTokens(): boolean {
    this.tokens ??= this.text.includes('<');
    return this.tokens;
  }

  /**
   * The start of a code span, mention token, emoji code or handle that ends exactly at `j`,
   * else -1 (for looking back past them to a sentence start).
   */
  tokenEndingAt(j: number): number {
    const { text } = this;
    const code = this.codeRanges();
    const k = firstEndingAfter(code, j - 1);
    if (k < code.length && code[k + 1] === j) return code[k]!;
    const last = text.charCodeAt(j - 1);
    if (last === GT) {
      const a = this.tokenOpening(j - 1);
      if (a >= 0 && tokenEnd(text, a) === j) return a;
      return -1;
    }
    if (last === COLON) {
      let a = j - 1;
      while (a > 0 && isEmojiChar(text.charCodeAt(a - 1))) a--;
      return a < j - 1 && a > 0 && text.charCodeAt(a - 1) === COLON ? a - 1 : -1;
    }
    let a = j;
    while (a > 0 && isHandleChar(text, a - 1)) a--;
    return a < j && this.handleAt(a - 1) ? a - 1 : -1;
  }

  private codeRanges(): number[] {
    this.code ??= this.text.includes('`') ? codeSpans(this.text) : [];
    return this.code;
  }

  /** Inside a URL: the token holds "://" (or "[:]//") whose scheme starts at or before `start`. */
  private inUrl(start: number, end: number): boolean {
    const { text } = this;
    let ts = start;
    while (ts > 0 && !isUrlStop(text.charCodeAt(ts - 1))) ts--;
    let te = end;
    while (te < text.length && !isUrlStop(text.charCodeAt(te))) te++;
    for (let p = ts; p < te; p++) {
      const c = text.charCodeAt(p);
      let scheme = -1;
      if (c === COLON && text.startsWith('//', p + 1)) scheme = p;
      else if (c === BRACKET && text.startsWith(':]//', p + 1)) scheme = p;
      else if ((c === W || c === W_UPPER) && /^www\./i.test(text.slice(p, p + 4))) {
        const before = p > ts ? text.charCodeAt(p - 1) : SPACE;
        if (!isAlnumAscii(before) && before !== DOT && p <= start) return true;
        continue;
      }
      if (scheme < 0) continue;
      let s = scheme;
      while (s > ts && isSchemeChar(text.charCodeAt(s - 1))) s--;
      if (s < scheme && s <= start) return true;
    }
    return false;
  }

  /** Inside <...> that is a Slack or Discord token. */
  private inToken(start: number): boolean {
    const a = this.tokenOpening(start);
    return a >= 0 && tokenEnd(this.text, a) > start;
  }

  /** The '<' before `pos` on the same line with no '>' in between (300 characters at most). */
  private tokenOpening(pos: number): number {
    const { text } = this;
    for (let a = pos - 1; a >= 0 && a >= pos - 300; a--) {
      const c = text.charCodeAt(a);
      if (c === LT) return a;
      if (c === GT || c === NEWLINE) return -1;
    }
    return -1;
  }

  /** Part of an @handle: "@lead", "@bob.turla". */
  private inHandle(start: number): boolean {
    let a = start;
    while (a > 0 && isHandleChar(this.text, a - 1)) a--;
    return this.handleAt(a - 1);
  }

  /** Is there an '@' at `at` that starts a handle (not "admin@338", "bob@example.com")? */
  private handleAt(at: number): boolean {
    if (at < 0 || this.text.charCodeAt(at) !== AT) return false;
    return at === 0 || !isHandleChar(this.text, at - 1);
  }

  /** Inside :emoji_code:. */
  private inEmoji(start: number, end: number): boolean {
    const { text } = this;
    let a = start;
    while (a > 0 && isEmojiChar(text.charCodeAt(a - 1))) a--;
    if (a === 0 || text.charCodeAt(a - 1) !== COLON) return false;
    let b = end;
    while (b < text.length && isEmojiChar(text.charCodeAt(b))) b++;
    return b < text.length && text.charCodeAt(b) === COLON;
  }
}

const SPACE = 32;
const DOT = 46;
const COLON = 58;
const LT = 60;
const GT = 62;
const AT = 64;
const BRACKET = 91;
const BACKTICK = 96;
const W = 119;
const W_UPPER = 87;
const NEWLINE = 10;

function isAlnumAscii(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

const isSchemeChar = (c: number) => isAlnumAscii(c) || c === 43;
/** Whitespace and the characters that end a URL in chat markup. */
const isUrlStop = (c: number) =>
  c <= SPACE || c === LT || c === GT || c === 34 || c === 39 || c === BACKTICK || c === 124;
/** Slack emoji names: a-z, 0-9, '_', '+', '-'. */
const isEmojiChar = (c: number) => isAlnumAscii(c) || c === 95 || c === 43 || c === 45;

const LETTER_RE = /[\p{L}\p{N}_.-]/u;
function isHandleChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return isAlnumAscii(c) || c === 95 || c === DOT || c === 45;
  return LETTER_RE.test(text[i]!);
}

const TOKEN_RE =
  /<(?:[@#!][^<>\s|]*(?:\|[^<>]*)?|@[!&]?\d+|a?:[\w~+-]+:\d+|\/[^<>:]+:\d+|t:-?\d+(?::[a-zA-Z])?)>/y;

/** The end of the Slack or Discord token opening at `a`, or -1. */
function tokenEnd(text: string, a: number): number {
  TOKEN_RE.lastIndex = a;
  return TOKEN_RE.test(text) ? TOKEN_RE.lastIndex : -1;
}

/** Index (even) of the first range whose end is > pos; ranges.length if none. */
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

function overlaps(ranges: readonly number[], start: number, end: number): boolean {
  const k = firstEndingAfter(ranges, start);
  return k < ranges.length && ranges[k]! < end;
}

function runLength(text: string, i: number): number {
  let n = 0;
  while (text.charCodeAt(i + n) === BACKTICK) n++;
  return n;
}

/**
 * Code spans and blocks, as sorted [start, end) pairs, flattened. An inline span closes at the
 * next run of exactly its length; a fence (three or more) at the next run at least as long.
 */
export function codeSpans(text: string): number[] {
  const out: number[] = [];
  let i = text.indexOf('`');
  while (i >= 0) {
    const run = runLength(text, i);
    const fence = '`'.repeat(run);
    let close = -1;
    let closeRun = 0;
    // Searching from just after a whole run, the next match of `fence` starts a run.
    for (let j = text.indexOf(fence, i + run); j >= 0; ) {
      const len = runLength(text, j);
      if (len === run || (run >= 3 && len > run)) {
        close = j;
        closeRun = len;
        break;
      }
      j = text.indexOf(fence, j + len);
    }
    if (close >= 0) {
      out.push(i, close + closeRun);
      i = text.indexOf('`', close + closeRun);
    } else if (run >= 3) {
      out.push(i, text.length);
      break;
    } else {
      i = text.indexOf('`', i + run);
    }
  }
  return out;
}
