/** Parsed-card cache helpers shared by the card-cache and lazy-card tests. */
import type { ActorCard } from '../../src/cards/model.js';
import type { CardCache, ParsedEntry } from '../../src/catalog/card-cache.js';
import { listCardFiles } from '../../src/catalog/files.js';
import { parseCardFiles, RACY_MS } from '../../src/catalog/parse-cards.js';

/** A folder's parses as a first load makes them (files quiet for longer than RACY_MS). */
export function firstParses(dir: string): CardCache {
  const parsed = parseCardFiles(
    listCardFiles(dir),
    { parses: {}, stamps: {} },
    dir,
    Date.now() + 10 * RACY_MS,
  );
  return { parses: parsed.parses, stamps: parsed.stamps };
}

/**
 * The card an entry read from the parsed-card cache holds in the file, as one object: its light
 * text's fields (the heavy ones there are placeholders) filled from its heavy text, and the
 * operations' dates the light text keeps, for comparing with them. Undefined for a fresh entry.
 */
export function storedCard(
  entry: ParsedEntry | undefined,
): { card: ActorCard; dates: string[] } | undefined {
  const texts = entry?.stored;
  if (!texts) return undefined;
  const [light, dates] = JSON.parse(texts.light) as [Record<string, unknown>, string[]];
  const heavy = JSON.parse(texts.heavy) as Record<string, unknown>;
  const card: Record<string, unknown> = {};
  for (const key of Object.keys(light)) card[key] = key in heavy ? heavy[key] : light[key];
  return { card: card as unknown as ActorCard, dates };
}
