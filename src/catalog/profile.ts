/**
 * One actor's merged profile: the card users see when an actor has cards from several sources.
 * An actor of one card is that card, untouched. The actor cache keeps each merge as a recipe
 * (below): a change to the merge needs ACTOR_CACHE_VERSION in index-cache.ts bumped.
 *
 * A merged card is lazy as the cards are (lazy-card.ts): it keeps the merged names and lists,
 * and takes the lead's description and the merged operations from its cards when asked for,
 * so a merge does not keep for ever the text its cards let go of; so are the other cards'
 * descriptions (`otherDescriptions`).
 */
import type { ActorCard, Alias, LoadedCard, Operation } from '../cards/model.js';
// Replies carry these: defined with the core's contract.
import type { Disagreement, SourceRef } from '../core/types.js';
import { compactKey, normalize } from '../search/normalize.js';
import type { Actor } from './actors.js';
import {
  type HeavyParts,
  type HeavySource,
  isHeavyField,
  lazyCard,
  operationDatesOf,
} from './lazy-card.js';
import { LOCAL_SOURCE } from './origins.js';

export type { Disagreement, SourceRef };

export interface ActorProfile {
  /** The merged card (the card itself for a one-card actor). */
  entry: LoadedCard;
  sources: SourceRef[];
  disagreements: Disagreement[];
  /** compactKey(alias) -> the sources listing it (for a one-card actor: keyed by the alias as written). */
  aliasSources: ReadonlyMap<string, readonly string[]>;
  /** Descriptions of the cards that do not lead, one per source that has one. */
  otherDescriptions: { source: string; paragraphs: string[] }[];
}

export function sourceLabel(source: string): string {
  if (source === 'etda') return 'ETDA';
  if (source === 'misp-galaxy:threat-actor') return 'MISP galaxy';
  // The MISP galaxy's copy of ATT&CK and ATT&CK's own STIX bundle are one source to a reader,
  // with one page (the ATT&CK group page): shown once on a card (src/reply/build.ts).
  if (source === 'misp-galaxy:mitre-intrusion-set' || source.startsWith('stix')) {
    return 'MITRE ATT&CK';
  }
  if (source === LOCAL_SOURCE) return 'local';
  // The card bundled in seeds/ (its manifest says so): read beside the synced catalogs.
  if (source === 'sample') return 'bundled sample';
  return source;
}

const ATTACK_ALIAS_RE = /^G\d{4,}$/;

/** The source's page for a card: ETDA's card page, the ATT&CK group page, the MISP galaxy entry. */
export function sourceUrl(source: string, entry: LoadedCard): string | undefined {
  const { card } = entry;
  if (source === 'etda') {
    // Parentheses encoded too, so the link survives inside markdown "[label](url)".
    const g = encodeURIComponent(card.names.join(', ')).replace(/\(/g, '%28').replace(/\)/g, '%29');
    return `https://apt.etda.or.th/cgi-bin/showcard.cgi?g=${g}&n=1`;
  }
  const attackId =
    card.aliases.find((a) => ATTACK_ALIAS_RE.test(a.name))?.name ?? entry.source.attackIds?.[0];
  if (source === 'misp-galaxy:mitre-intrusion-set' || source.startsWith('stix')) {
    return attackId ? `https://attack.mitre.org/groups/${attackId}/` : undefined;
  }
  if (source.startsWith('misp-galaxy:')) {
    return `https://misp-galaxy.org/${source.slice('misp-galaxy:'.length)}/`;
  }
  return undefined;
}

function union(lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const v of list) {
      const key = normalize(v);
      if (key && !seen.has(key)) {
        seen.add(key);
        out.push(v);
      }
    }
  }
  return out;
}

const UNKNOWN_RE = /^\[?unknown\]?$/i;

function disagreement(
  field: Disagreement['field'],
  perCard: { source: string; values: string[] }[],
): Disagreement | undefined {
  const byValue = new Map<string, { value: string; sources: string[] }>();
  const sets = new Set<string>();
  for (const { source, values } of perCard) {
    // A source that says nothing does not disagree: "unknown (MITRE ATT&CK)" beside every
    // attribution ETDA and the MISP galaxy make was noise on most merged profiles.
    const known = values.filter((v) => v.trim() && !UNKNOWN_RE.test(v.trim()));
    if (known.length === 0) continue;
    sets.add(known.map(normalize).sort().join('\u0000'));
    for (const v of known) {
      const key = normalize(v);
      const slot = byValue.get(key) ?? { value: v, sources: [] };
      if (!slot.sources.includes(sourceLabel(source))) slot.sources.push(sourceLabel(source));
      byValue.set(key, slot);
    }
  }
  return sets.size > 1 ? { field, values: [...byValue.values()] } : undefined;
}

/** The union of keyed items (techniques by ATT&CK id, software by S-id), first seen kept. */
function unionBy<T>(lists: readonly (readonly T[])[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const list of lists) {
    for (const item of list) {
      const key = keyOf(item);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(item);
      }
    }
  }
  return out;
}

function mergeOperations(lists: readonly (readonly Operation[])[]): Operation[] {
  return unionBy(lists, (op) => `${op.date}\u0000${normalize(op.title)}`);
}

/** The list fields a merged card keeps as the union of its cards' lists. */
const KEPT_UNION_FIELDS = [
  'countries',
  'motivations',
  'sectors',
  'targets',
  'tools',
  'techniques',
  'software',
] as const;
/** The list fields a merged card merges again from its cards when asked for (lazy-card.ts). */
const OPERATION_FIELDS = ['operations', 'counterOperations'] as const;
const UNION_FIELDS = [...KEPT_UNION_FIELDS, ...OPERATION_FIELDS] as const;
type UnionField = (typeof UNION_FIELDS)[number];
type KeptUnionField = (typeof KEPT_UNION_FIELDS)[number];
type OperationField = (typeof OPERATION_FIELDS)[number];
type KeptLists = { [F in KeptUnionField]: ActorCard[F] };
/** Where each merged list's items are in the actor's cards: [card, item], flattened. */
type Picks<F extends string> = Record<F, number[]>;

/** What a merge decided, apart from what any reader of the cards can redo cheaply. */
interface MergeDecisions {
  aliases: Alias[];
  aliasSources: ReadonlyMap<string, readonly string[]>;
  disagreements: Disagreement[];
  lists: KeptLists;
  /** The operations' places in the cards (the actor cache's recipe), else merged afresh. */
  operationPicks?: Picks<OperationField>;
}

function sourcesOf(actor: Actor): SourceRef[] {
  return actor.cards.map((entry, i) => {
    const source = actor.sources[i] ?? LOCAL_SOURCE;
    const url = sourceUrl(source, entry);
    return {
      source,
      label: sourceLabel(source),
      uuid: entry.card.uuid,
      file: entry.source.file,
      ...(url ? { url } : {}),
    };
  });
}

/** The merged profile of an actor. */
export function mergeProfile(actor: Actor): ActorProfile {
  const cards = actor.cards;
  const lead = cards[0] as LoadedCard;
  if (cards.length === 1) return oneCardProfile(actor, lead);
  return mergedProfile(actor, decide(actor));
}

const MEMBERS = Symbol('profile actor');
type OfActor = { [MEMBERS]: Actor };
const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * The sources and alias sources of a one-card actor, worked out when read (a reply reads
 * them): kept, they were a Map, an array, a source object and a URL per actor, 6 MB for a
 * catalog of 10,000 one-card actors. One getter each for all profiles.
 */
const ONE_CARD_SOURCES: PropertyDescriptor = {
  enumerable: true,
  get(this: OfActor) {
    return sourcesOf(this[MEMBERS]);
  },
};
const ONE_CARD_ALIAS_SOURCES: PropertyDescriptor = {
  enumerable: true,
  get(this: OfActor) {
    const actor = this[MEMBERS];
    const only = [actor.sources[0] ?? LOCAL_SOURCE];
    return new Map((actor.cards[0] as LoadedCard).card.aliases.map((a) => [a.name, only]));
  },
};

/** Nothing to merge or disagree on: the card as it is (most actors; keep start-up cheap). */
function oneCardProfile(actor: Actor, lead: LoadedCard): ActorProfile {
  const profile = { entry: lead };
  Object.defineProperty(profile, MEMBERS, { value: actor });
  Object.defineProperty(profile, 'sources', ONE_CARD_SOURCES);
  Object.defineProperty(profile, 'disagreements', {
    value: NONE,
    enumerable: true,
    writable: true,
  });
  Object.defineProperty(profile, 'aliasSources', ONE_CARD_ALIAS_SOURCES);
  Object.defineProperty(profile, 'otherDescriptions', {
    value: NONE,
    enumerable: true,
    writable: true,
  });
  return profile as unknown as ActorProfile;
}

/** The costly part of a merge: every name and value normalized to find what is the same. */
function decide(actor: Actor): MergeDecisions {
  const cards = actor.cards;
  const aliasSources = new Map<string, string[]>();
  const aliases: Alias[] = [];
  const aliasAt = new Map<string, number>();
  cards.forEach((entry, i) => {
    const source = actor.sources[i] ?? LOCAL_SOURCE;
    const named: Alias[] = [
      ...(i === 0 ? [] : entry.card.names.map((name) => ({ name, vendor: '' }))),
      ...entry.card.aliases,
    ];
    for (const alias of named) {
      const key = compactKey(alias.name);
      if (!key) continue;
      const listed = aliasSources.get(key) ?? [];
      if (!listed.includes(source)) listed.push(source);
      aliasSources.set(key, listed);
      const at = aliasAt.get(key);
      if (at === undefined) {
        aliasAt.set(key, aliases.length);
        aliases.push({ ...alias });
      } else if (alias.vendor) {
        const kept = aliases[at] as Alias;
        const vendors = kept.vendor ? kept.vendor.split(', ') : [];
        // One vendor however each source spells its case ("SecureWorks", "Secureworks").
        const known = vendors.some((v) => v.toLowerCase() === alias.vendor.toLowerCase());
        if (!known) kept.vendor = [...vendors, alias.vendor].join(', ');
      }
    }
  });
  const perCard = <T>(pick: (c: ActorCard) => T) =>
    cards.map((entry, i) => ({
      source: actor.sources[i] ?? LOCAL_SOURCE,
      value: pick(entry.card),
    }));
  const disagreements = [
    disagreement(
      'Country',
      perCard((c) => c.countries).map((p) => ({ source: p.source, values: p.value })),
    ),
    disagreement(
      'Sponsor',
      perCard((c) => [c.sponsor]).map((p) => ({ source: p.source, values: p.value })),
    ),
  ].filter((d): d is Disagreement => d !== undefined);
  const all = cards.map((e) => e.card);
  const known = (values: string[]) => {
    const real = values.filter((v) => !UNKNOWN_RE.test(v.trim()));
    return real.length ? real : values;
  };
  const lists: KeptLists = {
    countries: known(union(all.map((c) => c.countries))),
    motivations: union(all.map((c) => c.motivations)),
    sectors: union(all.map((c) => c.sectors)),
    targets: union(all.map((c) => c.targets)),
    tools: union(all.map((c) => c.tools)),
    techniques: unionBy(
      all.map((c) => c.techniques),
      (t) => t.id || normalize(t.name),
    ),
    software: unionBy(
      all.map((c) => c.software),
      (w) => w.id || normalize(w.name),
    ),
  };
  return { aliases, aliasSources, disagreements, lists };
}

/** Items of the actor's cards at these places ([card, item], flattened), or undefined. */
function itemsAt<F extends UnionField>(
  actor: Actor,
  field: F,
  places: readonly number[] | undefined,
): ActorCard[F] | undefined {
  if (!Array.isArray(places)) return undefined;
  const out: unknown[] = [];
  for (let k = 0; k + 1 < places.length; k += 2) {
    const item = (actor.cards[places[k] ?? -1]?.card[field] as readonly unknown[] | undefined)?.[
      places[k + 1] ?? -1
    ];
    if (item === undefined) return undefined;
    out.push(item);
  }
  return out as ActorCard[F];
}

/**
 * A merged card's large parts, taken from its cards when asked for: the lead's description
 * and extra sections, the operations of all (by the recipe's places, else merged again).
 */
class MergedParts implements HeavySource {
  constructor(
    private readonly actor: Actor,
    private readonly picks: Picks<OperationField> | undefined,
  ) {}

  readHeavy(): HeavyParts {
    const lead = (this.actor.cards[0] as LoadedCard).card;
    const operations = (field: OperationField) =>
      (this.picks && itemsAt(this.actor, field, this.picks[field])) ??
      mergeOperations(this.actor.cards.map((e) => e.card[field]));
    return {
      description: lead.description,
      operations: operations('operations'),
      counterOperations: operations('counterOperations'),
      extraSections: lead.extraSections,
    };
  }

  /** By the recipe's places, the cards' dates (a merge made afresh reads its operations). */
  operationDates(): readonly string[] | undefined {
    const places = this.picks?.operations;
    if (!places) return undefined;
    const dates: string[] = [];
    for (let k = 0; k < places.length; k += 2) {
      const card = this.actor.cards[places[k] ?? -1]?.card;
      const date = card && operationDatesOf(card)[places[k + 1] ?? -1];
      if (date === undefined) return undefined;
      dates.push(date);
    }
    return dates;
  }
}

/** Descriptions of the cards that do not lead, one per source that has one. */
function otherDescriptionsOf(actor: Actor): ActorProfile['otherDescriptions'] {
  return actor.cards
    .slice(1)
    .flatMap((entry, i) =>
      entry.card.description.length
        ? [{ source: actor.sources[i + 1] ?? LOCAL_SOURCE, paragraphs: entry.card.description }]
        : [],
    );
}

/** One getter for every merged profile: the other cards' descriptions, read when asked for. */
const OTHER_DESCRIPTIONS: PropertyDescriptor = {
  enumerable: true,
  get(this: OfActor) {
    return otherDescriptionsOf(this[MEMBERS]);
  },
};

/** The merged profile from the merge's decisions; the rest is read off the cards. */
function mergedProfile(actor: Actor, decided: MergeDecisions): ActorProfile {
  const cards = actor.cards;
  const lead = cards[0] as LoadedCard;
  const all = cards.map((e) => e.card);
  const first = (pick: (c: ActorCard) => string) => all.map(pick).find((v) => v.trim()) ?? '';
  // The lead's fields in its order, its large ones read through MergedParts; the merged card
  // is never rendered back to a file: the lead's layout trivia does not apply.
  const keys = Object.keys(lead.card).filter((k) => k !== 'layout');
  const light: Record<string, unknown> = {};
  for (const key of keys) if (!isHeavyField(key)) light[key] = lead.card[key as keyof ActorCard];
  Object.assign(light, {
    aliases: decided.aliases,
    firstSeen: first((c) => c.firstSeen),
    sponsor: first((c) => c.sponsor),
    ...decided.lists,
  });
  const card = lazyCard(keys, light, new MergedParts(actor, decided.operationPicks));
  const profile = {
    entry: { card, source: lead.source },
    sources: sourcesOf(actor),
    disagreements: decided.disagreements,
    aliasSources: decided.aliasSources,
  };
  Object.defineProperty(profile, MEMBERS, { value: actor });
  Object.defineProperty(profile, 'otherDescriptions', OTHER_DESCRIPTIONS);
  return profile as ActorProfile;
}

/**
 * A merged profile as the actor cache keeps it (src/catalog/index-cache.ts): the merge's
 * decisions, with each kept list item as its position in the actor's cards ([card, item],
 * flattened) rather than a copy, so reading it back normalizes nothing and copies little.
 */
export interface ProfileRecipe {
  aliases: Alias[];
  aliasSources: [string, string[]][];
  disagreements: Disagreement[];
  picks: Record<UnionField, number[]>;
}

/** The recipe of a merged profile (undefined for a one-card actor: nothing was merged). */
export function profileRecipe(actor: Actor, profile: ActorProfile): ProfileRecipe | undefined {
  if (actor.cards.length === 1) return undefined;
  const picks = {} as Record<UnionField, number[]>;
  for (const field of UNION_FIELDS) {
    // The union keeps the first of equal items, so an item's first place is where it came from.
    // Operations by content: a lazy card's are read afresh, other objects each time.
    const keyOf = (OPERATION_FIELDS as readonly string[]).includes(field)
      ? (item: unknown) => JSON.stringify(item)
      : (item: unknown) => item;
    const at = new Map<unknown, [number, number]>();
    actor.cards.forEach((entry, c) => {
      (entry.card[field] as readonly unknown[]).forEach((item, i) => {
        const key = keyOf(item);
        if (!at.has(key)) at.set(key, [c, i]);
      });
    });
    const merged = profile.entry.card[field] as readonly unknown[];
    const places = merged.flatMap((item) => at.get(keyOf(item)) ?? []);
    if (places.length !== 2 * merged.length) return undefined; // not from the cards: not cacheable
    picks[field] = places;
  }
  return {
    aliases: profile.entry.card.aliases,
    aliasSources: [...profile.aliasSources].map(([k, v]) => [k, [...v]]),
    disagreements: profile.disagreements,
    picks,
  };
}

/** The merged profile a recipe describes, over the same cards (same order) it was made from. */
export function profileFromRecipe(actor: Actor, recipe: ProfileRecipe): ActorProfile {
  const lists = {} as Record<KeptUnionField, unknown>;
  for (const field of KEPT_UNION_FIELDS) {
    const items = itemsAt(actor, field, recipe.picks[field]);
    if (!items) throw new Error(`actor cache: no ${field} item where the recipe says`);
    lists[field] = items;
  }
  return mergedProfile(actor, {
    aliases: recipe.aliases,
    aliasSources: new Map(recipe.aliasSources),
    disagreements: recipe.disagreements,
    lists: lists as KeptLists,
    operationPicks: {
      operations: recipe.picks.operations,
      counterOperations: recipe.picks.counterOperations,
    },
  });
}
