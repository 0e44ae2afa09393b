/**
 * One copy of the values many cards repeat. JSON.parse makes a string of its own for every
 * value of every card: 10,000 cards held "Information theft and espionage" 10,000 times, and
 * the vendors, countries, sectors, tools and dates the same way (about 5 MB). A card parsed
 * from the parsed-card cache has these fields replaced by the one shared copy; the strings
 * are equal, so nothing reading a card can tell. Names, descriptions and operation texts are
 * mostly a card's own and are left as parsed.
 */
import type { ActorCard } from '../cards/model.js';

/**
 * Every value shared so far. It only grows, with the vocabulary of these fields (a few
 * thousand values for the public catalogs), not with the number of cards or reloads.
 */
const shared = new Map<string, string>();

export function sharedString(value: string): string {
  const known = shared.get(value);
  if (known !== undefined) return known;
  shared.set(value, value);
  return value;
}

function shareAll(values: string[]): void {
  for (let i = 0; i < values.length; i++) values[i] = sharedString(values[i] as string);
}

/** The card with its repeated values shared, in place (a card just parsed, held by no one else). */
export function shareCardStrings(card: ActorCard): ActorCard {
  shareLightStrings(card);
  for (const op of [...card.operations, ...card.counterOperations]) op.date = sharedString(op.date);
  return card;
}

/** shareCardStrings but for the operations (a lazy card's light fields, lazy-card.ts). */
export function shareLightStrings(card: Omit<ActorCard, 'operations' | 'counterOperations'>): void {
  card.firstSeen = sharedString(card.firstSeen);
  card.lastModified = sharedString(card.lastModified);
  card.sponsor = sharedString(card.sponsor);
  for (const alias of card.aliases) {
    alias.vendor = sharedString(alias.vendor);
    // A card lists its title names among its aliases too: one copy of each (its own, not shared).
    const title = card.names.indexOf(alias.name);
    if (title >= 0) alias.name = card.names[title] as string;
  }
  shareAll(card.motivations);
  shareAll(card.countries);
  shareAll(card.sectors);
  shareAll(card.targets);
  shareAll(card.tools);
  for (const s of card.software) {
    s.id = sharedString(s.id);
    s.name = sharedString(s.name);
  }
  for (const t of card.techniques) {
    t.id = sharedString(t.id);
    t.name = sharedString(t.name);
    shareAll(t.tactics);
  }
}

/** The values shared, in place (a list just parsed, held by no one else). */
export function shareStrings(values: string[]): string[] {
  shareAll(values);
  return values;
}
