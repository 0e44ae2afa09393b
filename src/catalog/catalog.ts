/**
 * Parsed cards -> the catalog: one card per UUID and folder, the actors the cards describe with
 * their merged profiles (actors.ts, profile.ts, the analyst's overrides.ts), cross-links
 * resolved (links.ts), and the warnings a catalog author should see. Pure: no files read here.
 */
import { dirname } from 'node:path';
import { displayName, type LoadedCard } from '../cards/model.js';
import { compactKey } from '../search/normalize.js';
import { type Actor, type ActorLink, groupActors } from './actors.js';
import type { CatalogIssue } from './issues.js';
import { findCrossLinks, linkableTexts, linkResolver } from './links.js';
import { type ActorOverrides, NO_OVERRIDES } from './overrides.js';
import { type ActorProfile, mergeProfile } from './profile.js';

// Where replies have always found the cross-link helpers.
export { type CrossLinkMatch, findCrossLinks, linkableTexts, withoutLinkBraces } from './links.js';

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

/** One collator for all sorting: localeCompare with options builds a new one per call. */
const BY_NAME = new Intl.Collator('en', { sensitivity: 'base' });

export function buildCatalog(
  loaded: LoadedCard[],
  issues: CatalogIssue[] = [],
  overrides: ActorOverrides = NO_OVERRIDES,
): Catalog {
  const all = [...issues];
  const { kept, byUuid } = oneCardPerUuid(loaded, all);
  const { actors, hidden, links } = actorsOf(kept, overrides);
  const byMember = new Map<string, CatalogActor>();
  for (const actor of actors) {
    for (const entry of [...actor.cards, ...actor.folded]) {
      if (!byMember.has(entry.card.uuid)) byMember.set(entry.card.uuid, actor);
    }
  }
  const actorOfCard = new Map<LoadedCard, CatalogActor>();
  for (const actor of actors) for (const entry of actor.cards) actorOfCard.set(entry, actor);
  const profiles = actors.map((a) => a.profile.entry);
  const resolveLink = linkResolver(kept, (e) => actorOfCard.get(e)?.profile.entry, profiles);
  all.push(...cardWarnings(kept, resolveLink), ...sharedAliasWarnings(actors, kept.length));
  return {
    cards: kept,
    byUuid,
    issues: all,
    actors,
    profiles,
    hidden,
    links,
    overrides,
    actorOf: (uuid) => byMember.get(uuid.toLowerCase()),
    profileOf: (uuid) => byMember.get(uuid.toLowerCase())?.profile.entry,
    resolveLink,
  };
}

/**
 * The cards sorted by display name, a second copy of a UUID in one folder reported and
 * skipped. Across folders a UUID is one actor's (actors.ts merges them); `byUuid` keeps the
 * first.
 */
function oneCardPerUuid(loaded: LoadedCard[], issues: CatalogIssue[]) {
  const byUuid = new Map<string, LoadedCard>();
  const kept: LoadedCard[] = [];
  /** "folder\0uuid": a UUID is unique inside one folder; across folders it is one actor's. */
  const inFolder = new Map<string, LoadedCard>();
  for (const entry of loaded) {
    const folderKey = `${dirname(entry.source.file)}\u0000${entry.card.uuid}`;
    const prior = inFolder.get(folderKey);
    if (prior) {
      issues.push({
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
  return { kept, byUuid };
}

/** The actors stage: cards grouped into actors, each with its merged profile. */
function actorsOf(cards: readonly LoadedCard[], overrides: ActorOverrides) {
  const grouped = groupActors(cards, overrides);
  const actors: CatalogActor[] = grouped.actors.map((a) => ({ ...a, profile: mergeProfile(a) }));
  return { actors, hidden: grouped.hidden, links: grouped.links };
}

/** A card with no aliases, a cross-link that names no card. */
function cardWarnings(
  cards: readonly LoadedCard[],
  resolveLink: (target: string) => LoadedCard | undefined,
): CatalogIssue[] {
  const out: CatalogIssue[] = [];
  for (const { card, source } of cards) {
    if (card.aliases.length === 0) {
      out.push({ level: 'warning', file: source.file, line: 0, message: 'no aliases listed' });
    }
    for (const text of linkableTexts(card)) {
      for (const link of findCrossLinks(text)) {
        if (!resolveLink(link.target)) {
          out.push({
            level: 'warning',
            file: source.file,
            line: 0,
            message: `cross-link ${link.raw} names no card in this catalog`,
          });
        }
      }
    }
  }
  return out;
}

/** A name on two actors is worth a warning; on two cards of one actor it is not. */
function sharedAliasWarnings(actors: readonly CatalogActor[], cardCount: number): CatalogIssue[] {
  const owners = new Map<string, Set<CatalogActor>>();
  for (const actor of actors) {
    for (const alias of actor.profile.entry.card.aliases) {
      const key = compactKey(alias.name);
      const set = owners.get(key) ?? new Set<CatalogActor>();
      owners.set(key, set);
      set.add(actor);
    }
  }
  const out: CatalogIssue[] = [];
  for (const [, set] of owners) {
    if (set.size < 2) continue;
    const list = [...set];
    const alias = list[0]?.profile.entry.card.aliases.find(
      (a) => owners.get(compactKey(a.name)) === set,
    );
    const leads = list.map((a) => a.profile.entry);
    out.push({
      level: 'warning',
      file: leads.map((c) => c.source.file).join(', '),
      line: 0,
      message: `alias "${alias?.name ?? '?'}" is shared by ${list.length} ${actors.length === cardCount ? 'cards' : 'actors'}: ${leads.map((c) => displayName(c.card)).join('; ')}`,
    });
  }
  return out;
}
