/**
 * Cross-links between cards: "{{Title}}" (or "{{Subgroup: Title}}") in a card's text names
 * another card. Resolved to the profile of the actor holding the linked card.
 */
import { type ActorCard, allNames, type LoadedCard } from '../cards/model.js';
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
 */
export function linkResolver<T>(
  titles: Iterable<readonly [title: string, owner: T]>,
  names: Iterable<readonly [key: string, owner: T]>,
  entryOf: (owner: T) => LoadedCard,
): (target: string) => LoadedCard | undefined {
  const byTitle = new Map<string, T>();
  const byName = new Map<string, T | null>();
  for (const [title, owner] of titles) if (!byTitle.has(title)) byTitle.set(title, owner);
  for (const [key, owner] of names) {
    const other = byName.get(key);
    byName.set(key, other === undefined || other === owner ? owner : null);
  }
  return (target) => {
    const owner = byTitle.get(normalize(target)) ?? byName.get(compactKey(target));
    return owner == null ? undefined : entryOf(owner);
  };
}
