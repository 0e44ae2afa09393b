/**
 * Links both renderers show: only http(s), never with credentials, labelled with the real host
 * name so that no card text can disguise where a link goes. Each platform then writes the link
 * in its own syntax (Slack `<url|host>`, Discord `[host](url)`) with its own escaping.
 */

export interface WebLink {
  /** The address, without user name or password. */
  url: URL;
  /** The host name without "www.", to label the link with. */
  host: string;
}

/** `raw` as a web link, or undefined when it is not an http(s) URL. */
export function webLink(raw: string): WebLink | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.username = '';
  url.password = '';
  return { url, host: url.hostname.replace(/^www\./, '') };
}
