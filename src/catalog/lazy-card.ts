/**
 * Cards that keep in memory only what the catalog reads all the time (names, aliases, the
 * filterable fields, dates) and read their large text again when something asks for it.
 *
 * Once every card of a 10,000-card catalog had been read (warm(): the filter fields), the
 * parsed cards held 35-44 MB of heap, most of it description paragraphs and operations
 * (their titles, texts and source URLs). A lazy card has those fields (HEAVY_FIELDS) as
 * accessors: reading one asks the card's source (a parsed-card cache entry reads its body
 * from the cache file again, one readSync and a JSON.parse of a few KB; a merged profile
 * takes its cards' parts again), and the last RECENT_CARDS cards' parts are kept, so that
 * answering a card twice, or reading its description and then its operations, reads it once.
 *
 * The accessors are own and enumerable, one getter per field for all cards (no closure per
 * card): a spread, JSON.stringify, a structured clone (the reload worker's reply) and deep
 * equality read a lazy card as the plain card it stands for.
 */
import type { ActorCard } from '../cards/model.js';

/** The fields a lazy card does not keep: the large text, read again when asked for. */
export const HEAVY_FIELDS = [
  'description',
  'operations',
  'counterOperations',
  'extraSections',
  'layout',
] as const;
export type HeavyField = (typeof HEAVY_FIELDS)[number];
export type HeavyParts = Partial<Pick<ActorCard, HeavyField>>;

const HEAVY = new Set<string>(HEAVY_FIELDS);

export function isHeavyField(key: string): key is HeavyField {
  return HEAVY.has(key);
}

/** Where a lazy card's heavy parts are read from when the recent ones do not hold them. */
export interface HeavySource {
  readHeavy(): HeavyParts;
  /**
   * The dates of the card's operations, in order, when the source knows them without reading
   * the operations (the filters and ranking read only these: warm() reads them of every card).
   */
  operationDates?(): readonly string[] | undefined;
  /** The card's texts as the source holds them (card-texts.ts), when it holds them so. */
  texts?(): { light: string; heavy: string };
}

/** How many cards' heavy parts are kept (a few KB each, some ETDA cards some tens of KB). */
export const RECENT_CARDS = 64;

/**
 * The heavy parts of the cards read last, least recent first (a Map keeps insertion order).
 * It holds its sources too: an older cache file stays open until its cards here are pushed out.
 */
const recent = new Map<HeavySource, HeavyParts>();

/** Keep these parts as the source's most recent ones (a card just parsed whole has them). */
export function rememberHeavy(source: HeavySource, parts: HeavyParts): HeavyParts {
  recent.delete(source);
  recent.set(source, parts);
  if (recent.size > RECENT_CARDS) {
    const oldest = recent.keys().next();
    if (!oldest.done) recent.delete(oldest.value);
  }
  return parts;
}

/** The source's heavy parts: the recent ones, else read again (and kept as recent). */
export function heavyPartsOf(source: HeavySource): HeavyParts {
  const known = recent.get(source);
  if (known) return rememberHeavy(source, known);
  return rememberHeavy(source, source.readHeavy());
}

/** The heavy fields `card` has, as they are. */
export function heavyOf(card: ActorCard): HeavyParts {
  const parts: HeavyParts = {};
  for (const field of HEAVY_FIELDS) {
    if (card[field] !== undefined) (parts as Record<string, unknown>)[field] = card[field];
  }
  return parts;
}

const SOURCE = Symbol('heavy parts source');
type Lazy = { [SOURCE]: HeavySource };

function accessor(field: HeavyField): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get(this: Lazy) {
      return heavyPartsOf(this[SOURCE])[field];
    },
    // A card given a value of its own keeps it (as a plain card would).
    set(this: Lazy, value: unknown) {
      Object.defineProperty(this, field, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
  };
}

const ACCESSORS = new Map(HEAVY_FIELDS.map((f) => [f, accessor(f)] as const));

/**
 * A card with the fields named in `keys`, in that order (the order a plain card's JSON and
 * spreads have): the heavy ones read through `source`, the others taken from `light` (which
 * may hold the heavy ones too: they are not kept).
 */
export function lazyCard(keys: readonly string[], light: object, source: HeavySource): ActorCard {
  const card = {};
  // Not enumerable: spreads, clones and equality checks see the card, not where it reads from.
  Object.defineProperty(card, SOURCE, { value: source });
  for (const key of keys) {
    const lazy = isHeavyField(key) ? ACCESSORS.get(key) : undefined;
    if (lazy) Object.defineProperty(card, key, lazy);
    else (card as Record<string, unknown>)[key] = (light as Record<string, unknown>)[key];
  }
  return card as ActorCard;
}

/** Where a lazy card reads its heavy parts from; undefined for a plain card. */
export function heavySourceOf(card: ActorCard): HeavySource | undefined {
  return (card as Partial<Lazy>)[SOURCE];
}

/**
 * The dates of the card's operations, in order: from its source when it knows them (a card
 * from the parsed-card cache keeps them with its light fields), else read off its operations.
 */
export function operationDatesOf(card: ActorCard): readonly string[] {
  const dates = heavySourceOf(card)?.operationDates?.();
  return dates ?? card.operations.map((op) => op.date);
}
