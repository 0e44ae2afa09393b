/** What both platforms call a card's pictures when they send them as files. */

/** "lazarus-group-map.png": ASCII only, so it is safe in Discord's `attachment://` URLs. */
export function pictureFileName(name: string, what: 'map' | 'timeline'): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'actor'}-${what}.png`;
}
