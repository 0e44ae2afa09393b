/**
 * A card as two JSON texts: its light fields (the large ones, HEAVY_FIELDS, as 0 to keep their
 * place in the key order) with its operations' dates, `[fields, dates]`; then its large fields.
 * The parsed-card cache file holds cards so (card-cache.ts), and the reload worker hands its
 * cards to the main thread so (reply-parts.ts): either way a card is parsed into a lazy card
 * (lazy-card.ts) whose light text alone is parsed up front; the filters and ranking read only
 * that (the dates among it).
 */
import type { ActorCard } from '../cards/model.js';
import {
  type HeavyParts,
  type HeavySource,
  heavySourceOf,
  isHeavyField,
  lazyCard,
} from './lazy-card.js';
import { sharedString, shareLightStrings, shareStrings } from './shared-strings.js';

export interface CardTexts {
  light: string;
  heavy: string;
}

const NO_DATES: readonly string[] = Object.freeze([]);

/**
 * The card's texts: as its source holds them (a card read from the cache file: nothing parsed
 * or written again), else written from its fields.
 */
export function cardTexts(card: ActorCard): CardTexts {
  const kept = heavySourceOf(card)?.texts?.();
  if (kept) return kept;
  const light: Record<string, unknown> = {};
  const heavy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(card)) {
    if (value === undefined) continue; // as JSON.stringify leaves it out
    if (isHeavyField(key)) {
      light[key] = 0;
      heavy[key] = value;
    } else light[key] = value;
  }
  const dates = card.operations.map((op) => op.date);
  return { light: JSON.stringify([light, dates]), heavy: JSON.stringify(heavy) };
}

/** A light text parsed: the card's light fields, strings shared (heavy ones are placeholders). */
export function parseLight(
  text: string,
  uuid?: string,
): { light: ActorCard; dates: readonly string[] } {
  const [light, dates] = JSON.parse(text) as [ActorCard, string[]];
  shareLightStrings(light);
  if (uuid !== undefined && light.uuid === uuid) light.uuid = uuid; // one copy, the caller's
  return { light, dates: dates.length > 0 ? shareStrings(dates) : NO_DATES };
}

/** A heavy text parsed, its operations' dates shared. */
export function parseHeavy(text: string): HeavyParts {
  const heavy = JSON.parse(text) as HeavyParts;
  for (const op of [...(heavy.operations ?? []), ...(heavy.counterOperations ?? [])])
    op.date = sharedString(op.date);
  return heavy;
}

/**
 * A card handed over as its texts (a reload worker's cards): its heavy text kept as the one
 * string it came as, parsed when asked for. A string is one object to the collector, where
 * the parsed operations and paragraphs of 10,000 cards were hundreds of thousands to mark
 * while queries waited (and 25 MB more than their text).
 */
class HeldTexts implements HeavySource {
  constructor(
    private readonly heavy: string,
    private readonly dates: readonly string[],
  ) {}

  readHeavy(): HeavyParts {
    return parseHeavy(this.heavy);
  }

  operationDates(): readonly string[] {
    return this.dates;
  }
}

/** The lazy card of these texts, its large fields parsed from the heavy text when read. */
export function cardFromTexts(texts: CardTexts): ActorCard {
  const { light, dates } = parseLight(texts.light);
  return lazyCard(Object.keys(light), light, new HeldTexts(texts.heavy, dates));
}
