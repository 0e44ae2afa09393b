/**
 * Word-wrap for a terminal: lines break at spaces, never inside a word, a UUID or a URL (a word
 * longer than the line goes on a line of its own, whole, and the terminal folds it: cutting it
 * would break copy and paste). A wrapped line keeps its indentation, and a list item ("- ",
 * "• ", "1. ") continues under its text, not under its bullet.
 */

/** Indentation and bullet of a line: "  - " of "  - Operation X". */
const LEAD_RE = /^(\s*)((?:[-*•]|\d{1,3}[.)])\s+)?/;

/** Code points, not UTF-16 units: "🇺🇸" is not four columns wide, nor is an accented name. */
function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function wrapLine(line: string, columns: number): string[] {
  if (width(line) <= columns) return [line];
  const lead = LEAD_RE.exec(line)?.[0] ?? '';
  // A lead too wide to leave room for text is not kept as a hanging indent.
  const hang = width(lead) < columns / 2 ? ' '.repeat(width(lead)) : '';
  // Each word with the spaces before it, kept inside a line ("2023-09  Title" stays aligned)
  // and dropped where the line breaks.
  const words = [...line.slice(lead.length).matchAll(/( *)([^ ]+)/g)];
  const out: string[] = [];
  let current = lead;
  let empty = true;
  for (const [, gap = '', word = ''] of words) {
    const candidate = empty ? current + word : current + gap + word;
    if (empty || width(candidate) <= columns) {
      current = candidate;
      empty = false;
      continue;
    }
    out.push(current);
    current = hang + word;
  }
  out.push(current);
  return out;
}

/** Wrap every line of `text` to `columns` (0 or less: unchanged, e.g. output to a pipe). */
export function wrapText(text: string, columns: number): string {
  if (columns <= 0) return text;
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, columns))
    .join('\n');
}
