import { dirname } from 'node:path';
import { type ActorCard, allNames, displayName, type LoadedCard } from '../cards/model.js';
import { compactKey, normalize } from '../search/normalize.js';
import { type Actor, type ActorLink, groupActors } from './actors.js';
import type { CatalogIssue } from './issues.js';
import { type ActorOverrides, NO_OVERRIDES } from './overrides.js';
import { type ActorProfile, mergeProfile } from './profile.js';

/** An actor with its merged profile. */
export interface CatalogActor extends Actor {
  readonly profile: ActorProfile;
}

/** A loaded, immutable set of cards. A reload builds a new one; nothing mutates this. */
export interface Catalog {
  /** Cards (the files) sorted by display name (case-insensitive). */
  readonly cards: readonly LoadedCard[];
  readonly byUuid: ReadonlyMap<string, LoadedCard>;
  readonly issues: readonly CatalogIssue[];
  /** The actors the cards describe (src/catalog/actors.ts), sorted by display name. */
  readonly actors: readonly CatalogActor[];
  /** Each actor's merged profile card, in the order of `actors`: what search and replies use. */
  readonly profiles: readonly LoadedCard[];
  /** Revoked or deprecated entries with no replacement: no actor of their own. */
  readonly hidden: readonly LoadedCard[];
  /** Why cards of different sources were merged or kept apart. */
  readonly links: readonly ActorLink[];
  readonly overrides: ActorOverrides;
  /** The actor holding the card with this UUID (any of its cards, or a folded entry). */
  actorOf(uuid: string): CatalogActor | undefined;
  /** The merged profile of the actor holding this UUID. */
  profileOf(uuid: string): LoadedCard | undefined;
  /** Resolve a `{{Title}}` cross-link to the profile of the actor holding that card. */
  resolveLink(target: string): LoadedCard | undefined;
}

const CROSS_LINK_RE = /\{\{(.+?)\}\}/g;
/** One collator for all sorting: localeCompare with options builds a new one per call. */
const BY_NAME = new Intl.Collator('en', { sensitivity: 'base' });

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

export function buildCatalog(
  loaded: LoadedCard[],
  issues: CatalogIssue[] = [],
  overrides: ActorOverrides = NO_OVERRIDES,
): Catalog {
  const all = [...issues];
  const byUuid = new Map<string, LoadedCard>();
  const kept: LoadedCard[] = [];
  /** "folder\0uuid": a UUID is unique inside one folder; across folders it is one actor's. */
  const inFolder = new Map<string, LoadedCard>();
  for (const entry of loaded) {
    const folderKey = `${dirname(entry.source.file)}\u0000${entry.card.uuid}`;
    const prior = inFolder.get(folderKey);
    if (prior) {
      all.push({
        level: 'error',
        file: entry.source.file,
        line: 0,
        message: `duplicate UUID ${entry.card.uuid} (also in ${prior.source.file}); this copy is skipped`,
      });
      continue;
    }
    inFolder.set(folderKey, entry);
    if (!byUuid.has(entry.card.uuid)) byUuid.set(entry.card.uuid, entry);
    kept.push(entry);
  }
  kept.sort((a, b) => BY_NAME.compare(displayName(a.card), displayName(b.card)));

  const grouped = groupActors(kept, overrides);
  const actors: CatalogActor[] = grouped.actors.map((a) => ({ ...a, profile: mergeProfile(a) }));
  const byMember = new Map<string, CatalogActor>();
  for (const actor of actors) {
    for (const entry of [...actor.cards, ...actor.folded]) {
      if (!byMember.has(entry.card.uuid)) byMember.set(entry.card.uuid, actor);
    }
  }
  const actorOfCard = new Map<LoadedCard, CatalogActor>();
  for (const actor of actors) for (const entry of actor.cards) actorOfCard.set(entry, actor);

  // Cross-links hold the linked card's title ("Winnti Group, Blackfly, Wicked Panda");
  // a link naming one of its names also resolves when that name is one actor's.
  const byTitle = new Map<string, LoadedCard>();
  const byName = new Map<string, LoadedCard | null>();
  for (const entry of kept) {
    const profile = actorOfCard.get(entry)?.profile.entry;
    if (!profile) continue;
    const title = normalize(entry.card.names.join(', '));
    if (!byTitle.has(title)) byTitle.set(title, profile);
  }
  for (const actor of actors) {
    const profile = actor.profile.entry;
    for (const name of allNames(profile.card)) {
      const key = compactKey(name);
      const other = byName.get(key);
      byName.set(key, other === undefined || other === profile ? profile : null);
    }
  }
  const resolveLink = (target: string): LoadedCard | undefined =>
    byTitle.get(normalize(target)) ?? byName.get(compactKey(target)) ?? undefined;

  for (const entry of kept) {
    const { card, source } = entry;
    if (card.aliases.length === 0) {
      all.push({ level: 'warning', file: source.file, line: 0, message: 'no aliases listed' });
    }
    for (const text of linkableTexts(card)) {
      for (const link of findCrossLinks(text)) {
        if (!resolveLink(link.target)) {
          all.push({
            level: 'warning',
            file: source.file,
            line: 0,
            message: `cross-link ${link.raw} names no card in this catalog`,
          });
        }
      }
    }
  }
  // A name on two actors is worth a warning; on two cards of one actor it is not.
  const owners = new Map<string, Set<CatalogActor>>();
  for (const actor of actors) {
    for (const alias of actor.profile.entry.card.aliases) {
      const key = compactKey(alias.name);
      const set = owners.get(key) ?? new Set<CatalogActor>();
      owners.set(key, set);
      set.add(actor);
    }
  }
  for (const [, set] of owners) {
    if (set.size < 2) continue;
    const list = [...set];
    const alias = list[0]?.profile.entry.card.aliases.find(
      (a) => owners.get(compactKey(a.name)) === set,
    );
    const leads = list.map((a) => a.profile.entry);
    all.push({
      level: 'warning',
      file: leads.map((c) => c.source.file).join(', '),
      line: 0,
      message: `alias "${alias?.name ?? '?'}" is shared by ${list.length} ${actors.length === kept.length ? 'cards' : 'actors'}: ${leads.map((c) => displayName(c.card)).join('; ')}`,
    });
  }
  return {
    cards: kept,
    byUuid,
    issues: all,
    actors,
    profiles: actors.map((a) => a.profile.entry),
    hidden: grouped.hidden,
    links: grouped.links,
    overrides,
    actorOf: (uuid) => byMember.get(uuid.toLowerCase()),
    profileOf: (uuid) => byMember.get(uuid.toLowerCase())?.profile.entry,
    resolveLink,
  };
}
