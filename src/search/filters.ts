import type { ActorCard } from '../cards/model.js';
import { compactKey, normalize } from './normalize.js';
import type { Filter } from './query.js';

/** Common ways of writing a country that the cards write another way. */
const COUNTRY_SYNONYMS: Record<string, string> = {
  us: 'usa',
  'united states': 'usa',
  'united states of america': 'usa',
  america: 'usa',
  uk: 'uk',
  'united kingdom': 'uk',
  britain: 'uk',
  'great britain': 'uk',
  england: 'uk',
  dprk: 'north korea',
  "democratic people's republic of korea": 'north korea',
  rok: 'south korea',
  korea: 'south korea',
  prc: 'china',
  "people's republic of china": 'china',
  russian: 'russia',
  'russian federation': 'russia',
  uae: 'united arab emirates',
};

function countryKey(value: string): string {
  const n = normalize(value);
  return COUNTRY_SYNONYMS[n] ?? n;
}

/** Does `needle` occur in `hay` starting at a word boundary ("gas" in "oil and gas", not "vegas")? */
function containsWord(hay: string, needle: string): boolean {
  let from = 0;
  for (;;) {
    const i = hay.indexOf(needle, from);
    if (i < 0) return false;
    if (i === 0 || !/[\p{L}\p{N}]/u.test(hay[i - 1] ?? '')) return true;
    from = i + 1;
  }
}

export function matchesFilter(card: ActorCard, filter: Filter): boolean {
  const value = filter.value;
  switch (filter.key) {
    case 'country':
      return card.countries.some((c) => countryKey(c) === countryKey(value));
    case 'target':
      return card.targets.some((c) => countryKey(c) === countryKey(value));
    case 'tool': {
      const key = compactKey(value);
      return card.tools.some((t) => compactKey(t) === key);
    }
    case 'sector':
      return card.sectors.some((s) => containsWord(normalize(s), normalize(value)));
    case 'motivation':
      return card.motivations.some((m) => containsWord(normalize(m), normalize(value)));
    case 'sponsor':
      return containsWord(normalize(card.sponsor), normalize(value));
    case 'since':
    case 'until':
      return true; // dates are checked against operations by the index
  }
}
