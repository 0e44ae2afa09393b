/**
 * buildCatalog over a derivation from the reload worker, in slices of a few milliseconds
 * (hot reload's full rebuild takes the worker's catalog in while another serves): making
 * 10,000 actors in one go held the main thread about 15 ms. The catalog is the same as
 * buildCatalog's (test/catalog/worker-load.test.ts compares them).
 */
import type { LoadedCard } from '../cards/model.js';
import { inSlices, type Slices } from '../search/index-io.js';
import {
  type Catalog,
  type CatalogActor,
  catalogActor,
  type DerivedCatalog,
  derivedCatalogOf,
  keptCards,
} from './catalog.js';
import type { CatalogIssue } from './issues.js';
import type { ActorOverrides } from './overrides.js';

export async function buildCatalogInSteps(
  loaded: LoadedCard[],
  overrides: ActorOverrides,
  derived: DerivedCatalog,
  issues: readonly CatalogIssue[],
  slices: Slices,
): Promise<Catalog> {
  const kept = keptCards(loaded, derived);
  const actors: CatalogActor[] = [];
  await inSlices(derived.actors, (a) => actors.push(catalogActor(a, kept)), slices);
  await slices.pause();
  return derivedCatalogOf(loaded, kept, actors, derived, overrides, [...issues]);
}
