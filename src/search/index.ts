import MiniSearch, { type SearchResult } from 'minisearch';
import { type ActorCard, allNames, displayName, type LoadedCard } from '../cards/model.js';
import type { Catalog } from '../catalog/catalog.js';
import { matchesFilter } from './filters.js';
import { compactKey, normalize } from './normalize.js';
import { type Filter, filterDateRange, operationDateRange, parseQuery } from './query.js';

export type Outcome = 'profile' | 'ambiguous' | 'list' | 'none';

export interface Hit {
  uuid: string;
  name: string;
  score: number;
}

export interface SearchAnswer {
  query: string;
  outcome: Outcome;
  /** profile: the card first; ambiguous: the candidates; list: every match, ranked. */
  results: Hit[];
  /** For `none`: up to three did-you-mean cards. */
  suggestions: Hit[];
  /** Why the outcome is ambiguous. */
  reason?: 'shared-alias' | 'close';
  /** Problems in the query itself (a filter with no value, a bad date). */
  errors: string[];
}

/** Exact name and alias hits score this, above any full-text score, so they sort first. */
export const EXACT_SCORE = 1000;
/** A full-text top hit must beat the runner-up by this factor to count as one clear answer. */
const CLEAR_MARGIN = 1.5;
const MAX_CANDIDATES = 10;

interface Doc {
  id: string;
  names: string;
  aliases: string;
  keys: string;
  tools: string;
  countries: string;
  sectors: string;
  targets: string;
  motivations: string;
  description: string;
  operations: string;
}

const NAME_FIELDS = ['names', 'aliases', 'keys'];

function toDoc(card: ActorCard): Doc {
  const ops = [...card.operations, ...card.counterOperations];
  return {
    id: card.uuid,
    names: card.names.join(' \n '),
    aliases: card.aliases.map((a) => a.name).join(' \n '),
    // "APT 21" is also indexed as "apt21", so fuzzy search meets "apt-21" and "APT211".
    keys: allNames(card).map(compactKey).join(' '),
    tools: card.tools.join(' \n '),
    countries: card.countries.join(' \n '),
    sectors: card.sectors.join(' \n '),
    targets: card.targets.join(' \n '),
    motivations: [card.sponsor, ...card.motivations].join(' \n '),
    description: card.description.join('\n'),
    operations: ops.map((o) => `${o.title}\n${o.text}`).join('\n'),
  };
}

const MINISEARCH_OPTIONS = {
  fields: [
    'names',
    'aliases',
    'keys',
    'tools',
    'countries',
    'sectors',
    'targets',
    'motivations',
    'description',
    'operations',
  ],
  processTerm: (term: string) => normalize(term) || null,
  searchOptions: {
    boost: { names: 6, aliases: 5, keys: 4, tools: 2 },
    prefix: (term: string) => term.length >= 3,
    fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
    combineWith: 'AND' as const,
  },
};

/** The newest operation's month index, for ranking filter lists (most recently active first). */
function latestActivity(card: ActorCard): number {
  let latest = -1;
  for (const op of card.operations) {
    const range = operationDateRange(op.date);
    if (range && range[1] > latest) latest = range[1];
  }
  return latest;
}

/**
 * Search over one catalog: an exact alias table in front of a MiniSearch full-text index.
 * Immutable once built; a reload builds a new one.
 */
export class SearchIndex {
  readonly catalog: Catalog;
  private readonly mini: MiniSearch<Doc>;
  /** compactKey(name) -> cards with that title name or alias (several when shared). */
  private readonly exact = new Map<string, LoadedCard[]>();
  private readonly latest = new Map<string, number>();

  constructor(catalog: Catalog, serializedIndex?: string) {
    this.catalog = catalog;
    for (const entry of catalog.cards) {
      for (const name of allNames(entry.card)) this.addExact(compactKey(name), entry);
      this.addExact(entry.card.uuid, entry);
      this.latest.set(entry.card.uuid, latestActivity(entry.card));
    }
    this.mini = serializedIndex
      ? MiniSearch.loadJSON<Doc>(serializedIndex, MINISEARCH_OPTIONS)
      : new MiniSearch<Doc>(MINISEARCH_OPTIONS);
    if (!serializedIndex) this.mini.addAll(catalog.cards.map((c) => toDoc(c.card)));
  }

  /** The MiniSearch index as JSON, for the start-up cache. */
  serialize(): string {
    return JSON.stringify(this.mini);
  }

  private addExact(key: string, entry: LoadedCard): void {
    if (!key) return;
    const list = this.exact.get(key);
    if (!list) this.exact.set(key, [entry]);
    else if (!list.includes(entry)) list.push(entry);
  }

  /** Cards whose title name, alias or UUID is exactly this (after normalization). */
  lookup(name: string): LoadedCard[] {
    return this.exact.get(compactKey(name)) ?? [];
  }

  get size(): number {
    return this.catalog.cards.length;
  }

  search(query: string): SearchAnswer {
    const parsed = parseQuery(query);
    const base = { query, errors: parsed.errors, suggestions: [] as Hit[] };
    if (parsed.filters.length > 0)
      return { ...base, ...this.filtered(parsed.text, parsed.filters) };
    if (!parsed.text) return { ...base, outcome: 'none', results: [] };

    const exact = this.lookup(parsed.text);
    if (exact.length === 1) {
      return { ...base, outcome: 'profile', results: exact.map((e) => hitOf(e, EXACT_SCORE)) };
    }
    if (exact.length > 1) {
      return {
        ...base,
        outcome: 'ambiguous',
        reason: 'shared-alias',
        results: exact.map((e) => hitOf(e, EXACT_SCORE)),
      };
    }

    const found = this.mini.search(parsed.text);
    if (found.length === 0) {
      return { ...base, outcome: 'none', results: [], suggestions: this.suggest(parsed.text) };
    }
    // A query that matches names is a lookup; one that matches only prose is a topic list.
    const byName = found.filter((r) => matchesNameFields(r));
    if (byName.length === 0) {
      return { ...base, outcome: 'list', results: found.map((r) => this.hit(r)) };
    }
    const [top, second] = byName;
    if (top && (!second || top.score >= second.score * CLEAR_MARGIN)) {
      return { ...base, outcome: 'profile', results: byName.map((r) => this.hit(r)) };
    }
    return {
      ...base,
      outcome: 'ambiguous',
      reason: 'close',
      results: byName.slice(0, MAX_CANDIDATES).map((r) => this.hit(r)),
    };
  }

  /** Up to `limit` names starting with (or fuzzily like) the typed prefix, for autocomplete. */
  complete(prefix: string, limit = 25): { name: string; card: LoadedCard }[] {
    const key = compactKey(prefix);
    const out: { name: string; card: LoadedCard }[] = [];
    const seen = new Set<string>();
    const push = (name: string, card: LoadedCard) => {
      const id = `${card.card.uuid}\u0000${name}`;
      if (out.length < limit && !seen.has(id)) {
        seen.add(id);
        out.push({ name, card });
      }
    };
    if (!key) {
      for (const entry of this.catalog.cards) push(displayName(entry.card), entry);
      return out;
    }
    for (const entry of this.catalog.cards) {
      for (const name of allNames(entry.card))
        if (compactKey(name).startsWith(key)) push(name, entry);
    }
    if (out.length < limit) {
      for (const r of this.mini.search(prefix, { fields: NAME_FIELDS, combineWith: 'OR' })) {
        const entry = this.catalog.byUuid.get(String(r.id));
        if (entry) push(displayName(entry.card), entry);
      }
    }
    return out;
  }

  private suggest(text: string): Hit[] {
    const results = this.mini.search(text, {
      fields: NAME_FIELDS,
      combineWith: 'OR',
      fuzzy: 0.34,
      prefix: true,
    });
    return results.slice(0, 3).map((r) => this.hit(r));
  }

  private filtered(text: string, filters: Filter[]): Pick<SearchAnswer, 'outcome' | 'results'> {
    const dateFilters = filters
      .filter((f) => f.key === 'since' || f.key === 'until')
      .map((f) => ({ key: f.key as 'since' | 'until', range: filterDateRange(f.value) }));
    const fieldFilters = filters.filter((f) => f.key !== 'since' && f.key !== 'until');
    const keep = (card: ActorCard) =>
      fieldFilters.every((f) => matchesFilter(card, f)) &&
      dateFilters.every(
        ({ key, range }) => range !== undefined && hasOperationIn(card, key, range),
      );

    let results: Hit[];
    if (text) {
      results = this.mini
        .search(text, {
          filter: (r) => {
            const entry = this.catalog.byUuid.get(String(r.id));
            return entry !== undefined && keep(entry.card);
          },
        })
        .map((r) => this.hit(r));
    } else {
      results = this.catalog.cards
        .filter((e) => keep(e.card))
        .map((e) => hitOf(e, 0))
        .sort((a, b) => (this.latest.get(b.uuid) ?? -1) - (this.latest.get(a.uuid) ?? -1));
    }
    return { outcome: results.length > 0 ? 'list' : 'none', results };
  }

  private hit(r: SearchResult): Hit {
    const entry = this.catalog.byUuid.get(String(r.id));
    return {
      uuid: String(r.id),
      name: entry ? displayName(entry.card) : String(r.id),
      score: round(r.score),
    };
  }
}

function hitOf(entry: LoadedCard, score: number): Hit {
  return { uuid: entry.card.uuid, name: displayName(entry.card), score };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function matchesNameFields(r: SearchResult): boolean {
  // As many matched terms in name fields as the query has terms: a name lookup, not prose.
  const inNames = Object.values(r.match).filter((fields) =>
    fields.some((f) => NAME_FIELDS.includes(f)),
  ).length;
  return inNames >= r.queryTerms.length;
}

function hasOperationIn(card: ActorCard, key: 'since' | 'until', range: [number, number]): boolean {
  return card.operations.some((op) => {
    const span = operationDateRange(op.date);
    if (!span) return false;
    return key === 'since' ? span[1] >= range[0] : span[0] <= range[1];
  });
}
