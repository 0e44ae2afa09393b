/**
 * Shortening text to a platform's limit, one rule for every renderer: a long card is shortened,
 * never rejected, and never cut in the middle of a word when a word boundary is near.
 */

export const ELLIPSIS = '…';

/** What a cut may leave dangling before the ellipsis: spaces, list punctuation, dashes, "(". */
const DANGLING_RE = /[\s,;:\-–—(]+$/u;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * `text` in at most `max` characters (UTF-16 code units, as JavaScript, Slack and Discord count
 * them), ending with an ellipsis. The cut falls on the last word boundary when that keeps at
 * least half the room; a single word longer than that (a URL) is cut inside instead. Dangling
 * punctuation goes, and neither half a surrogate pair nor an escape backslash without the
 * character it escapes is left. Text that fits comes back unchanged; with no room for any
 * text, the empty string (each caller decides what an empty slot shows).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return '';
  let cut = text.slice(0, max - ELLIPSIS.length);
  if (!/\s/.test(text.charAt(cut.length))) {
    const boundary = cut.search(/\s\S*$/);
    if (boundary >= Math.floor(cut.length / 2)) cut = cut.slice(0, boundary);
  }
  if (isHighSurrogate(cut.charCodeAt(cut.length - 1))) cut = cut.slice(0, -1);
  cut = cut.replace(DANGLING_RE, '');
  const slashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (slashes % 2 === 1) cut = cut.slice(0, -1).replace(DANGLING_RE, '');
  return cut ? `${cut}${ELLIPSIS}` : '';
}
