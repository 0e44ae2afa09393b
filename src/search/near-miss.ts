/**
 * Did-you-mean for a numbered name no card has: the names with the same prefix and the
 * nearest numbers ("APT 45": APT 41, APT 42), then the names with the same number and another
 * prefix ("APT 13": Group 13). Each suggestion says why it is offered.
 */
import { allNames, displayName, type LoadedCard } from '../cards/model.js';
import type { SuggestionReason } from '../core/types.js';
import type { Hit, SearchAnswer, Suggestion } from './answer.js';
import { identifierOf } from './identifiers.js';
import { compactKey, normalize } from './normalize.js';
import { type NumberedPart, numberDistance, numberedParts, VENDOR_PREFIXES } from './numbers.js';

export type { SuggestionReason };

export interface NearMiss {
  entry: LoadedCard;
  /** The card's name that earned the suggestion ("Group 13"). */
  alias: string;
  why: SuggestionReason;
}

interface NamePart extends NumberedPart {
  entry: LoadedCard;
  name: string;
}

const SAME_PREFIX = 3;

/** A year, as people write one beside a topic: 1990 to 2039. */
const YEAR_RE = /^(?:199\d|20[0-3]\d)$/;
/** Actors offered at most when a query names several by number. */
const MAX_NAMED = 10;
/** A prefix on this many numbered names is an actor prefix ("APT", "TA"), as the detector has it. */
const ACTOR_PREFIX_NAMES = 2;
const SAME_NUMBER = 2;

/** Every name of the catalog with exactly one number, split once per index (built on first use). */
export class NumberedNames {
  private parts?: NamePart[];
  /** The same parts by prefix and by number, each list in the order of `parts`. */
  private byPrefix = new Map<string, NamePart[]>();
  private byNumber = new Map<string, NamePart[]>();

  /** `cards`: read on the first near-miss query, not at start-up. */
  constructor(private readonly cards: () => readonly LoadedCard[]) {}

  private all(): NamePart[] {
    if (!this.parts) {
      this.parts = [];
      for (const entry of this.cards()) {
        for (const name of allNames(entry.card)) {
          // An ATT&CK id is not a name anyone mistypes: "APT 46" is not a near miss of G0046.
          if (identifierOf(name)) continue;
          const parts = numberedParts(name);
          const [only] = parts;
          if (only && parts.length === 1) this.parts.push({ ...only, entry, name });
        }
      }
      for (const p of this.parts) {
        listIn(this.byPrefix, p.prefix).push(p);
        listIn(this.byNumber, p.number).push(p);
      }
    }
    return this.parts;
  }

  /**
   * The query's numbered parts that name an actor: a whole word or two ("apt 21", "apt21", not
   * the mistyped "uac03j5") whose prefix is a vendor's (APT, TA, UNC: numbers.ts) or that of two
   * or more of the catalog's numbered names ("group"), so not a year after a word ("attacks 2021").
   */
  actorParts(query: readonly NumberedPart[]): NumberedPart[] {
    if (query.length === 0) return [];
    this.all();
    const isActorPrefix = (e: string) =>
      VENDOR_PREFIXES.has(e) ||
      (e !== '' && (this.byPrefix.get(e)?.length ?? 0) >= ACTOR_PREFIX_NAMES);
    return query.filter((q) => q.whole === true && q.endings.some(isActorPrefix));
  }

  /**
   * A year after a word no numbered name starts with ("energy 2014", "attacks 2021"): a topic,
   * not a name that is missing (whereas "apt 2014" and "group 2014" stay names).
   */
  isYearAfterWord(part: NumberedPart): boolean {
    if (!YEAR_RE.test(part.number)) return false;
    this.all();
    return !part.endings.some((e) => e === '' || VENDOR_PREFIXES.has(e) || this.byPrefix.has(e));
  }

  /** The cards with a name that is this numbered part ("apt 21": NetTraveler as APT 21). */
  named(part: NumberedPart): Omit<NearMiss, 'why'>[] {
    this.all();
    const out: Omit<NearMiss, 'why'>[] = [];
    for (const p of this.byNumber.get(part.number) ?? []) {
      if (!part.endings.includes(p.prefix) || out.some((o) => o.entry === p.entry)) continue;
      out.push({ entry: p.entry, alias: p.name });
    }
    return out;
  }

  /** Suggestions for a query whose only numbered part is `query`. */
  nearMisses(query: NumberedPart): NearMiss[] {
    if (!query.prefix) return [];
    const out: NearMiss[] = [];
    const taken = new Set<LoadedCard>();
    const take = (list: NamePart[], why: SuggestionReason, max: number) => {
      let n = 0;
      for (const p of list) {
        if (n >= max) break;
        if (taken.has(p.entry)) continue;
        taken.add(p.entry);
        out.push({ entry: p.entry, alias: p.name, why });
        n++;
      }
    };
    this.all();
    // Read from the lists by prefix and by number rather than filtering every numbered name:
    // the same parts in the same order, so the (stable) sort gives the same suggestions.
    const samePrefix = (this.byPrefix.get(query.prefix) ?? [])
      .filter((p) => p.number !== query.number)
      .sort(
        (a, b) =>
          numberDistance(a.number, query.number) - numberDistance(b.number, query.number) ||
          Number(a.number) - Number(b.number),
      );
    take(samePrefix, 'same-prefix', SAME_PREFIX);
    const sameNumber = (this.byNumber.get(query.number) ?? []).filter(
      (p) => p.prefix !== query.prefix && p.prefix !== '',
    );
    take(sameNumber, 'same-number', SAME_NUMBER);
    return out;
  }
}

/** How an index makes the hit for a card (answer.ts's hitOf over its catalog). */
type HitOf = (entry: LoadedCard, score: number) => Hit;

/** Did-you-mean for a numbered name no card has, each saying why it is offered. */
export function nearMissHits(
  numbered: NumberedNames,
  part: NumberedPart,
  hitOf: HitOf,
): Suggestion[] {
  return numbered.nearMisses(part).map(({ entry, alias, why }) => ({
    ...hitOf(entry, 0),
    why,
    ...(alias !== displayName(entry.card) ? { alias } : {}),
  }));
}

/**
 * A query naming actors by number that its other words do not narrow: the cards with those
 * names ("apt 21 tools": NetTraveler, as its closest match), or none with the near misses of
 * a number no card has ("apt 99 phishing": APT 42, ...).
 */
export function answerByNumber(
  numbered: NumberedNames,
  parts: readonly NumberedPart[],
  hitOf: HitOf,
): Omit<SearchAnswer, 'query' | 'errors'> {
  const named = parts.map((p) => numbered.named(p));
  const missing = parts.find((_, i) => named[i]?.length === 0);
  if (missing) {
    return { outcome: 'none', results: [], suggestions: nearMissHits(numbered, missing, hitOf) };
  }
  const all = [...new Map(named.flat().map((n) => [n.entry, n])).values()];
  const [only] = all;
  if (only && all.length === 1) {
    const results = [hitOf(only.entry, 1)];
    return {
      outcome: 'profile',
      match: 'closest',
      closestName: only.alias,
      results,
      suggestions: [],
    };
  }
  const results = all.slice(0, MAX_NAMED).map((n) => hitOf(n.entry, 1));
  return { outcome: 'ambiguous', reason: 'close', results, suggestions: [] };
}

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/**
 * Which of a card's names the query is most like ("hamer panda" -> "Hammer Panda", not the
 * card's title NetTraveler; "lazrus" -> "Lazarus Group", not the short "Zinc"): the edit
 * distance from the query to the start of the name, or of one of its later words, plus a little
 * for what the name has beyond. Names are short and this runs once per fuzzy answer, so the plain
 * dynamic programme is enough (MiniSearch does not say which name of a document matched).
 */
export function closestName(query: string, names: readonly string[]): string | undefined {
  return closestOf(query, names, wordEndings);
}

/**
 * closestName with each name's word endings kept from one query to the next: a merged actor
 * has dozens of names (Lazarus Group about 30), and normalizing them again for every fuzzy
 * answer was most of its cost.
 */
export class ClosestNames {
  private readonly endings = new Map<string, string[]>();

  closest(query: string, names: readonly string[]): string | undefined {
    return closestOf(query, names, (name) => {
      let keys = this.endings.get(name);
      if (!keys) {
        keys = wordEndings(name);
        this.endings.set(name, keys);
      }
      return keys;
    });
  }
}

/** The compact keys of a name from each of its words on: "Hammer Panda" -> hammerpanda, panda. */
function wordEndings(name: string): string[] {
  const words = normalize(name).split(' ');
  return words.map((_, w) => compactKey(words.slice(w).join(' ')));
}

function closestOf(
  query: string,
  names: readonly string[],
  endingsOf: (name: string) => string[],
): string | undefined {
  const q = compactKey(query);
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const endings = endingsOf(name);
    for (let w = 0; w < endings.length; w++) {
      const ending = endings[w] ?? '';
      const extra = w > 0 ? 0.5 : 0;
      // Only a score below the best so far counts: skip a name that cannot reach it.
      if (prefixDistanceAtLeast(q, ending) + extra >= bestScore) continue;
      const score = prefixDistance(q, ending) + extra;
      if (score < bestScore) {
        best = name;
        bestScore = score;
      }
    }
  }
  return best;
}

/**
 * A floor under prefixDistance(a, b) from the lengths alone: the edits make up the length `a`
 * lacks, or what `b` has beyond `a` costs a tenth a character (computed as prefixDistance
 * computes that case, so the floor is never above it).
 */
function prefixDistanceAtLeast(a: string, b: string): number {
  return b.length >= a.length ? (b.length - a.length) * 0.1 : a.length - b.length;
}

/** Two rows of the dynamic programme, kept between calls. */
let prevRow = new Int32Array(64);
let thisRow = new Int32Array(64);

/** Edits from `a` to the best prefix of `b`, plus a tenth per character of `b` left over. */
function prefixDistance(a: string, b: string): number {
  if (prevRow.length <= b.length) {
    prevRow = new Int32Array(b.length + 1);
    thisRow = new Int32Array(b.length + 1);
  }
  let prev = prevRow;
  let row = thisRow;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, row] = [row, prev];
  }
  let best = Number.POSITIVE_INFINITY;
  for (let j = 0; j <= b.length; j++) best = Math.min(best, (prev[j] ?? 0) + (b.length - j) * 0.1);
  return best;
}
