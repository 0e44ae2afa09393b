/**
 * The main thread's side of an incremental reload (delta.ts): the next catalog made from the
 * serving one and a CatalogDelta. Unchanged cards and actors are the serving catalog's own
 * objects; only the changed actors get new CatalogActor and profile objects. Nothing here
 * touches the serving catalog or index: the index is updated (SearchIndex.updated) only once the
 * watcher has decided to swap, in the same synchronous step as the swap.
 */
import type { LoadedCard } from '../cards/model.js';
import { assembleCatalog, type Catalog, type CatalogActor, catalogActor } from './catalog.js';
import { type CatalogDelta, rememberBaseline } from './delta.js';

export interface CatalogChange {
  catalog: Catalog;
  /** Actors of the serving catalog that the next one does not have as they are. */
  removed: CatalogActor[];
  /** Actors of the next catalog that the serving one does not have as they are. */
  added: CatalogActor[];
}

function at<T>(list: readonly T[], i: number, what: string): T {
  const item = list[i];
  if (item === undefined) throw new Error(`reload delta: no ${what} at ${i}`);
  return item;
}

/** The next catalog: `current` (the delta's baseline) with the delta applied. */
export function catalogFromDelta(current: Catalog, delta: CatalogDelta): CatalogChange {
  const kept: LoadedCard[] = new Array(delta.cards.length);
  for (let i = 0; i < delta.cards.length; i++) {
    const p = delta.cards[i] as number;
    kept[i] = p >= 0 ? at(current.cards, p, 'card') : at(delta.newCards, -p - 1, 'new card');
  }
  const reused = new Uint8Array(current.actors.length);
  const added: CatalogActor[] = [];
  const actors: CatalogActor[] = new Array(delta.actors.length);
  for (let i = 0; i < delta.actors.length; i++) {
    const p = delta.actors[i] as number;
    if (p >= 0) {
      actors[i] = at(current.actors, p, 'actor');
      reused[p] = 1;
    } else {
      const actor = catalogActor(at(delta.changed, -p - 1, 'changed actor'), kept);
      added.push(actor);
      actors[i] = actor;
    }
  }
  const removed = current.actors.filter((_, i) => reused[i] === 0);
  const catalog = assembleCatalog({
    kept,
    // As a catalog from the reload worker's full reply: the first copy in display order.
    inLoadingOrder: kept,
    actors,
    hidden: delta.hidden.map((i) => at(kept, i, 'hidden card')),
    issues: delta.issues,
    settled: delta.settled,
    ...(delta.titles ? { titles: delta.titles } : {}),
    overrides: delta.overrides,
  });
  rememberBaseline(catalog, delta.next);
  return { catalog, removed, added };
}
