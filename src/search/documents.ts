/**
 * The documents of the two MiniSearch indexes and how each is searched. What is here decides
 * the serialized indexes' format: a change needs INDEX_CACHE_VERSION bumped in
 * src/catalog/index-cache.ts.
 */
import type MiniSearch from 'minisearch';
import { type ActorCard, allNames } from '../cards/model.js';
import { compactKey, normalize } from './normalize.js';

export interface NameDoc {
  id: string;
  names: string;
  aliases: string;
  keys: string;
}

export interface TextDoc {
  id: string;
  tools: string;
  countries: string;
  sectors: string;
  targets: string;
  motivations: string;
  description: string;
  operations: string;
}

export function toNameDoc(card: ActorCard): NameDoc {
  return {
    id: card.uuid,
    names: card.names.join(' \n '),
    aliases: card.aliases.map((a) => a.name).join(' \n '),
    // "APT 21" is also indexed as "apt21", so fuzzy search meets "apt-21" and "APT211".
    keys: allNames(card).map(compactKey).join(' '),
  };
}

export function toTextDoc(card: ActorCard): TextDoc {
  const ops = [...card.operations, ...card.counterOperations];
  return {
    id: card.uuid,
    tools: [...card.tools, ...card.software.map((s) => s.name)].join(' \n '),
    countries: card.countries.join(' \n '),
    sectors: card.sectors.join(' \n '),
    targets: card.targets.join(' \n '),
    motivations: [card.sponsor, ...card.motivations].join(' \n '),
    description: card.description.join('\n'),
    operations: ops.map((o) => `${o.title}\n${o.text}`).join('\n'),
  };
}

const processTerm = (term: string) => normalize(term) || null;

/**
 * Names are few and short: fuzzy and prefix matching there is cheap and catches misspellings.
 * Prose is large: fuzzy matching over its vocabulary costs milliseconds, so it gets prefix only.
 * Two indexes keep fuzzy lookups fast whatever the size of the descriptions.
 */
export const NAME_OPTIONS = {
  fields: ['names', 'aliases', 'keys'],
  processTerm,
  searchOptions: {
    boost: { names: 1.5, aliases: 1.2 },
    prefix: (term: string) => term.length >= 3,
    // One typo from four characters on, two from nine: "Pnda" finds "Panda", "APT" stays exact.
    fuzzy: (term: string) => (term.length >= 9 ? 2 : term.length >= 4 ? 1 : false),
    combineWith: 'AND' as const,
  },
};

export const TEXT_OPTIONS = {
  fields: ['tools', 'countries', 'sectors', 'targets', 'motivations', 'description', 'operations'],
  processTerm,
  searchOptions: {
    boost: { tools: 2, countries: 1.5, sectors: 1.5, targets: 1.2 },
    prefix: (term: string) => term.length >= 4,
    combineWith: 'AND' as const,
  },
};

/**
 * Take the `removed` profiles out of both indexes and put the `added` ones in (an incremental
 * reload). MiniSearch's `remove` rather than `discard`: it needs the document as it was indexed
 * (made again from the unchanged profile), and leaves the index as if built without it, so
 * scores equal a fresh build's and no vacuuming runs later on the main thread.
 */
export function replaceDocs(
  names: MiniSearch<NameDoc>,
  text: MiniSearch<TextDoc>,
  removed: readonly ActorCard[],
  added: readonly ActorCard[],
): void {
  // Checked before anything changes: a change that does not fit throws, both indexes intact.
  const gone = new Set(removed.map((c) => c.uuid));
  const coming = added.map((c) => c.uuid);
  const fits =
    gone.size === removed.length &&
    [...gone].every((id) => names.has(id) && text.has(id)) &&
    new Set(coming).size === coming.length &&
    coming.every((id) => gone.has(id) || !(names.has(id) || text.has(id)));
  if (!fits) throw new Error('index update does not fit the serving index');
  for (const card of removed) {
    names.remove(toNameDoc(card));
    text.remove(toTextDoc(card));
  }
  for (const card of added) {
    names.add(toNameDoc(card));
    text.add(toTextDoc(card));
  }
}
