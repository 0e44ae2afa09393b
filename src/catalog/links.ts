/**
 * Cross-links between cards: "{{Title}}" (or "{{Subgroup: Title}}") in a card's text names
 * another card. Resolved to the profile of the actor holding the linked card.
 */
import type { ActorCard, LoadedCard } from '../cards/model.js';
import { compactKey, normalize } from '../search/normalize.js';

const CROSS_LINK_RE = /\{\{(.+?)\}\}/g;

export interface CrossLinkMatch {
  /** The full "{{...}}" text. */
  raw: string;
  target: string;
  subgroup: boolean;
  index: number;
}

export function findCrossLinks(text: string): CrossLinkMatch[] {
  const out: CrossLinkMatch[] = [];
  for (const m of text.matchAll(CROSS_LINK_RE)) {
    const inner = (m[1] ?? '').trim();
    const sub = /^subgroup:\s*/i.exec(inner);
    out.push({
      raw: m[0],
      target: sub ? inner.slice(sub[0].length).trim() : inner,
      subgroup: sub !== null,
      index: m.index ?? 0,
    });
  }
  return out;
}

/** "{{Subgroup: X}}" -> "X": cross-links as plain names, for text shown without links. */
export function withoutLinkBraces(text: string): string {
  return text.replace(CROSS_LINK_RE, (_, inner: string) =>
    inner.replace(/^\s*subgroup:\s*/i, '').trim(),
  );
}

/** Every text of a card that may hold cross-links (ETDA puts them in tools too). */
export function linkableTexts(card: ActorCard): string[] {
  return [
    ...card.description,
    ...card.tools,
    ...[...card.operations, ...card.counterOperations].flatMap((op) => [op.title, op.text]),
  ];
}

/** The key a card's title has for cross-links: its names as the title line writes them. */
export function titleKey(card: ActorCard): string {
  return normalize(card.names.join(', '));
}

/**
 * Resolves a link target to a profile. Cross-links hold the linked card's title ("Winnti
 * Group, Blackfly, Wicked Panda"); a link naming one of its names also resolves when that name
 * is one actor's. Made from keys (each card's title key, each actor's name keys, as the actor
 * cache keeps them) so that no card is parsed to build it; `entryOf` gives an owner's profile.
 *
 * The first lookups scan the keys: a command answering one actor resolves a handful of links,
 * and building both maps over the three public catalogs cost more than the rest of its start.
 * After `scanned` lookups (a bot answering all day) the maps are built once.
 */
export function linkResolver<T>(
  titles: () => Iterable<readonly [title: string, owner: T]>,
  names: () => Iterable<readonly [key: string, owner: T]>,
  isName: (key: string, owner: T) => boolean,
  entryOf: (owner: T) => LoadedCard,
  scanned = SCANNED_LOOKUPS,
): (target: string) => LoadedCard | undefined {
  let lookups = 0;
  let maps: { byTitle: Map<string, T>; byName: Map<string, T | null> } | undefined;
  const owner = (target: string): T | null | undefined => {
    const title = normalize(target);
    const key = compactKey(target);
    if (maps) return maps.byTitle.get(title) ?? maps.byName.get(key);
    if (++lookups > scanned) {
      maps = linkMaps(titles(), names(), isName);
      return owner(target);
    }
    for (const [t, o] of titles()) if (t === title) return o;
    let found: T | null | undefined;
    for (const [k, o] of names()) {
      if (k !== key || found === o || !isName(k, o)) continue;
      if (found !== undefined) return null; // two actors carry this name: not a link to either
      found = o;
    }
    return found;
  };
  return (target) => {
    const o = owner(target);
    return o == null ? undefined : entryOf(o);
  };
}

const SCANNED_LOOKUPS = 32;

/** The first owner of each title; each name's owner, or null when two owners share it. */
function linkMaps<T>(
  titles: Iterable<readonly [string, T]>,
  names: Iterable<readonly [string, T]>,
  isName: (key: string, owner: T) => boolean,
): { byTitle: Map<string, T>; byName: Map<string, T | null> } {
  const byTitle = new Map<string, T>();
  const byName = new Map<string, T | null>();
  for (const [title, owner] of titles) if (!byTitle.has(title)) byTitle.set(title, owner);
  for (const [key, owner] of names) {
    if (!isName(key, owner)) continue;
    const other = byName.get(key);
    byName.set(key, other === undefined || other === owner ? owner : null);
  }
  return { byTitle, byName };
}
