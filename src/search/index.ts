import MiniSearch, { type SearchResult } from 'minisearch';
import { type ActorCard, allNames, displayName, type LoadedCard } from '../cards/model.js';
import { preferredOwner } from '../catalog/actors.js';
import type { Catalog } from '../catalog/catalog.js';
import { compileFilters, type FilterFields, filterFieldsOf } from './filters.js';
import { type Identifier, identifierOf } from './identifiers.js';
import { closestName, NumberedNames, type SuggestionReason } from './near-miss.js';
import { compactKey, normalize } from './normalize.js';
import { isNumberedName, type NumberedPart, numberedParts, partsAgree } from './numbers.js';
import { type Filter, operationDateRange, parseQuery } from './query.js';

export type Outcome = 'profile' | 'ambiguous' | 'list' | 'none';

export interface Hit {
  /** The shown (lead) card's UUID. */
  uuid: string;
  name: string;
  score: number;
  /** Every card merged into this actor, the shown one first. */
  uuids: string[];
  /** Each of those cards' source ("etda", "misp-galaxy:threat-actor", "local", ...), same order. */
  sources: string[];
}

/** A did-you-mean card, with the reason it is offered and the name that earned it. */
export interface Suggestion extends Hit {
  why: SuggestionReason;
  /** The card's name that is like the query ("Group 13" for "APT 13"), when not its title. */
  alias?: string;
}

export interface SearchAnswer {
  query: string;
  outcome: Outcome;
  /** profile: the card first; ambiguous: the candidates; list: every match, ranked. */
  results: Hit[];
  /** For a profile: the query is one of the card's names ('exact') or only like one ('closest'). */
  match?: 'exact' | 'closest';
  /** For a closest match: the card's name most like the query ("Hammer Panda" for "hamer panda"). */
  closestName?: string;
  /** For `none`: did-you-mean cards (never a profile: the user picks). */
  suggestions: Suggestion[];
  /** For `none`: the query was this identifier, and no card has it. */
  identifier?: Identifier;
  /** Why the outcome is ambiguous. */
  reason?: 'shared-alias' | 'close';
  /**
   * For a profile found by a name other actors carry too (most sources give it to this one):
   * those other actors, so the answer says so rather than picking silently.
   */
  alsoNamed?: Hit[];
  /** Problems in the query itself (a filter with no value, a bad date). */
  errors: string[];
}

/** Exact name and alias hits score this, above any full-text score, so they sort first. */
export const EXACT_SCORE = 1000;
/** A full-text top hit must beat the runner-up by this factor to count as one clear answer. */
const CLEAR_MARGIN = 1.5;
const MAX_CANDIDATES = 10;
/** Name scores this far apart settle a lookup without consulting prose. */
const SURE_MARGIN = 3;

interface NameDoc {
  id: string;
  names: string;
  aliases: string;
  keys: string;
}

interface TextDoc {
  id: string;
  tools: string;
  countries: string;
  sectors: string;
  targets: string;
  motivations: string;
  description: string;
  operations: string;
}

function toNameDoc(card: ActorCard): NameDoc {
  return {
    id: card.uuid,
    names: card.names.join(' \n '),
    aliases: card.aliases.map((a) => a.name).join(' \n '),
    // "APT 21" is also indexed as "apt21", so fuzzy search meets "apt-21" and "APT211".
    keys: allNames(card).map(compactKey).join(' '),
  };
}

function toTextDoc(card: ActorCard): TextDoc {
  const ops = [...card.operations, ...card.counterOperations];
  return {
    id: card.uuid,
    tools: [...card.tools, ...card.software.map((s) => s.name)].join(' \n '),
    countries: card.countries.join(' \n '),
    sectors: card.sectors.join(' \n '),
    targets: card.targets.join(' \n '),
    motivations: [card.sponsor, ...card.motivations].join(' \n '),
    description: card.description.join('\n'),
    operations: ops.map((o) => `${o.title}\n${o.text}`).join('\n'),
  };
}

const processTerm = (term: string) => normalize(term) || null;

/**
 * Names are few and short: fuzzy and prefix matching there is cheap and catches misspellings.
 * Prose is large: fuzzy matching over its vocabulary costs milliseconds, so it gets prefix only.
 * Two indexes keep fuzzy lookups fast whatever the size of the descriptions.
 */
const NAME_OPTIONS = {
  fields: ['names', 'aliases', 'keys'],
  processTerm,
  searchOptions: {
    boost: { names: 1.5, aliases: 1.2 },
    prefix: (term: string) => term.length >= 3,
    // One typo from four characters on, two from nine: "Pnda" finds "Panda", "APT" stays exact.
    fuzzy: (term: string) => (term.length >= 9 ? 2 : term.length >= 4 ? 1 : false),
    combineWith: 'AND' as const,
  },
};

const TEXT_OPTIONS = {
  fields: ['tools', 'countries', 'sectors', 'targets', 'motivations', 'description', 'operations'],
  processTerm,
  searchOptions: {
    boost: { tools: 2, countries: 1.5, sectors: 1.5, targets: 1.2 },
    prefix: (term: string) => term.length >= 4,
    combineWith: 'AND' as const,
  },
};

/** A name match outranks a match in prose by this factor. */
const NAME_WEIGHT = 5;

/** The newest operation's month index, for ranking filter lists (most recently active first). */
function latestActivity(card: ActorCard): number {
  let latest = -1;
  for (const op of card.operations) {
    const range = operationDateRange(op.date);
    if (range && range[1] > latest) latest = range[1];
  }
  return latest;
}

interface Ranked {
  uuid: string;
  score: number;
  /** Matched in a name or alias (a lookup), not only in prose (a topic). */
  byName: boolean;
}

/** The two MiniSearch indexes as JSON, as the start-up cache stores them. */
export interface IndexCache {
  /** The names index as JSON, when an earlier run saved it. */
  names?: string;
  /** The prose index as JSON, read only when a query first needs prose. */
  text?: () => string | undefined;
  /** Called with the prose index as JSON when it had to be built, to save it for next time. */
  saveText?: (json: string) => void;
}

/** Both MiniSearch indexes as JSON, to hand to another thread. */
export interface SerializedIndex {
  names: string;
  text: string;
}

/**
 * Search over one catalog: an exact alias table in front of two MiniSearch indexes.
 * Immutable once built; a reload builds a new one.
 */
export class SearchIndex {
  readonly catalog: Catalog;
  private readonly names: MiniSearch<NameDoc>;
  private textIndex?: MiniSearch<TextDoc>;
  private readonly cache: IndexCache;
  /** compactKey(name) -> actor profiles with that title name or alias (several when shared). */
  private readonly exact = new Map<string, LoadedCard[]>();
  private readonly latest = new Map<string, number>();
  /** Filterable values per card, normalized on the first filter query rather than at start-up. */
  private filterFields?: Map<string, FilterFields>;
  private readonly numbered: NumberedNames;
  /** uuid -> the numbered parts of each of its names that has a number (made on first use). */
  private readonly cardParts = new Map<string, NumberedPart[][]>();

  /**
   * Start-up cost matters (a restart should answer at once), so only the exact table and the
   * small names index are made here; the prose index is loaded or built the first time a query
   * needs it (`warm()` does it ahead of time). Without a cache, both are built here.
   */
  constructor(catalog: Catalog, cache?: IndexCache) {
    this.catalog = catalog;
    this.cache = cache ?? {};
    // Everything is indexed by actor: one merged profile per actor, found by the UUID of any
    // card merged or folded into it.
    this.numbered = new NumberedNames(catalog.actors.map((actor) => actor.profile.entry));
    for (const actor of catalog.actors) {
      const entry = actor.profile.entry;
      for (const name of allNames(entry.card)) this.addExact(compactKey(name), entry);
      for (const member of [...actor.cards, ...actor.folded])
        this.addExact(compactKey(member.card.uuid), entry);
    }
    if (this.cache.names) {
      this.names = MiniSearch.loadJSON<NameDoc>(this.cache.names, NAME_OPTIONS);
    } else {
      this.names = new MiniSearch<NameDoc>(NAME_OPTIONS);
      this.names.addAll(catalog.profiles.map((c) => toNameDoc(c.card)));
    }
    if (!cache) this.warm();
  }

  /** Make the prose index now rather than on the first query that needs it. */
  warm(): this {
    void this.text;
    return this;
  }

  private buildText(): MiniSearch<TextDoc> {
    const text = new MiniSearch<TextDoc>(TEXT_OPTIONS);
    text.addAll(this.catalog.profiles.map((c) => toTextDoc(c.card)));
    return text;
  }

  private get text(): MiniSearch<TextDoc> {
    if (!this.textIndex) {
      let json: string | undefined;
      try {
        json = this.cache.text?.();
      } catch {
        json = undefined; // no cache file yet, or an unreadable one: build instead
      }
      if (json) {
        this.textIndex = MiniSearch.loadJSON<TextDoc>(json, TEXT_OPTIONS);
      } else {
        this.textIndex = this.buildText();
        this.cache.saveText?.(JSON.stringify(this.textIndex));
      }
    }
    return this.textIndex;
  }

  /** The names index as JSON, for the start-up cache. */
  serializeNames(): string {
    return JSON.stringify(this.names);
  }

  /** Both indexes as JSON (the prose one made if needed), e.g. to hand to another thread. */
  serialize(): SerializedIndex {
    return { names: this.serializeNames(), text: JSON.stringify(this.text) };
  }

  private fields(uuid: string): FilterFields | undefined {
    if (!this.filterFields) {
      this.filterFields = new Map();
      for (const entry of this.catalog.profiles) {
        this.filterFields.set(entry.card.uuid, filterFieldsOf(entry.card));
        this.latest.set(entry.card.uuid, latestActivity(entry.card));
      }
    }
    return this.filterFields.get(uuid);
  }

  private addExact(key: string, entry: LoadedCard): void {
    if (!key) return;
    const list = this.exact.get(key);
    if (!list) this.exact.set(key, [entry]);
    else if (!list.includes(entry)) list.push(entry);
  }

  /** Actor profiles whose title name, alias or card UUID is exactly this (after normalization). */
  lookup(name: string): LoadedCard[] {
    return this.exact.get(compactKey(name)) ?? [];
  }

  /** See preferredOwner in src/catalog/actors.ts. */
  private preferredOwner(name: string, exact: LoadedCard[]): LoadedCard | undefined {
    const actors = exact.flatMap((e) => {
      const actor = this.catalog.actorOf(e.card.uuid);
      return actor ? [actor] : [];
    });
    return preferredOwner(compactKey(name), actors)?.profile.entry;
  }

  /** The number of actors (not cards). */
  get size(): number {
    return this.catalog.profiles.length;
  }

  search(query: string): SearchAnswer {
    const parsed = parseQuery(query);
    const base = { query, errors: parsed.errors, suggestions: [] as Suggestion[] };
    if (parsed.filters.length > 0)
      return { ...base, ...this.filtered(parsed.text, parsed.filters) };
    if (!parsed.text) return { ...base, outcome: 'none', results: [] };

    const exact = this.lookup(parsed.text);
    if (exact.length === 1) {
      return {
        ...base,
        outcome: 'profile',
        match: 'exact',
        results: exact.map((e) => this.hitOf(e, EXACT_SCORE)),
      };
    }
    if (exact.length > 1) {
      const owner = this.preferredOwner(parsed.text, exact);
      if (owner) {
        return {
          ...base,
          outcome: 'profile',
          results: [this.hitOf(owner, EXACT_SCORE)],
          alsoNamed: exact.filter((e) => e !== owner).map((e) => this.hitOf(e, EXACT_SCORE)),
        };
      }
      return {
        ...base,
        outcome: 'ambiguous',
        reason: 'shared-alias',
        results: exact.map((e) => this.hitOf(e, EXACT_SCORE)),
      };
    }
    // An id the catalog does not have is a miss, whatever names look like it.
    const identifier = identifierOf(parsed.text);
    if (identifier) return { ...base, outcome: 'none', results: [], identifier };

    const numbers = numberedParts(parsed.text);
    const found = this.ranked(parsed.text, undefined, numbers);
    if (found.length === 0) {
      return {
        ...base,
        outcome: 'none',
        results: [],
        suggestions: this.suggest(parsed.text, numbers),
      };
    }
    // A query that matches names is a lookup; one that matches only prose is a topic list.
    const byName = found.filter((r) => r.byName);
    if (byName.length === 0) {
      return { ...base, outcome: 'list', results: found.map((r) => this.hit(r)) };
    }
    const [top, second] = byName;
    if (top && (!second || top.score >= second.score * CLEAR_MARGIN)) {
      const entry = this.catalog.byUuid.get(top.uuid);
      const name = entry && closestName(parsed.text, allNames(entry.card));
      return {
        ...base,
        outcome: 'profile',
        match: 'closest',
        ...(name ? { closestName: name } : {}),
        results: byName.map((r) => this.hit(r)),
      };
    }
    return {
      ...base,
      outcome: 'ambiguous',
      reason: 'close',
      results: byName.slice(0, MAX_CANDIDATES).map((r) => this.hit(r)),
    };
  }

  /**
   * Up to `limit` actors with a name starting with (or fuzzily like) the typed prefix, for
   * autocomplete: one choice per actor, with the name that matched.
   */
  complete(prefix: string, limit = 25): { name: string; card: LoadedCard }[] {
    const key = compactKey(prefix);
    const out: { name: string; card: LoadedCard }[] = [];
    const seen = new Set<string>();
    // One choice per actor: the first of its names that fits.
    const push = (name: string, card: LoadedCard) => {
      const id = card.card.uuid;
      if (out.length < limit && !seen.has(id)) {
        seen.add(id);
        out.push({ name, card });
      }
    };
    if (!key) {
      for (const entry of this.catalog.profiles) push(displayName(entry.card), entry);
      return out;
    }
    for (const entry of this.catalog.profiles) {
      for (const name of allNames(entry.card)) {
        if (compactKey(name).startsWith(key)) push(name, entry);
      }
    }
    if (out.length < limit) {
      // Then fuzzy matches, for cards not offered yet.
      const offered = new Set(out.map((o) => o.card));
      for (const r of this.names.search(prefix, { combineWith: 'OR' })) {
        const entry = this.catalog.profileOf(String(r.id));
        if (entry && !offered.has(entry)) push(displayName(entry.card), entry);
      }
    }
    return out;
  }

  /** Does one of the card's names carry every number of the query? (src/search/numbers.ts) */
  private numbersAgree(uuid: string, numbers: readonly NumberedPart[]): boolean {
    let parts = this.cardParts.get(uuid);
    if (!parts) {
      const entry = this.catalog.byUuid.get(uuid);
      if (!entry) return false;
      parts = allNames(entry.card)
        .map(numberedParts)
        .filter((p) => p.length > 0);
      this.cardParts.set(uuid, parts);
    }
    return partsAgree(numbers, parts);
  }

  /**
   * Name matches weigh NAME_WEIGHT times prose matches; a card found by both adds up.
   * With numbers in the query, a name match counts only for a card whose name has them, and a
   * query that is only a numbered name ("APT 45") is not looked for in prose.
   */
  private ranked(
    text: string,
    keep?: (uuid: string) => boolean,
    numbers: readonly NumberedPart[] = numberedParts(text),
  ): Ranked[] {
    const filter = keep ? { filter: (r: SearchResult) => keep(String(r.id)) } : {};
    const nameFilter =
      numbers.length === 0
        ? filter
        : {
            filter: (r: SearchResult) =>
              (!keep || keep(String(r.id))) && this.numbersAgree(String(r.id), numbers),
          };
    const byId = new Map<string, Ranked>();
    const add = (results: SearchResult[], weight: number, byName: boolean) => {
      for (const r of results) {
        const id = String(r.id);
        const prior = byId.get(id);
        if (prior) prior.score += r.score * weight;
        else byId.set(id, { uuid: id, score: r.score * weight, byName });
      }
    };
    // A name lookup with a runaway winner needs nothing more: later stages add far less than
    // the margin, so they could not change the answer, and they are most of the cost.
    const settled = () => {
      if (keep) return false;
      const [first, second] = [...byId.values()].sort((a, b) => b.score - a.score);
      return first !== undefined && (!second || first.score >= second.score * SURE_MARGIN);
    };
    // 1. The query's terms against names and aliases (fuzzy, prefix).
    add(
      this.names.search(text, { ...nameFilter, fields: ['names', 'aliases'] }),
      NAME_WEIGHT,
      true,
    );
    if (settled()) return sortedByScore(byId);
    // 2. The whole query compacted ("toxicpnda") against compact names: spacing and a typo
    //    anywhere still meet the name.
    const compact = compactKey(text);
    if (compact.length >= 4) {
      add(this.names.search(compact, { ...nameFilter, fields: ['keys'] }), NAME_WEIGHT, true);
      if (settled()) return sortedByScore(byId);
    }
    if (numbers.length > 0 && isNumberedName(text)) return sortedByScore(byId);
    // 3. Prose.
    add(this.text.search(text, filter), 1, false);
    return sortedByScore(byId);
  }

  private suggest(text: string, numbers: readonly NumberedPart[]): Suggestion[] {
    const [only] = numbers;
    if (only && numbers.length === 1 && isNumberedName(text)) {
      const near = this.numbered.nearMisses(only);
      if (near.length > 0) {
        return near.map(({ entry, alias, why }) => ({
          ...this.hitOf(entry, 0),
          why,
          ...(alias !== displayName(entry.card) ? { alias } : {}),
        }));
      }
    }
    const results = this.names.search(text, { combineWith: 'OR', fuzzy: 0.34, prefix: true });
    return results.slice(0, 3).map((r) => ({
      ...this.hit({ uuid: String(r.id), score: r.score, byName: true }),
      why: 'similar-name' as const,
    }));
  }

  private filtered(text: string, filters: Filter[]): Pick<SearchAnswer, 'outcome' | 'results'> {
    const matches = compileFilters(filters);
    const keep = (uuid: string) => {
      const fields = this.fields(uuid);
      return fields !== undefined && matches(fields);
    };
    const results = text
      ? this.ranked(text, keep).map((r) => this.hit(r))
      : this.catalog.profiles
          .filter((e) => keep(e.card.uuid))
          .map((e) => this.hitOf(e, 0))
          .sort((a, b) => (this.latest.get(b.uuid) ?? -1) - (this.latest.get(a.uuid) ?? -1));
    return { outcome: results.length > 0 ? 'list' : 'none', results };
  }

  private hit(r: Ranked): Hit {
    const entry = this.catalog.profileOf(r.uuid);
    if (entry) return this.hitOf(entry, round(r.score));
    return { uuid: r.uuid, name: r.uuid, score: round(r.score), uuids: [r.uuid], sources: [] };
  }

  private hitOf(entry: LoadedCard, score: number): Hit {
    const actor = this.catalog.actorOf(entry.card.uuid);
    return {
      uuid: entry.card.uuid,
      name: displayName(entry.card),
      score,
      uuids: actor ? actor.cards.map((c) => c.card.uuid) : [entry.card.uuid],
      sources: actor ? [...actor.sources] : [],
    };
  }
}

function sortedByScore(byId: Map<string, Ranked>): Ranked[] {
  return [...byId.values()].sort((a, b) => b.score - a.score);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
