/**
 * Text helpers for Slack: escaping outgoing text, shortening it to Block Kit's limits (by the
 * shared word-boundary rule), making safe links, and turning incoming Slack-formatted text back
 * into plain text. All pure.
 */
import { webLink } from '../shared/links.js';
import { ELLIPSIS, truncate } from '../shared/truncate.js';

/**
 * Escape the three characters Slack treats as control characters in text objects. With them
 * escaped, no card or user text can form `<!channel>`, `<!here>`, `<@U123>` or `<url|label>`.
 */
export function escapeMrkdwn(text: string): string {
  if (!/[&<>]/.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Shorten text that is already escaped (or is mrkdwn built from escaped pieces) without leaving
 * half an entity such as `&am` behind.
 */
export function truncateEscaped(text: string, max: number): string {
  const cut = truncate(text, max);
  if (cut === text || !cut.endsWith(ELLIPSIS)) return cut;
  const body = cut.slice(0, -ELLIPSIS.length).replace(/&[a-z]{0,3}$/, '');
  return `${body.replace(/\s+$/, '')}${ELLIPSIS}`;
}

/** Escape, then shorten to `max` characters of escaped text. */
export function fitText(text: string, max: number): string {
  return truncateEscaped(escapeMrkdwn(text.trim()), max);
}

/**
 * Join items with `sep`, keeping as many whole items as fit in `max` characters, then "+N more".
 * Items are already escaped (or mrkdwn). A first item that alone is too long is shortened.
 */
export function joinFit(items: string[], sep: string, max: number): string {
  const all = items.join(sep);
  if (all.length <= max) return all;
  const more = (n: number) => (n > 0 ? ` +${n} more` : '');
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i] ?? '';
    const next = out ? `${out}${sep}${item}` : item;
    // Invariant: `out` plus "+N more" for everything after it always fits.
    if (next.length + more(items.length - i - 1).length > max) {
      if (out) return `${out}${more(items.length - i)}`;
      const tail = more(items.length - 1);
      return `${truncateEscaped(item, max - tail.length)}${tail}`;
    }
    out = next;
  }
  return out;
}

/** An http(s) URL made safe inside `<...|...>` (no `|`, `<`, `>`, bare `&`), or undefined. */
function safeHref(raw: string): { href: string; host: string } | undefined {
  const web = webLink(raw);
  if (!web) return undefined;
  const href = web.url.href
    .replace(/&/g, '&amp;')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\|/g, '%7C');
  return { href, host: web.host };
}

/**
 * A Slack link for an http(s) URL, labelled with its host name (never with card text, so a
 * link cannot be disguised). Anything else, or a URL too long to be useful, gives undefined.
 */
export function safeLink(raw: string, maxLength = 600): string | undefined {
  const safe = safeHref(raw);
  if (!safe) return undefined;
  const link = `<${safe.href}|${escapeMrkdwn(safe.host)}>`;
  return link.length <= maxLength ? link : undefined;
}

/** A link labelled with a name of our own (a source: "ETDA"), never with card text. */
export function namedLink(raw: string, label: string, maxLength = 600): string | undefined {
  const safe = safeHref(raw);
  if (!safe) return undefined;
  const link = `<${safe.href}|${escapeMrkdwn(label)}>`;
  return link.length <= maxLength ? link : undefined;
}

const SPECIAL_MENTIONS: Record<string, string> = {
  here: '@here',
  channel: '@channel',
  everyone: '@everyone',
};

/**
 * Turn Slack-formatted message text into the plain text a person typed: `<url|label>` becomes
 * the label, `<@U123>` "@U123", `<#C123|general>` "#general", `<!here>` "@here", and the
 * entities `&amp;`, `&lt;`, `&gt;` their characters.
 */
export function slackToPlain(text: string): string {
  return text
    .slice(0, SLACK_MAX_TEXT)
    .replace(/<([^<>]*)>/g, (_match, inner: string) => {
      const bar = inner.indexOf('|');
      const target = bar >= 0 ? inner.slice(0, bar) : inner;
      const label = bar >= 0 ? inner.slice(bar + 1) : '';
      if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
      if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : target;
      if (target.startsWith('!')) {
        const name = target.slice(1).split('^')[0] ?? '';
        return label || SPECIAL_MENTIONS[name] || `@${name}`;
      }
      return label || target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Slack's limit on a message's text: nothing longer reaches a pattern here. */
export const SLACK_MAX_TEXT = 40_000;

/**
 * Remove mentions of the bot (`<@UBOT>` or `<@UBOT|aptcard>`) from message text. Split on the
 * mention itself rather than matching the spaces around it: `\s*<@U...>` retries from every
 * space of a long run and takes quadratic time.
 */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  const capped = text.slice(0, SLACK_MAX_TEXT);
  if (!botUserId) return capped.replace(/^\s*<@[A-Z0-9]+(?:\|[^<>]*)?>[,:]?/, '').trimStart();
  const id = botUserId.replace(/[^A-Za-z0-9]/g, '');
  return capped
    .split(new RegExp(`<@${id}(?:\\|[^<>]*)?>[,:]?`))
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join(' ');
}
