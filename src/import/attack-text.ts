/**
 * ATT&CK prose, as both its STIX bundles and the MISP galaxy's MITRE cluster carry it:
 *   "[Dragonfly](https://attack.mitre.org/groups/G0035) has targeted ...(Citation: Symantec Dragonfly)"
 * Markdown links become their text (the link is kept, for the card's references) and
 * "(Citation: X)" markers are removed (the cited names are kept, to be listed with their URLs).
 */

export interface LabelledLink {
  label: string;
  url: string;
}

export interface CleanedText {
  text: string;
  /** Markdown links found in the text, in order, de-duplicated by URL. */
  links: LabelledLink[];
  /** Names cited with "(Citation: X)", in order of first citation, de-duplicated. */
  citations: string[];
}

const LINK_RE = /\[([^\]\n]{0,300})\]\((https?:\/\/[^\s()]{1,2000})\)/g;
/** One level of parentheses inside a citation name: "(Citation: Microsoft (2019))". */
const CITATION_RE = /[ \t]*\(Citation:[ \t]*((?:[^()\n]|\([^()\n]*\)){0,300}?)[ \t]*\)/g;

export function cleanAttackText(text: string): CleanedText {
  const links: LabelledLink[] = [];
  const seenUrls = new Set<string>();
  const citations: string[] = [];
  const seenCitations = new Set<string>();
  const withoutLinks = text.replace(LINK_RE, (_all, label: string, url: string) => {
    if (!seenUrls.has(url)) {
      seenUrls.add(url);
      links.push({ label: label.trim() || url, url });
    }
    return label;
  });
  const withoutCitations = withoutLinks.replace(
    CITATION_RE,
    (all: string, name: string, offset: number, whole: string) => {
      const cited = name.trim();
      if (cited && !seenCitations.has(cited)) {
        seenCitations.add(cited);
        citations.push(cited);
      }
      // "2015.(Citation: A)There" -> "2015. There": a marker between two words leaves a space.
      const before = whole[offset - 1] ?? '';
      const after = whole[offset + all.length] ?? '';
      return /\S/.test(before) && /[\p{L}\p{N}]/u.test(after) ? ' ' : '';
    },
  );
  const tidied = withoutCitations.replace(/([^ \t\n])[ \t]{2,}/g, '$1 ').replace(/[ \t]+$/gm, '');
  return { text: tidied, links, citations };
}
