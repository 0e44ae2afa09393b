/**
 * Keeping imported text from changing a card's structure. A card is markdown: a line break in a
 * name would end the title, a line "## X" in a description would open a section. Importers pass
 * every single-line field through oneLine() and every paragraph through safeBlock(); text that
 * needs neither (all of the ETDA and MISP corpus) comes out unchanged, byte for byte.
 */

/** Line breaks (and the spaces around them) become one space. */
export function oneLine(text: string): string {
  return /[\r\n\u2028\u2029]/.test(text)
    ? text.replace(/[ \t]*[\r\n\u2028\u2029]+[ \t]*/g, ' ')
    : text;
}

/**
 * Lines that markdown would read as structure are escaped with a backslash: ATX headings
 * ("## X"), setext underlines ("---", "==="), code fences (an unclosed one swallows the rest of
 * the card) and the HTML blocks that run to their closing tag rather than to a blank line.
 */
const STRUCTURAL_LINE_RE =
  /^( {0,3})(#{1,6}(?=[ \t]|$)|=+[ \t]*$|-+[ \t]*$|`{3,}|~{3,}|<(?:script|pre|style|textarea|!--|\?|![A-Za-z]|!\[CDATA\[))/i;

export function safeBlock(text: string): string {
  const normalized = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  if (!normalized.split('\n').some((line) => STRUCTURAL_LINE_RE.test(line))) return normalized;
  return normalized
    .split('\n')
    .map((line) => line.replace(STRUCTURAL_LINE_RE, '$1\\$2'))
    .join('\n');
}

/** Paragraphs as the card parser reads them: split on blank lines, trimmed, none empty. */
export function paragraphs(text: string): string[] {
  return safeBlock(text)
    .split(/\n[ \t]*\n/)
    .map((block) => block.replace(/^\n+|\s+$/g, ''))
    .filter((block) => block.length > 0);
}
