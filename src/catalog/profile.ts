/**
 * One actor's merged profile: the card users see when an actor has cards from several sources.
 * An actor of one card is that card, untouched. The actor cache keeps each merge as a recipe
 * (below): a change to the merge needs ACTOR_CACHE_VERSION in index-cache.ts bumped.
 */
import type { ActorCard, Alias, LoadedCard, Operation } from '../cards/model.js';
// Replies carry these: defined with the core's contract.
import type { Disagreement, SourceRef } from '../core/types.js';
import { compactKey, normalize } from '../search/normalize.js';
import type { Actor } from './actors.js';
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
    const known = values.filter((v) => v.trim() && !UNKNOWN_RE.test(v.trim()));
    const shown = known.length ? known : ['unknown'];
    sets.add(shown.map(normalize).sort().join('\u0000'));
    for (const v of shown) {
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

/** The list fields a merged card takes as the union of its cards' lists. */
const UNION_FIELDS = [
  'countries',
  'motivations',
  'sectors',
  'targets',
  'tools',
  'techniques',
  'software',
  'operations',
  'counterOperations',
] as const;
type UnionField = (typeof UNION_FIELDS)[number];
type UnionLists = { [F in UnionField]: ActorCard[F] };

/** What a merge decided, apart from what any reader of the cards can redo cheaply. */
interface MergeDecisions {
  aliases: Alias[];
  aliasSources: ReadonlyMap<string, readonly string[]>;
  disagreements: Disagreement[];
  lists: UnionLists;
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
  if (cards.length === 1) {
    // Nothing to merge or disagree on: the card as it is (most actors; keep start-up cheap).
    const only = actor.sources[0] ?? LOCAL_SOURCE;
    const aliasSources = new Map(lead.card.aliases.map((a) => [a.name, [only]] as const));
    return {
      entry: lead,
      sources: sourcesOf(actor),
      disagreements: [],
      aliasSources,
      otherDescriptions: [],
    };
  }
  return mergedProfile(actor, decide(actor));
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
        if (!vendors.includes(alias.vendor)) kept.vendor = [...vendors, alias.vendor].join(', ');
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
  const lists: UnionLists = {
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
    operations: mergeOperations(all.map((c) => c.operations)),
    counterOperations: mergeOperations(all.map((c) => c.counterOperations)),
  };
  return { aliases, aliasSources, disagreements, lists };
}

/** The merged profile from the merge's decisions; the rest is read off the cards. */
function mergedProfile(actor: Actor, decided: MergeDecisions): ActorProfile {
  const cards = actor.cards;
  const lead = cards[0] as LoadedCard;
  const otherDescriptions = cards
    .slice(1)
    .flatMap((entry, i) =>
      entry.card.description.length
        ? [{ source: actor.sources[i + 1] ?? LOCAL_SOURCE, paragraphs: entry.card.description }]
        : [],
    );
  const all = cards.map((e) => e.card);
  const first = (pick: (c: ActorCard) => string) => all.map(pick).find((v) => v.trim()) ?? '';
  const card: ActorCard = {
    ...lead.card,
    aliases: decided.aliases,
    firstSeen: first((c) => c.firstSeen),
    sponsor: first((c) => c.sponsor),
    ...decided.lists,
  };
  // The merged card is never rendered back to a file: the lead's layout trivia does not apply.
  delete card.layout;
  return {
    entry: { card, source: lead.source },
    sources: sourcesOf(actor),
    disagreements: decided.disagreements,
    aliasSources: decided.aliasSources,
    otherDescriptions,
  };
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
    const at = new Map<unknown, [number, number]>();
    actor.cards.forEach((entry, c) => {
      (entry.card[field] as readonly unknown[]).forEach((item, i) => {
        if (!at.has(item)) at.set(item, [c, i]);
      });
    });
    const merged = profile.entry.card[field] as readonly unknown[];
    const places = merged.flatMap((item) => at.get(item) ?? []);
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
  const pick = <F extends UnionField>(field: F): ActorCard[F] => {
    const places = recipe.picks[field];
    const out: unknown[] = [];
    for (let k = 0; k + 1 < places.length; k += 2) {
      const item = (actor.cards[places[k] ?? -1]?.card[field] as readonly unknown[] | undefined)?.[
        places[k + 1] ?? -1
      ];
      if (item === undefined) throw new Error(`actor cache: no ${field} item at ${k}`);
      out.push(item);
    }
    return out as ActorCard[F];
  };
  const lists = {} as Record<UnionField, unknown>;
  for (const field of UNION_FIELDS) lists[field] = pick(field);
  return mergedProfile(actor, {
    aliases: recipe.aliases,
    aliasSources: new Map(recipe.aliasSources),
    disagreements: recipe.disagreements,
    lists: lists as UnionLists,
  });
}
