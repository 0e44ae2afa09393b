/**
 * Parsed cards -> the catalog: one card per UUID in a folder and in a source, the actors the cards describe with
 * their merged profiles (actors.ts, profile.ts, the analyst's overrides.ts), cross-links
 * resolved (links.ts), and the warnings a catalog author should see. Pure: no files read here.
 */
import { cardUuid, displayName, type LoadedCard } from '../cards/model.js';
import { compactKey } from '../search/normalize.js';
import { type Actor, type ActorLink, groupActors } from './actors.js';
import { sourceOf } from './card-facts.js';
import { cardKeys } from './card-keys.js';
import { cardTextFacts } from './card-text-facts.js';
import type { CatalogIssue } from './issues.js';
import { linkResolver, titleKey } from './links.js';
import { oneCardPerUuid } from './one-card-per-uuid.js';
import { type ActorOverrides, NO_OVERRIDES } from './overrides.js';
import { preferredOwner } from './owners.js';
import {
  type ActorProfile,
  mergeProfile,
  type ProfileRecipe,
  profileFromRecipe,
  profileRecipe,
} from './profile.js';
import type { GroupingMemo } from './regroup.js';

// Where replies have always found the cross-link helpers.
export { type CrossLinkMatch, findCrossLinks, linkableTexts, withoutLinkBraces } from './links.js';

/** An actor with its merged profile. */
export interface CatalogActor extends Actor {
  readonly profile: ActorProfile;
  /** Its keys in the exact table (src/search/exact.ts): names, aliases, card UUIDs, compacted. */
  readonly keys: readonly string[];
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
  /**
   * For a name (compactKey) that several actors answer to, the one most sources call so
   * (preferredOwner in owners.ts), worked out when the catalog was built; else undefined.
   */
  settledOwner(key: string): CatalogActor | undefined;
}

/**
 * What building a catalog derives from its cards at a cost (the grouping into actors, the merged
 * profiles, the catalog-wide warnings, the names that one actor holds over others), as plain
 * data by position, so the actor cache (index-cache.ts) can keep it and a start reads it
 * instead of deriving it again. Everything else a catalog has is cheap to redo from it.
 */
export interface DerivedCatalog {
  /** Positions in the loaded cards of the cards kept (one per UUID and folder), in display order. */
  kept: number[];
  /** The actors in display order: positions in `kept` of their cards (lead first), folded entries. */
  actors: { cards: number[]; folded: number[]; keys: string[]; recipe?: ProfileRecipe }[];
  /** Positions in `kept` of the revoked entries with no replacement. */
  hidden: number[];
  /** Duplicate UUIDs, cards without aliases, broken cross-links, names shared by actors. */
  issues: CatalogIssue[];
  /** A name several actors answer to -> the position of the one most sources call so. */
  settled: [string, number][];
  /** Each kept card's title key for cross-links (titleKey in links.ts), in `kept` order. */
  titles?: string[];
}

/** The DerivedCatalog each catalog was built from (the worker hands it to the main thread). */
const derivedOf = new WeakMap<Catalog, DerivedCatalog>();

export function derivedCatalog(catalog: Catalog): DerivedCatalog | undefined {
  return derivedOf.get(catalog);
}

/** The same derivation for a catalog built again from its kept cards (`catalog.cards`). */
export function overKeptCards(d: DerivedCatalog): DerivedCatalog {
  return { ...d, kept: d.kept.map((_, i) => i) };
}

/**
 * The catalog of these cards. `derived`, from the actor cache or another thread, must have been
 * derived from the same cards (same order) and overrides: then nothing is grouped or merged
 * here, and the cached and fresh catalogs are the same (test/catalog/actor-cache.test.ts).
 * `allIssues` replaces the issue list (a worker's, already complete). `grouping` remembers the
 * last grouping, so that a build after a few changed cards groups only the cards they touch.
 */
export function buildCatalog(
  loaded: LoadedCard[],
  issues: CatalogIssue[] = [],
  overrides: ActorOverrides = NO_OVERRIDES,
  derived?: DerivedCatalog,
  allIssues?: readonly CatalogIssue[],
  grouping?: GroupingMemo,
): Catalog {
  const made = derived ? undefined : deriveCatalog(loaded, overrides, grouping);
  const d = derived ?? (made as Derivation).derived;
  const kept = keptCards(loaded, d);
  const actors = made?.actors ?? d.actors.map((a) => catalogActor(a, kept));
  const all = allIssues ? [...allIssues] : [...issues, ...d.issues];
  return derivedCatalogOf(loaded, kept, actors, d, overrides, all, made?.grouped);
}

/** The kept cards of a derivation, in display order. */
export function keptCards(loaded: readonly LoadedCard[], d: DerivedCatalog): LoadedCard[] {
  return d.kept.map((i) => at(loaded, i));
}

/**
 * The catalog of a derivation once its actors are made (buildCatalog; catalog-in-steps.ts
 * makes them in slices): the same catalog either way.
 */
export function derivedCatalogOf(
  loaded: readonly LoadedCard[],
  kept: LoadedCard[],
  actors: CatalogActor[],
  d: DerivedCatalog,
  overrides: ActorOverrides,
  issues: CatalogIssue[],
  grouped?: ReturnType<typeof groupActors>,
): Catalog {
  // The first kept copy of a UUID in loading order (a copy skipped as a duplicate never is).
  const inLoadingOrder = [...d.kept].sort((a, b) => a - b).map((i) => at(loaded, i));
  const catalog = assembleCatalog({
    kept,
    inLoadingOrder,
    actors,
    hidden: d.hidden.map((i) => at(kept, i)),
    issues,
    settled: d.settled,
    overrides,
    ...(d.titles ? { titles: d.titles } : {}),
    ...(grouped ? { grouped } : {}),
  });
  derivedOf.set(catalog, d);
  return catalog;
}

/** What a catalog is made of once its actors exist (buildCatalog, or a reload's delta). */
export interface CatalogParts {
  /** The kept cards in display order. */
  kept: LoadedCard[];
  /** The same cards in the order whose first copy of a UUID `byUuid` gives. */
  inLoadingOrder: readonly LoadedCard[];
  actors: CatalogActor[];
  hidden: LoadedCard[];
  issues: CatalogIssue[];
  /** A name several actors answer to -> the position in `actors` of the one it is settled on. */
  settled: readonly (readonly [string, number])[];
  overrides: ActorOverrides;
  /** Each kept card's title key for cross-links (DerivedCatalog.titles), when known. */
  titles?: readonly string[];
  /** The grouping, when it was just made (else made again on the first read of `links`). */
  grouped?: ReturnType<typeof groupActors>;
}

/** The catalog over these parts: only lookup tables are made here, nothing derived. */
export function assembleCatalog(parts: CatalogParts): Catalog {
  const { kept, actors, overrides } = parts;
  let grouped = parts.grouped;
  // Both maps made on first use: an incremental reload assembles a catalog in its one
  // main-thread step with the swap, and the first query can pay for these (10,000 cards: a
  // few milliseconds) as well as that step.
  let byUuid: Map<string, LoadedCard> | undefined;
  const uuids = () => {
    if (byUuid) return byUuid;
    byUuid = new Map();
    for (const entry of parts.inLoadingOrder) {
      const uuid = cardUuid(entry);
      if (!byUuid.has(uuid)) byUuid.set(uuid, entry);
    }
    return byUuid;
  };
  let byMember: Map<string, CatalogActor> | undefined;
  const members = () => {
    if (byMember) return byMember;
    const map = new Map<string, CatalogActor>();
    const member = (entry: LoadedCard, actor: CatalogActor) => {
      const uuid = cardUuid(entry);
      if (!map.has(uuid)) map.set(uuid, actor);
    };
    for (const actor of actors) {
      for (const entry of actor.cards) member(entry, actor);
      for (const entry of actor.folded) member(entry, actor);
    }
    byMember = map;
    return map;
  };
  // Merged when first asked for: a one-shot command answering one actor merges one profile.
  let profiles: LoadedCard[] | undefined;
  const settled = new Map(parts.settled.map(([key, i]) => [key, at(actors, i)] as const));
  let resolveLink: ((target: string) => LoadedCard | undefined) | undefined;
  return {
    cards: kept,
    get byUuid() {
      return uuids();
    },
    issues: parts.issues,
    actors,
    get profiles() {
      profiles ??= actors.map((a) => a.profile.entry);
      return profiles;
    },
    hidden: parts.hidden,
    // Only `aptcard actors --explain` reads the links: a catalog read from the cache groups
    // the cards again the first time they are asked for.
    get links() {
      grouped ??= groupActors(kept, overrides);
      return grouped.links;
    },
    overrides,
    actorOf: (uuid) => members().get(uuid.toLowerCase()),
    profileOf: (uuid) => members().get(uuid.toLowerCase())?.profile.entry,
    settledOwner: (key) => settled.get(key),
    // Made on the first link to resolve: replies need it, start-up does not.
    resolveLink: (target) => {
      resolveLink ??= resolverOf(kept, actors, parts.titles);
      return resolveLink(target);
    },
  };
}

function at<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`derived catalog: no item at ${i}`);
  return item;
}

/** Where a catalog actor's profile comes from, and the profile once made (catalogActor). */
const RECIPE = Symbol('profile recipe');
interface ProfileState {
  readonly recipe: ProfileRecipe | undefined;
  profile?: ActorProfile;
}

/**
 * One getter for every actor's profile: with a getter of its own each actor had a closure, a
 * context and a hidden class of its own. An own, enumerable accessor still, as it was.
 */
const LAZY_PROFILE: PropertyDescriptor = {
  enumerable: true,
  get(this: Actor & { [RECIPE]: ProfileState }) {
    const state = this[RECIPE];
    if (!state.profile) {
      // A one-card actor has no recipe: its profile is the card, at no cost. A recipe that does
      // not fit its cards (a damaged cache that still parsed) is merged afresh.
      try {
        state.profile = state.recipe ? profileFromRecipe(this, state.recipe) : mergeProfile(this);
      } catch {
        state.profile = mergeProfile(this);
      }
    }
    return state.profile;
  },
};

/** One actor of a derived catalog, with its merged profile read from its recipe on first use. */
export function catalogActor(
  a: DerivedCatalog['actors'][number],
  kept: readonly LoadedCard[],
): CatalogActor {
  const cards = a.cards.map((i) => at(kept, i));
  const actor = {
    id: cardUuid(cards[0] as LoadedCard),
    cards,
    sources: cards.map(sourceOf),
    folded: a.folded.map((i) => at(kept, i)),
    keys: a.keys,
  };
  const state: ProfileState = { recipe: a.recipe };
  Object.defineProperty(actor, RECIPE, { value: state });
  Object.defineProperty(actor, 'profile', LAZY_PROFILE);
  return actor as unknown as CatalogActor;
}

/**
 * The cross-link resolver, from keys: `titles` are the kept cards' title keys (from the actor
 * cache, or made from the cards), the name keys are the actors' exact-table keys less their
 * cards' UUIDs. Nothing here parses a card or merges a profile.
 */
const COMPACT_UUID_RE = /^[0-9a-f]{32}$/;

function resolverOf(
  kept: readonly LoadedCard[],
  actors: readonly CatalogActor[],
  titles: readonly string[] = kept.map((e) => titleKey(e.card)),
) {
  let actorOfCard: Map<LoadedCard, CatalogActor> | undefined;
  function* byTitle() {
    if (!actorOfCard) {
      actorOfCard = new Map();
      for (const actor of actors) for (const entry of actor.cards) actorOfCard.set(entry, actor);
    }
    for (const [i, entry] of kept.entries()) {
      const actor = actorOfCard.get(entry);
      if (actor) yield [titles[i] ?? titleKey(entry.card), actor] as const;
    }
  }
  function* byName() {
    for (const actor of actors) for (const key of actor.keys) yield [key, actor] as const;
  }
  // An actor's keys hold its cards' UUIDs too, which are not names to link by. Only a key
  // shaped like a compacted UUID is compared with them (a Set per actor was most of the cost).
  const isName = (key: string, actor: CatalogActor) =>
    !COMPACT_UUID_RE.test(key) ||
    ![...actor.cards, ...actor.folded].some((m) => compactKey(cardUuid(m)) === key);
  return linkResolver(byTitle, byName, isName, (actor) => actor.profile.entry);
}

/** A fresh derivation, with the grouping and actors it made on the way (not redone). */
interface Derivation {
  derived: DerivedCatalog;
  /** Undefined when only a part was grouped again: `links` then groups the whole on demand. */
  grouped: ReturnType<typeof groupActors> | undefined;
  actors: CatalogActor[];
}

/** Every costly stage, from the cards: duplicates, actors, profiles, warnings, settled names. */
function deriveCatalog(
  loaded: LoadedCard[],
  overrides: ActorOverrides,
  grouping?: GroupingMemo,
): Derivation {
  const issues: CatalogIssue[] = [];
  // What grouping and the warnings read of each card's text, while its parse is at hand: a
  // lazy card parsed here by its names would read its text from the cache file again.
  for (const entry of loaded) cardTextFacts(entry.card);
  const kept = oneCardPerUuid(loaded, issues);
  const keptCards = kept.map((i) => at(loaded, i));
  const regrouped = grouping?.group(keptCards, overrides);
  const grouped = regrouped?.set ?? groupActors(keptCards, overrides);
  const position = new Map(keptCards.map((e, i) => [e, i] as const));
  const pos = (e: LoadedCard) => position.get(e) ?? -1;
  const actors: CatalogActor[] = grouped.actors.map((a) => {
    const withProfile = { ...a, profile: mergeProfile(a) };
    return { ...withProfile, keys: exactKeysOf(withProfile) };
  });
  const titles = keptCards.map((e) => titleKey(e.card));
  const resolveLink = resolverOf(keptCards, actors, titles);
  issues.push(
    ...cardWarnings(keptCards, resolveLink),
    ...sharedAliasWarnings(actors, keptCards.length),
  );
  const derived: DerivedCatalog = {
    kept,
    actors: actors.map((a) => {
      const recipe = profileRecipe(a, a.profile);
      return {
        cards: a.cards.map(pos),
        folded: a.folded.map(pos),
        keys: [...a.keys],
        ...(recipe ? { recipe } : {}),
      };
    }),
    hidden: grouped.hidden.map(pos),
    issues,
    settled: settledNames(actors),
    titles,
  };
  return { derived, grouped: regrouped && !regrouped.whole ? undefined : grouped, actors };
}

/**
 * Of the names several actors answer to (as the exact table has them: title names, aliases and
 * card UUIDs, compacted), those that preferredOwner settles, with the owner's position. Worked
 * out once here: a query for such a name used to weigh every name of every card of each owner.
 */
function settledNames(actors: readonly CatalogActor[]): [string, number][] {
  // One owner, or several (an array for every key of 10,000 actors was 50 ms of each rebuild).
  const owners = new Map<string, number | number[]>();
  actors.forEach((actor, i) => {
    for (const key of actor.keys) {
      const known = owners.get(key);
      if (known === undefined) owners.set(key, i);
      else if (Array.isArray(known)) {
        if (!known.includes(i)) known.push(i);
      } else if (known !== i) owners.set(key, [known, i]);
    }
  });
  const out: [string, number][] = [];
  for (const [key, list] of owners) {
    if (!Array.isArray(list)) continue;
    const owner = preferredOwner(
      key,
      list.map((i) => at(actors, i)),
    );
    if (owner) out.push([key, actors.indexOf(owner)]);
  }
  return out;
}

/** The keys an actor has in the exact table (src/search/exact.ts): names, aliases, card UUIDs. */
export function exactKeysOf(actor: Actor & { profile: ActorProfile }): string[] {
  const keys = [...cardKeys(actor.profile.entry.card).names];
  for (const member of actor.cards) keys.push(cardKeys(member.card).uuid);
  for (const member of actor.folded) keys.push(cardKeys(member.card).uuid);
  return keys.filter(Boolean);
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
    for (const link of cardTextFacts(card).links) {
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
  return out;
}

/** A name on two actors is worth a warning; on two cards of one actor it is not. */
function sharedAliasWarnings(actors: readonly CatalogActor[], cardCount: number): CatalogIssue[] {
  // One owner, or several: a Set for every alias of 10,000 actors was 60 ms of each rebuild.
  const owners = new Map<string, CatalogActor | CatalogActor[]>();
  for (const actor of actors) {
    for (const key of cardKeys(actor.profile.entry.card).aliases) {
      const known = owners.get(key);
      if (known === undefined) owners.set(key, actor);
      else if (Array.isArray(known)) {
        if (!known.includes(actor)) known.push(actor);
      } else if (known !== actor) owners.set(key, [known, actor]);
    }
  }
  const out: CatalogIssue[] = [];
  for (const [key, list] of owners) {
    if (!Array.isArray(list)) continue;
    // The first owner's own spelling of the alias.
    const { card } = (list[0] as CatalogActor).profile.entry;
    const alias = card.aliases[cardKeys(card).aliases.indexOf(key)];
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
