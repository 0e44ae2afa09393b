import type { ActorCard } from '../cards/model.js';
import { operationDatesOf } from '../catalog/lazy-card.js';
import { sharedString } from '../catalog/shared-strings.js';
import { compactKey, normalize } from './normalize.js';
import { type DateRange, type Filter, filterDateRange, operationDateRange } from './query.js';

/** Common ways of writing a country that the cards write another way. */
const COUNTRY_SYNONYMS: Record<string, string> = {
  us: 'usa',
  'u.s.': 'usa',
  'united states': 'usa',
  'united states of america': 'usa',
  america: 'usa',
  'united kingdom': 'uk',
  britain: 'uk',
  'great britain': 'uk',
  england: 'uk',
  dprk: 'north korea',
  "democratic people's republic of korea": 'north korea',
  rok: 'south korea',
  prc: 'china',
  "people's republic of china": 'china',
  'russian federation': 'russia',
  uae: 'united arab emirates',
};

export function countryKey(value: string): string {
  const n = normalize(value);
  return COUNTRY_SYNONYMS[n] ?? n;
}

/**
 * A card's filterable values, normalized once when the index is built, so that a filter query
 * over the whole catalog compares strings instead of re-normalizing every card every time.
 */
export interface FilterFields {
  countries: string[];
  targets: string[];
  /** Tools and STIX software names. */
  tools: string[];
  /** ATT&CK technique ids, upper case ("T1566.001"). */
  techniqueIds: string[];
  techniqueNames: string[];
  /** Tactic short names, normalized ("initial-access"). */
  tactics: string[];
  sectors: string[];
  motivations: string[];
  sponsor: string;
  /** [first, last] month index of each dated operation. */
  operations: readonly DateRange[];
}

/** One empty list for every card without values in a field (read only, as all of these). */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/** Each key function's keys of the values it was given (a few thousand for a catalog). */
const keysOf = new Map<(value: string) => string, Map<string, string>>();
const KEYS_KEPT = 100_000;

/**
 * The value's key, one copy for all cards (shared-strings.ts), worked out once per value: a
 * start reads every card's values, and normalizing 10,000 cards' again and again made most of
 * its garbage.
 */
function keyOf(value: string, key: (value: string) => string): string {
  let known = keysOf.get(key);
  if (!known) {
    known = new Map();
    keysOf.set(key, known);
  }
  let k = known.get(value);
  if (k === undefined) {
    k = sharedString(key(value));
    if (known.size >= KEYS_KEPT) known.clear();
    known.set(value, k);
  }
  return k;
}

/** The values' keys (one empty list for all cards without values). */
function keys(values: readonly string[], key: (value: string) => string): string[] {
  return values.length === 0 ? NONE : values.map((v) => keyOf(v, key));
}

export function filterFieldsOf(card: ActorCard): FilterFields {
  const operations: DateRange[] = [];
  for (const date of operationDatesOf(card)) {
    const range = operationDateRange(date);
    if (range) operations.push(range);
  }
  return {
    countries: keys(card.countries, countryKey),
    targets: keys(card.targets, countryKey),
    tools: keys([...card.tools, ...card.software.map((s) => s.name)], compactKey),
    techniqueIds: keys(card.techniques.map((t) => t.id.toUpperCase()).filter(Boolean), String),
    techniqueNames: keys(
      card.techniques.map((t) => t.name),
      normalize,
    ),
    tactics: keys([...new Set(card.techniques.flatMap((t) => t.tactics.map(tacticKey)))], String),
    sectors: keys(card.sectors, normalize),
    motivations: keys(card.motivations, normalize),
    sponsor: keyOf(card.sponsor, normalize),
    operations: operations.length === 0 ? NONE : operations,
  };
}

/**
 * "Initial Access", "initial_access", "initial-access" -> "initial-access". An ICS or Mobile
 * tactic ("initial-access (ICS)", stix.ts) has the same key: `tactic:` asks for it in any domain.
 */
export function tacticKey(value: string): string {
  return normalize(value)
    .replace(TACTIC_DOMAIN_RE, '')
    .replace(/[\s_]+/g, '-');
}

const TACTIC_DOMAIN_RE = /\s*\((?:ics|mobile)\)$/;

const TECHNIQUE_ID_RE = /^[A-Z]\d{4}(?:\.\d{3})?$/;

/** Does `needle` occur in `hay` starting at a word boundary ("gas" in "oil and gas", not "vegas")? */
function containsWord(hay: string, needle: string): boolean {
  let from = 0;
  for (;;) {
    const i = hay.indexOf(needle, from);
    if (i < 0) return false;
    if (i === 0 || !WORD_CHAR_RE.test(hay[i - 1] ?? '')) return true;
    from = i + 1;
  }
}

const WORD_CHAR_RE = /[\p{L}\p{N}]/u;

/** Compile one filter into a predicate; the value is normalized once per query, not per card. */
function compileFilter(filter: Filter): (fields: FilterFields) => boolean {
  switch (filter.key) {
    case 'country': {
      const key = countryKey(filter.value);
      return (f) => f.countries.includes(key);
    }
    case 'target': {
      const key = countryKey(filter.value);
      return (f) => f.targets.includes(key);
    }
    case 'tool': {
      const key = compactKey(filter.value);
      return (f) => f.tools.includes(key);
    }
    case 'technique': {
      const id = filter.value.trim().toUpperCase();
      if (TECHNIQUE_ID_RE.test(id)) {
        // T1566 covers its sub-techniques (T1566.001); T1566.001 only itself.
        const sub = `${id}.`;
        return (f) => f.techniqueIds.some((t) => t === id || t.startsWith(sub));
      }
      const key = normalize(filter.value);
      return (f) => f.techniqueNames.some((n) => containsWord(n, key));
    }
    case 'tactic': {
      const key = tacticKey(filter.value);
      return (f) => f.tactics.includes(key);
    }
    case 'sector': {
      const key = normalize(filter.value);
      return (f) => f.sectors.some((s) => containsWord(s, key));
    }
    case 'motivation': {
      const key = normalize(filter.value);
      return (f) => f.motivations.some((m) => containsWord(m, key));
    }
    case 'sponsor': {
      const key = normalize(filter.value);
      return (f) => containsWord(f.sponsor, key);
    }
    case 'since':
    case 'until':
      return (f) => matchesDates(f, [filter]);
  }
}

/** All filters of a query as one predicate (they combine with AND). */
export function compileFilters(filters: Filter[]): (fields: FilterFields) => boolean {
  const dates = filters.filter((f) => f.key === 'since' || f.key === 'until');
  const checks = filters.filter((f) => f.key !== 'since' && f.key !== 'until').map(compileFilter);
  return (fields) =>
    checks.every((check) => check(fields)) && (dates.length === 0 || matchesDates(fields, dates));
}

/**
 * since:/until: together describe one window; a card matches when one of its dated operations
 * overlaps it ("since:2019 until:2020" needs an operation in 2019-2020, not one of each).
 */
export function matchesDates(fields: FilterFields, filters: Filter[]): boolean {
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.POSITIVE_INFINITY;
  for (const f of filters) {
    const range = filterDateRange(f.value);
    if (!range) return false;
    if (f.key === 'since') from = Math.max(from, range[0]);
    else if (f.key === 'until') to = Math.min(to, range[1]);
  }
  return fields.operations.some(([start, end]) => end >= from && start <= to);
}
