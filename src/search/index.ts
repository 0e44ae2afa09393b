/**
 * Search over one catalog: the exact alias table (exact.ts) in front of two MiniSearch
 * indexes (documents.ts), answers shaped as in answer.ts.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { type ActorCard, allNames, type LoadedCard } from '../cards/model.js';
import type { Catalog, CatalogActor } from '../catalog/catalog.js';
import { type Hit, hitOf, hitOfUuid, type SearchAnswer, type Suggestion } from './answer.js';
import { completions } from './complete.js';
import {
  NAME_OPTIONS,
  type NameDoc,
  replaceDocs,
  TEXT_OPTIONS,
  type TextDoc,
  toNameDoc,
  toTextDoc,
} from './documents.js';
import { ExactNames } from './exact.js';
import { compileFilters, type FilterFields, filterFieldsOf } from './filters.js';
import { type FastFuzzy, useFastFuzzy } from './fuzzy-terms.js';
import { identifierOf } from './identifiers.js';
import {
  EVENT_LOOP_TURNS,
  type IndexCache,
  inSlices,
  loadAsync,
  loadOrUndefined,
  namesJson,
  readOrUndefined,
  type SearchIndexOptions,
  type SerializedIndex,
  type Slices,
} from './index-io.js';
import { compactIndex, serializeIndex } from './index-json.js';
import { answerByNumber, ClosestNames, NumberedNames, nearMissHits } from './near-miss.js';
import { compactKey, normalize } from './normalize.js';
import { type ScoredDoc, searchProse } from './prose-score.js';
import { byScore, latestActivity, type Ranked, sortedByScore } from './ranking.js';

export type { Hit, Outcome, SearchAnswer, Suggestion } from './answer.js';
export type { IndexCache, SearchIndexOptions, SerializedIndex } from './index-io.js';

import { isNumberedName, type NumberedPart, numberedParts, partsAgree } from './numbers.js';
import { type Filter, parseQuery } from './query.js';

/** Exact name and alias hits score this, above any full-text score, so they sort first. */
export const EXACT_SCORE = 1000;
/** A full-text top hit must beat the runner-up by this factor to count as one clear answer. */
const CLEAR_MARGIN = 1.5;
const MAX_CANDIDATES = 10;
/** Shortest query (letters and digits, after normalization) looked for beyond the exact names. */
const MIN_QUERY = 2;
/** Queries of more words than this are sentences: no "similar name" is offered for them. */
const MAX_SUGGESTED_WORDS = 5;
/** Name scores this far apart settle a lookup without consulting prose. */
const SURE_MARGIN = 3;

/** A name match outranks a match in prose by this factor. */
const NAME_WEIGHT = 5;

/** How an incremental reload makes the next index from the serving one (SearchIndex.updated). */
interface IndexUpdate {
  previous: SearchIndex;
  removed: readonly CatalogActor[];
  added: readonly CatalogActor[];
}

/**
 * Search over one catalog. Immutable once built, but for `updated()`: a full reload builds a
 * new one, an incremental reload makes the next one from this one.
 */
export class SearchIndex {
  readonly catalog: Catalog;
  private namesIndex?: MiniSearch<NameDoc>;
  /** Made with the names index, unless the options ask for MiniSearch alone. */
  private fuzzy?: FastFuzzy;
  private readonly plain: boolean;
  private textIndex?: MiniSearch<TextDoc>;
  private readonly cache: IndexCache;
  private readonly exact: ExactNames;
  private readonly latest = new Map<string, number>();
  private filterFields?: Map<string, FilterFields>; // made by warm() or a first filter query
  private readonly numbered: NumberedNames;
  private readonly closestNames = new ClosestNames();
  /** uuid -> the numbered parts of each of its names that has a number (made on first use). */
  private readonly cardParts = new Map<string, NumberedPart[][]>();

  /**
   * Start-up cost matters (a restart should answer at once), so only the exact table and the
   * small names index are made here; the prose index is loaded or built the first time a query
   * needs it (`warm()` does it ahead of time). Without a cache, both are built here.
   */
  constructor(
    catalog: Catalog,
    cache?: IndexCache,
    options: SearchIndexOptions = {},
    /** An incremental update's, or an exact table made already (searchIndexInSteps). */
    update?: IndexUpdate | { exact: ExactNames },
  ) {
    this.catalog = catalog;
    this.cache = cache ?? {};
    // Everything is indexed by actor: one merged profile per actor.
    this.numbered = new NumberedNames(() => catalog.profiles);
    if (update && 'previous' in update) {
      const { previous, removed, added } = update;
      this.plain = previous.plain;
      this.exact = previous.exact.updated(catalog, removed, added);
      this.namesIndex = previous.names;
      // The same names index, so the same fuzzy vocabulary (dropped by its changes below).
      if (previous.fuzzy) this.fuzzy = previous.fuzzy;
      this.textIndex = previous.text;
      this.cardParts = previous.cardParts;
      this.latest = previous.latest;
      if (previous.filterFields) this.filterFields = previous.filterFields;
      this.inherit(removed, added);
      return;
    }
    this.exact = update?.exact ?? new ExactNames(catalog);
    this.plain = options.plainMiniSearch === true;
    if (!cache) this.warm();
  }

  /** Loaded (or built) by the first query that is not an exact name (the exact table answers those). */
  private get names(): MiniSearch<NameDoc> {
    if (!this.namesIndex) {
      let index = loadOrUndefined<NameDoc>(namesJson(this.cache), NAME_OPTIONS); // damaged: build
      if (!index) {
        const built = new MiniSearch<NameDoc>(NAME_OPTIONS);
        for (const { card } of this.catalog.profiles) built.add(toNameDoc(card));
        index = this.plain ? built : compactIndex(built);
        this.cache.saveNames?.(serializeIndex(built));
      }
      this.adoptNames(index);
    }
    return this.namesIndex as MiniSearch<NameDoc>;
  }

  private adoptNames(index: MiniSearch<NameDoc>): void {
    this.namesIndex = index;
    if (!this.plain) this.fuzzy = useFastFuzzy(index);
  }

  /**
   * Make the names index and its fuzzy vocabulary (fuzzy-terms.ts), the prose index and the
   * filter fields now rather than on the first query that needs them (aptcard start calls this
   * right after start-up, hot reload before the swap).
   */
  warm(): this {
    // Cards first (their filter fields): a cached card's large text is then read again only
    // when a reply shows it (src/catalog/lazy-card.ts).
    this.fields('');
    void this.names;
    void this.text;
    this.fuzzy?.prepare();
    return this;
  }

  /** Read or build (and save) one of the two MiniSearch indexes only: a priming stage's work. */
  prime(part: 'names' | 'text'): void {
    if (part === 'names') void this.names;
    else void this.text;
  }

  /**
   * warm() in slices of a few milliseconds, cards first as there, for an index taken in while
   * another serves (a full rebuild from the reload worker); nothing cached: built in one go.
   */
  async warmInSteps(slices: Slices = EVENT_LOOP_TURNS): Promise<this> {
    await inSlices(this.catalog.actors, (actor) => void actor.profile, slices);
    if (!this.filterFields) {
      const fields = new Map<string, FilterFields>();
      await inSlices(this.catalog.profiles, ({ card }) => this.addFields(fields, card), slices);
      this.filterFields = fields;
    }
    if (!this.namesIndex) {
      const names = await loadAsync(namesJson(this.cache), NAME_OPTIONS, slices);
      if (names) this.adoptNames(names);
    }
    void this.names;
    await slices.pause();
    this.textIndex ??= await loadAsync(readOrUndefined(this.cache.text), TEXT_OPTIONS, slices);
    void this.text;
    await slices.pause();
    await this.fuzzy?.prepareInSteps(slices);
    return this;
  }

  /**
   * The index of `catalog`, made from this one: the actors of this catalog that the next one
   * does not have as they are (`removed`) and those it has new (`added`). Both MiniSearch
   * indexes are changed in place (their exact `remove` and `add`, so the statistics scores
   * come from are those of an index built from scratch), the exact table and the filter fields
   * copied with the changes, the lazily made tables changed in place. The caller swaps the
   * result in within the same synchronous step (hot reload, src/catalog/watch.ts), so no query
   * sees an index half changed. Every query takes `library.current` afresh; one still holding
   * this index afterwards reads its own catalog, exact table and profiles, but fuzzy, prose and
   * filter matches come from the next catalog's.
   */
  updated(
    catalog: Catalog,
    removed: readonly CatalogActor[],
    added: readonly CatalogActor[],
  ): SearchIndex {
    return new SearchIndex(catalog, undefined, {}, { previous: this, removed, added });
  }

  /** Has both indexes in memory (an incremental update needs them: it changes them in place). */
  get warmed(): boolean {
    return this.namesIndex !== undefined && this.textIndex !== undefined;
  }

  /**
   * The previous index's lazily made tables, changed in place for the actors that changed (as
   * its MiniSearch indexes are): copying them would cost the reload's main-thread step.
   */
  private inherit(removed: readonly CatalogActor[], added: readonly CatalogActor[]): void {
    const card = (a: CatalogActor) => a.profile.entry.card;
    replaceDocs(this.names, this.text, removed.map(card), added.map(card));
    for (const actor of [...removed, ...added]) {
      this.cardParts.delete(card(actor).uuid);
      this.filterFields?.delete(card(actor).uuid);
      this.latest.delete(card(actor).uuid);
    }
    if (!this.filterFields) return;
    for (const actor of added) this.addFields(this.filterFields, card(actor));
  }

  private buildText(): MiniSearch<TextDoc> {
    const text = new MiniSearch<TextDoc>(TEXT_OPTIONS);
    // One document at a time: made all at once, every card's prose was held together on top of
    // the index being built (10,000 cards: 16 MB more at the peak of a first start).
    for (const { card } of this.catalog.profiles) text.add(toTextDoc(card));
    return this.plain ? text : compactIndex(text);
  }

  private get text(): MiniSearch<TextDoc> {
    if (!this.textIndex) {
      // No cache file yet, or an unreadable or damaged one: build instead.
      this.textIndex = loadOrUndefined<TextDoc>(readOrUndefined(this.cache.text), TEXT_OPTIONS);
      if (!this.textIndex) {
        this.textIndex = this.buildText();
        this.cache.saveText?.(serializeIndex(this.textIndex));
      }
    }
    return this.textIndex;
  }

  /** The names index as JSON, for the start-up cache. */
  serializeNames(): string {
    return serializeIndex(this.names);
  }

  /** Both indexes as JSON (the prose one made if needed), e.g. to hand to another thread. */
  serialize(): SerializedIndex {
    return { names: this.serializeNames(), text: serializeIndex(this.text) };
  }

  private fields(uuid: string): FilterFields | undefined {
    if (!this.filterFields) {
      const fields = new Map<string, FilterFields>();
      for (const { card } of this.catalog.profiles) this.addFields(fields, card);
      this.filterFields = fields;
    }
    return this.filterFields.get(uuid);
  }

  private addFields(fields: Map<string, FilterFields>, card: ActorCard): void {
    const filterFields = filterFieldsOf(card);
    fields.set(card.uuid, filterFields);
    this.latest.set(card.uuid, latestActivity(filterFields.operations));
  }

  /** Actor profiles whose title name, alias or card UUID is exactly this (after normalization). */
  lookup(name: string): LoadedCard[] {
    return this.exact.lookup(name);
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
      const owner = this.exact.preferredOwner(parsed.text);
      if (owner) {
        return {
          ...base,
          outcome: 'profile',
          match: 'exact',
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

    // One letter or digit names nothing: any card it would find ("a" in Kiss-a-Dog) is chance.
    if (compactKey(parsed.text).length < MIN_QUERY)
      return { ...base, outcome: 'none', results: [] };

    const numbers = numberedParts(parsed.text);
    // "apt 21 tools", "apt 99 phishing": a query that names an actor by number is about that
    // actor. Prose holding "apt" and "21" apart is not (it answered the second with Magic Hound).
    const actorParts = isNumberedName(parsed.text) ? [] : this.numbered.actorParts(numbers);
    const about =
      actorParts.length > 0 ? (uuid: string) => this.numbersAgree(uuid, actorParts) : undefined;
    const found = this.ranked(parsed.text, about, numbers);
    if (found.length === 0 && actorParts.length > 0) {
      return { ...base, ...answerByNumber(this.numbered, actorParts, this.hitOf.bind(this)) };
    }
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
      // The merged profile's names, which the names index matched: one card's alone missed
      // a name another source gave ("clear" is like MISP's "Clean Ursa", not ETDA's "The Rocra").
      const entry = this.catalog.profileOf(top.uuid) ?? this.catalog.byUuid.get(top.uuid);
      const name = entry && this.closestNames.closest(parsed.text, allNames(entry.card));
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
    return completions(this.catalog, this.names, prefix, limit);
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
    const add = (results: readonly ScoredDoc[], weight: number, byName: boolean) => {
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
      const [first, second] = [...byId.values()].sort(byScore);
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
    if (numbers.length > 0 && isNumberedName(text) && !this.yearAfterWord(numbers))
      return sortedByScore(byId);
    // 3. Prose, scoring only the documents with every word of it (none: not searched at all).
    add(searchProse(this.text, text, { keep, plain: this.plain }), 1, false);
    return sortedByScore(byId);
  }

  /** "energy 2014": one numbered part, a year after a word no numbered name starts with. */
  private yearAfterWord(numbers: readonly NumberedPart[]): boolean {
    const [only] = numbers;
    return numbers.length === 1 && only !== undefined && this.numbered.isYearAfterWord(only);
  }

  private suggest(text: string, numbers: readonly NumberedPart[]): Suggestion[] {
    const [only] = numbers;
    if (only && numbers.length === 1 && isNumberedName(text)) {
      const near = nearMissHits(this.numbered, only, this.hitOf.bind(this));
      if (near.length > 0) return near;
    }
    // A sentence ("we saw it in the logs today") is like some name in one of its words: a
    // suggestion from that is noise, not a near miss.
    if (normalize(text).split(' ').length > MAX_SUGGESTED_WORDS) return [];
    const results = this.names
      .search(text, { combineWith: 'OR', fuzzy: 0.34, prefix: true })
      .map((r) => ({ uuid: String(r.id), score: r.score }))
      .sort(byScore);
    return results.slice(0, 3).map((r) => ({
      ...this.hit({ ...r, byName: true }),
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
    return hitOfUuid(this.catalog, r.uuid, r.score);
  }

  private hitOf(entry: LoadedCard, score: number): Hit {
    return hitOf(this.catalog, entry, score);
  }
}
