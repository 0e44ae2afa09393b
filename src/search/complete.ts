/** Autocomplete (Slack's and Discord's /apt options): names that start like what is typed. */
import type MiniSearch from 'minisearch';
import { allNames, displayName, type LoadedCard } from '../cards/model.js';
import type { Catalog } from '../catalog/catalog.js';
import type { NameDoc } from './documents.js';
import { compactKey } from './normalize.js';

/**
 * Up to `limit` actors with a name starting with the typed prefix, then names fuzzily like it
 * (from the names index): one choice per actor, with the name that matched.
 */
export function completions(
  catalog: Catalog,
  names: MiniSearch<NameDoc>,
  prefix: string,
  limit: number,
): { name: string; card: LoadedCard }[] {
  const key = compactKey(prefix);
  const out: { name: string; card: LoadedCard }[] = [];
  const seen = new Set<string>();
  // One choice per actor: the first of its names that fits.
  const push = (name: string, card: LoadedCard) => {
    const id = card.card.uuid;
    if (out.length < limit && !seen.has(id)) {
      seen.add(id);
      out.push({ name, card });
    }
  };
  if (!key) {
    for (const entry of catalog.profiles) push(displayName(entry.card), entry);
    return out;
  }
  for (const entry of catalog.profiles) {
    for (const name of allNames(entry.card)) {
      if (compactKey(name).startsWith(key)) push(name, entry);
    }
  }
  if (out.length < limit) {
    // Then fuzzy matches, for cards not offered yet.
    const offered = new Set(out.map((o) => o.card));
    for (const r of names.search(prefix, { combineWith: 'OR' })) {
      const entry = catalog.profileOf(String(r.id));
      if (entry && !offered.has(entry)) push(displayName(entry.card), entry);
    }
  }
  return out;
}
