/**
 * The did-you-mean and closest-name code as it was before issue 19 made it faster
 * (src/search/near-miss.ts at that time, kept verbatim but for names), so that tests can
 * compare the new code's answers with the old code's.
 */
import { allNames, type LoadedCard } from '../../src/cards/model.js';
import type { SuggestionReason } from '../../src/core/types.js';
import { identifierOf } from '../../src/search/identifiers.js';
import { compactKey, normalize } from '../../src/search/normalize.js';
import { type NumberedPart, numberDistance, numberedParts } from '../../src/search/numbers.js';

interface NamePart extends NumberedPart {
  entry: LoadedCard;
  name: string;
}

export interface ReferenceNearMiss {
  entry: LoadedCard;
  alias: string;
  why: SuggestionReason;
}

/** The old NumberedNames: every numbered name filtered for each query. */
export class ReferenceNumberedNames {
  private readonly parts: NamePart[] = [];

  constructor(cards: readonly LoadedCard[]) {
    for (const entry of cards) {
      for (const name of allNames(entry.card)) {
        if (identifierOf(name)) continue;
        const parts = numberedParts(name);
        const [only] = parts;
        if (only && parts.length === 1) this.parts.push({ ...only, entry, name });
      }
    }
  }

  nearMisses(query: NumberedPart): ReferenceNearMiss[] {
    if (!query.prefix) return [];
    const out: ReferenceNearMiss[] = [];
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
    const all = this.parts;
    const samePrefix = all
      .filter((p) => p.prefix === query.prefix && p.number !== query.number)
      .sort(
        (a, b) =>
          numberDistance(a.number, query.number) - numberDistance(b.number, query.number) ||
          Number(a.number) - Number(b.number),
      );
    take(samePrefix, 'same-prefix', 3);
    const sameNumber = all.filter(
      (p) => p.number === query.number && p.prefix !== query.prefix && p.prefix !== '',
    );
    take(sameNumber, 'same-number', 2);
    return out;
  }
}

/** The old closestName: every name normalized and measured in full for each query. */
export function referenceClosestName(query: string, names: readonly string[]): string | undefined {
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
