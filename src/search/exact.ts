/**
 * The exact alias table in front of the MiniSearch indexes: every title name, alias and card
 * UUID of an actor, compacted, to the actor's profile. A name several actors carry maps to all
 * of them; the catalog may have settled it (preferredOwner in src/catalog/owners.ts).
 */
import type { LoadedCard } from '../cards/model.js';
import type { Catalog, CatalogActor } from '../catalog/catalog.js';
import { compactKey } from './normalize.js';

export class ExactNames {
  /** compactKey(name) -> actor profiles with that title name or alias (several when shared). */
  private readonly exact: Map<string, LoadedCard[]> = new Map();

  /** Everything is by actor: one merged profile, found by the UUID of any card in it. */
  constructor(
    private readonly catalog: Catalog,
    /** A table to start from (updated() changes the copy): nothing is added from the catalog. */
    from?: ReadonlyMap<string, LoadedCard[]>,
  ) {
    if (from) {
      this.exact = new Map(from);
      return;
    }
    for (const actor of catalog.actors) {
      const entry = actor.profile.entry;
      // Compacted when the catalog was derived (and kept in the actor cache).
      for (const key of actor.keys) this.add(key, entry);
    }
  }

  /**
   * The table of `catalog` made from this one (an incremental reload): the `removed` actors'
   * keys dropped, the `added` ones' put in. The lists a change touches are copied, never
   * changed in place, so this table keeps answering for its own catalog.
   */
  updated(
    catalog: Catalog,
    removed: readonly CatalogActor[],
    added: readonly CatalogActor[],
  ): ExactNames {
    const next = new ExactNames(catalog, this.exact);
    const touched = new Set<string>();
    for (const actor of removed) {
      const entry = actor.profile.entry;
      for (const key of actor.keys) {
        const list = next.exact.get(key)?.filter((e) => e !== entry);
        if (list && list.length > 0) next.exact.set(key, list);
        else next.exact.delete(key);
      }
    }
    for (const actor of added) {
      const entry = actor.profile.entry;
      for (const key of actor.keys) {
        const list = next.exact.get(key);
        if (!list) next.exact.set(key, [entry]);
        else if (!list.includes(entry)) {
          next.exact.set(key, [...list, entry]);
          touched.add(key);
        }
      }
    }
    // A shared name lists its actors in catalog order, as a table made from scratch does.
    if (touched.size > 0) {
      const order = new Map(catalog.profiles.map((p, i) => [p, i] as const));
      for (const key of touched) {
        const list = next.exact.get(key) ?? [];
        list.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      }
    }
    return next;
  }

  private add(key: string, entry: LoadedCard): void {
    const list = this.exact.get(key);
    if (!list) this.exact.set(key, [entry]);
    else if (!list.includes(entry)) list.push(entry);
  }

  /** Actor profiles whose title name, alias or card UUID is exactly this (after normalization). */
  lookup(name: string): LoadedCard[] {
    return this.exact.get(compactKey(name)) ?? [];
  }

  /**
   * Of the profiles a shared name gives, the one most sources call so (see preferredOwner),
   * as the catalog worked it out when it was built: a query weighs nothing.
   */
  preferredOwner(name: string): LoadedCard | undefined {
    return this.catalog.settledOwner(compactKey(name))?.profile.entry;
  }
}
