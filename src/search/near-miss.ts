/**
 * Did-you-mean for a numbered name no card has: the names with the same prefix and the
 * nearest numbers ("APT 45": APT 41, APT 42), then the names with the same number and another
 * prefix ("APT 13": Group 13). Each suggestion says why it is offered.
 */
import { allNames, type LoadedCard } from '../cards/model.js';
import type { SuggestionReason } from '../core/types.js';
import { identifierOf } from './identifiers.js';
import { compactKey, normalize } from './normalize.js';
import { type NumberedPart, numberDistance, numberedParts } from './numbers.js';

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
const SAME_NUMBER = 2;

/** Every name of the catalog with exactly one number, split once per index (built on first use). */
export class NumberedNames {
  private parts?: NamePart[];

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
    }
    return this.parts;
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
    const all = this.all();
    const samePrefix = all
      .filter((p) => p.prefix === query.prefix && p.number !== query.number)
      .sort(
        (a, b) =>
          numberDistance(a.number, query.number) - numberDistance(b.number, query.number) ||
          Number(a.number) - Number(b.number),
      );
    take(samePrefix, 'same-prefix', SAME_PREFIX);
    const sameNumber = all.filter(
      (p) => p.number === query.number && p.prefix !== query.prefix && p.prefix !== '',
    );
    take(sameNumber, 'same-number', SAME_NUMBER);
    return out;
  }
}

/**
 * Which of a card's names the query is most like ("hamer panda" -> "Hammer Panda", not the
 * card's title NetTraveler; "lazrus" -> "Lazarus Group", not the short "Zinc"): the edit
 * distance from the query to the start of the name, or of one of its later words, plus a little
 * for what the name has beyond. Names are short and this runs once per fuzzy answer, so the plain
 * dynamic programme is enough (MiniSearch does not say which name of a document matched).
 */
export function closestName(query: string, names: readonly string[]): string | undefined {
  const q = compactKey(query);
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const words = normalize(name).split(' ');
    for (let w = 0; w < words.length; w++) {
      const score = prefixDistance(q, compactKey(words.slice(w).join(' '))) + (w > 0 ? 0.5 : 0);
      if (score < bestScore) {
        best = name;
        bestScore = score;
      }
    }
  }
  return best;
}

/** Edits from `a` to the best prefix of `b`, plus a tenth per character of `b` left over. */
function prefixDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  let best = Number.POSITIVE_INFINITY;
  for (let j = 0; j <= b.length; j++) best = Math.min(best, (prev[j] ?? 0) + (b.length - j) * 0.1);
  return best;
}
