/**
 * A card as two JSON texts: its light fields (the large ones, HEAVY_FIELDS, as 0 to keep their
 * place in the key order) with its operations' dates, `[fields, dates]`; then its large fields.
 * The parsed-card cache file holds cards so (card-cache.ts), and the reload worker hands its
 * cards to the main thread so (reply-parts.ts): either way a card is parsed into a lazy card
 * (lazy-card.ts) whose light text alone is parsed up front; the filters and ranking read only
 * that (the dates among it).
 */
import {
  type ActorCard,
  type CardBody,
  type CardSource,
  type LoadedCard,
  lazyLoadedCard,
} from '../cards/model.js';
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

/** Part of a string: where it starts and how long it is. */
interface Span {
  readonly text: string;
  readonly at: number;
  readonly length: number;
}

const textOf = ({ text, at, length }: Span): string => text.slice(at, at + length);

/**
 * A card handed over as its texts (a reload worker's cards): its heavy text kept where it came,
 * parsed when asked for. A string is one object to the collector, where the parsed operations
 * and paragraphs of 10,000 cards were hundreds of thousands to mark while queries waited (and
 * 25 MB more than their text).
 */
class HeldTexts implements HeavySource {
  constructor(
    private readonly heavy: Span,
    private readonly dates: readonly string[],
  ) {}

  readHeavy(): HeavyParts {
    return parseHeavy(textOf(this.heavy));
  }

  operationDates(): readonly string[] {
    return this.dates;
  }
}

/**
 * A card handed over as its texts, parsed when first read: the catalog made in slices
 * (catalog-in-steps.ts) reads them a few hundred at a time. Parsed as each batch arrived,
 * the cards of a 10,000-card catalog held the serving thread for 210-230 ms (batches can arrive in
 * one turn; reply-parts.ts now sends them one at a time).
 */
class HeldCard implements CardBody {
  private kept: ActorCard | undefined;

  constructor(
    private light: Span | undefined,
    private readonly heavy: Span,
  ) {}

  get card(): ActorCard {
    if (!this.kept) {
      const { light, dates } = parseLight(textOf(this.light as Span));
      this.kept = lazyCard(Object.keys(light), light, new HeldTexts(this.heavy, dates));
      this.light = undefined; // parsed: its batch's light texts can go once all are
    }
    return this.kept;
  }
}

/**
 * Cards as they cross threads (reply-parts.ts): all their light texts as one string, all their
 * heavy ones as another, and each text's length. Two strings of a few hundred KB a batch,
 * where 20,000 small ones for 10,000 cards would each be an object for the serving thread's
 * collector to copy out of the young generation and to mark.
 */
export interface CardTextsBatch {
  sources: CardSource[];
  uuids: string[];
  light: string;
  heavy: string;
  /** Per card, the lengths of its light and heavy texts. */
  lengths: number[];
}

export function cardTextsBatch(cards: readonly LoadedCard[]): CardTextsBatch {
  const lights: string[] = [];
  const heavies: string[] = [];
  const lengths: number[] = [];
  for (const { card } of cards) {
    const { light, heavy } = cardTexts(card);
    lights.push(light);
    heavies.push(heavy);
    lengths.push(light.length, heavy.length);
  }
  return {
    sources: cards.map((e) => e.source),
    uuids: cards.map((e) => e.card.uuid),
    light: lights.join(''),
    heavy: heavies.join(''),
    lengths,
  };
}

/** The batch's cards, each parsed when first read. */
export function cardsOfBatch(batch: CardTextsBatch): LoadedCard[] {
  const { light, heavy, lengths } = batch;
  const out: LoadedCard[] = [];
  let l = 0;
  let h = 0;
  batch.sources.forEach((source, i) => {
    const lightLength = lengths[2 * i] ?? 0;
    const heavyLength = lengths[2 * i + 1] ?? 0;
    const held = new HeldCard(
      { text: light, at: l, length: lightLength },
      { text: heavy, at: h, length: heavyLength },
    );
    out.push(lazyLoadedCard(source, batch.uuids[i] ?? '', held));
    l += lightLength;
    h += heavyLength;
  });
  if (l !== light.length || h !== heavy.length) throw new Error('card batch lengths do not add up');
  return out;
}
