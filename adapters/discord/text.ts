/**
 * Text for Discord: card and user text made inert (markdown, line-start markers, mentions),
 * our own bold kept balanced after a cut, plain labels capped, and source links written as
 * masked links that show their real host. All pure.
 */
import { webLink } from '../shared/links.js';
import { truncate } from '../shared/truncate.js';

/** A bare URL: Discord links it as written, so nothing inside it is escaped (it would break). */
const URL_RE = /\bhttps?:\/\/[^\s<>]+/g;
/**
 * One pass over the text finds everything that needs neutralising: a character that opens or
 * closes inline markdown, masked links or an escape; a marker that only means something at the
 * start of a line (quote, heading, subtext, list item, "1." numbering); a mention.
 */
const ESCAPE_RE =
  /[\\*_~`|[\]]|^[ \t]*(?:[>#+-]|\d+(?=\.))|@(?:everyone|here)|<(?:@[!&]?|#)(?=\d)/gim;

function escapeMatch(m: string): string {
  const first = m[0] ?? '';
  if (first === '@') return `@\u200b${m.slice(1)}`;
  if (first === '<') return `${m}\u200b`;
  if (first === ' ' || first === '\t' || (first >= '0' && first <= '9')) {
    // A line-start marker after an indent, or "1." numbering (escape the dot, not the digits).
    const indent = /^[ \t]*/.exec(m)?.[0] ?? '';
    const marker = m.slice(indent.length);
    return /^\d/.test(marker) ? `${indent}${marker}\\` : `${indent}\\${marker}`;
  }
  return `\\${m}`;
}

function escapeSegment(text: string): string {
  return text.replace(ESCAPE_RE, escapeMatch);
}

/**
 * Make card or user text inert: every inline markdown character (`* _ ~ \` | [ ] \\`) and every
 * line-start marker (quote, heading, subtext, list) is escaped, and mentions (`@everyone`,
 * `@here`, `<@id>`, `<@&role>`, `<#channel>`) are broken with a zero-width space so they show as
 * typed and never resolve. (No message pings anyway: the client sends `allowed_mentions: { parse:
 * [] }`.) Bare URLs are left whole so they stay clickable.
 *
 * discord.js's `escapeMarkdown` does the same job, but its look-behinds make it slow on long
 * text (about 2.5 ms for one large card on this machine, most of an interaction's budget), so
 * this is a single linear pass instead.
 */
export function escapeText(text: string): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(URL_RE)) {
    const index = m.index ?? 0;
    out += escapeSegment(text.slice(at, index)) + m[0];
    at = index + m[0].length;
  }
  return out + escapeSegment(text.slice(at));
}

/** Discord markdown we write ourselves (`**name**`) must stay balanced after a cut. */
export function balanceBold(text: string): string {
  let count = 0;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '*' && text[i + 1] === '*') {
      count++;
      last = i;
      i++;
    }
  }
  return count % 2 === 1 ? text.slice(0, last) + text.slice(last + 2) : text;
}

/** Plain (unrendered) text such as button labels and select options: no escaping, just a cap. */
export function plain(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max) || text.slice(0, max);
}

/** A source URL as a masked link (`[host](url)`), or escaped text when it is not http(s). */
export function sourceLink(url: string): string {
  const link = webLink(url);
  return link ? namedLink(url, link.host) : escapeText(url);
}

/**
 * A masked link labelled with a name of our own (a host, a source: "ETDA"), never with card
 * text; the label alone when the URL is not http(s).
 */
export function namedLink(url: string, label: string): string {
  const link = webLink(url);
  if (!link) return escapeText(label);
  // Brackets would end the markdown link early; encodeURIComponent leaves ( ) alone.
  const href = link.url.href.replace(
    /[()<>\s[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${escapeText(label)}](${href})`;
}
