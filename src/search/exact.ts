/**
 * The exact alias table in front of the MiniSearch indexes: every title name, alias and card
 * UUID of an actor, compacted, to the actor's profile. A name several actors carry maps to all
 * of them; the catalog may have settled it (preferredOwner in src/catalog/owners.ts).
 */
import type { LoadedCard } from '../cards/model.js';
import type { Catalog, CatalogActor } from '../catalog/catalog.js';
import { inSlices, type Slices } from './index-io.js';
import { compactKey } from './normalize.js';

export class ExactNames {
  /** compactKey(name) -> actors with that title name or alias (several when shared). */
  private readonly exact: Map<string, CatalogActor[]>;
  /**
   * The keys incremental reloads changed since `exact` was made ([] for a key gone): `exact` is
   * shared with the tables before, never changed, so each keeps answering for its own catalog.
   */
  private readonly changes: ReadonlyMap<string, CatalogActor[]>;

  /**
   * Everything is by actor: one merged profile, found by the UUID of any card in it. Made from
   * the keys alone; a profile is merged when a lookup first returns it.
   */
  constructor(
    private readonly catalog: Catalog,
    /** The tables updated() makes: nothing is added from the catalog. */
    from?: { exact: Map<string, CatalogActor[]>; changes: Map<string, CatalogActor[]> },
  ) {
    this.exact = from?.exact ?? new Map();
    this.changes = from?.changes ?? new Map();
    if (from) return;
    // Keys compacted when the catalog was derived (and kept in the actor cache).
    for (const actor of catalog.actors) this.addActor(actor);
  }

  /** The same table as `new ExactNames(catalog)`, made in slices (a full rebuild's hand-over). */
  static async inSteps(catalog: Catalog, slices: Slices): Promise<ExactNames> {
    const table = new ExactNames(catalog, { exact: new Map(), changes: new Map() });
    await inSlices(catalog.actors, (actor) => table.addActor(actor), slices);
    return table;
  }

  private addActor(actor: CatalogActor): void {
    for (const key of actor.keys) this.add(key, actor);
  }

  /**
   * The table of `catalog` made from this one (an incremental reload): the `removed` actors'
   * keys dropped, the `added` ones' put in, as changes over this table's own (copying 60,000
   * keys would hold the reload's one main-thread step ~5 ms); folded in once they are many.
   */
  updated(
    catalog: Catalog,
    removed: readonly CatalogActor[],
    added: readonly CatalogActor[],
  ): ExactNames {
    const changes = new Map(this.changes);
    const get = (key: string) => changes.get(key) ?? this.exact.get(key) ?? [];
    for (const actor of removed) {
      for (const key of actor.keys)
        changes.set(
          key,
          get(key).filter((a) => a !== actor),
        );
    }
    const shared = new Set<string>();
    for (const actor of added) {
      for (const key of actor.keys) {
        const list = get(key);
        if (list.includes(actor)) continue;
        changes.set(key, [...list, actor]);
        if (list.length > 0) shared.add(key);
      }
    }
    // A shared name lists its actors in catalog order, as a table made from scratch does.
    if (shared.size > 0) {
      const order = new Map(catalog.actors.map((a, i) => [a, i] as const));
      for (const key of shared) get(key).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    }
    if (changes.size <= Math.max(256, this.exact.size / 8)) {
      return new ExactNames(catalog, { exact: this.exact, changes });
    }
    const exact = new Map(this.exact);
    for (const [key, list] of changes) {
      if (list.length > 0) exact.set(key, list);
      else exact.delete(key);
    }
    return new ExactNames(catalog, { exact, changes: new Map() });
  }

  private add(key: string, actor: CatalogActor): void {
    const list = this.exact.get(key);
    if (!list) this.exact.set(key, [actor]);
    else if (!list.includes(actor)) list.push(actor);
  }

  /** Actor profiles whose title name, alias or card UUID is exactly this (after normalization). */
  lookup(name: string): LoadedCard[] {
    const key = compactKey(name);
    return (this.changes.get(key) ?? this.exact.get(key) ?? []).map((actor) => actor.profile.entry);
  }

  /**
   * Of the profiles a shared name gives, the one most sources call so (see preferredOwner),
   * as the catalog worked it out when it was built: a query weighs nothing.
   */
  preferredOwner(name: string): LoadedCard | undefined {
    return this.catalog.settledOwner(compactKey(name))?.profile.entry;
  }
}
