/**
 * The exact alias table in front of the MiniSearch indexes: every title name, alias and card
 * UUID of an actor, compacted, to the actor's profile. A name several actors carry maps to all
 * of them; the catalog may have settled it (preferredOwner in src/catalog/owners.ts).
 */
import type { LoadedCard } from '../cards/model.js';
import type { Catalog, CatalogActor } from '../catalog/catalog.js';
import { compactKey } from './normalize.js';

export class ExactNames {
  /** compactKey(name) -> actors with that title name or alias (several when shared). */
  private readonly exact = new Map<string, CatalogActor[]>();

  /**
   * Everything is by actor: one merged profile, found by the UUID of any card in it. Made from
   * the keys alone; a profile is merged when a lookup first returns it.
   */
  constructor(private readonly catalog: Catalog) {
    for (const actor of catalog.actors) {
      // Compacted when the catalog was derived (and kept in the actor cache).
      for (const key of actor.keys) this.add(key, actor);
    }
  }

  private add(key: string, actor: CatalogActor): void {
    const list = this.exact.get(key);
    if (!list) this.exact.set(key, [actor]);
    else if (!list.includes(actor)) list.push(actor);
  }

  /** Actor profiles whose title name, alias or card UUID is exactly this (after normalization). */
  lookup(name: string): LoadedCard[] {
    return (this.exact.get(compactKey(name)) ?? []).map((actor) => actor.profile.entry);
  }

  /**
   * Of the profiles a shared name gives, the one most sources call so (see preferredOwner),
   * as the catalog worked it out when it was built: a query weighs nothing.
   */
  preferredOwner(name: string): LoadedCard | undefined {
    return this.catalog.settledOwner(compactKey(name))?.profile.entry;
  }
}
