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

/**
 * Resolves a link target to a profile. Cross-links hold the linked card's title ("Winnti
 * Group, Blackfly, Wicked Panda"); a link naming one of its names also resolves when that name
 * is one actor's.
 */
export function linkResolver(
  cards: readonly LoadedCard[],
  profileOfCard: (entry: LoadedCard) => LoadedCard | undefined,
  profiles: readonly LoadedCard[],
): (target: string) => LoadedCard | undefined {
  const byTitle = new Map<string, LoadedCard>();
  const byName = new Map<string, LoadedCard | null>();
  for (const entry of cards) {
    const profile = profileOfCard(entry);
    if (!profile) continue;
    const title = normalize(entry.card.names.join(', '));
    if (!byTitle.has(title)) byTitle.set(title, profile);
  }
  for (const profile of profiles) {
    for (const name of allNames(profile.card)) {
      const key = compactKey(name);
      const other = byName.get(key);
      byName.set(key, other === undefined || other === profile ? profile : null);
    }
  }
  return (target) => byTitle.get(normalize(target)) ?? byName.get(compactKey(target)) ?? undefined;
}
