/**
 * A SearchIndex made in slices of a few milliseconds, for an index taken in while another
 * serves (hot reload's full rebuild from the reload worker): the exact table (10,000 actors:
 * about 10 ms in one go), then warmInSteps. It answers as `new SearchIndex(catalog,
 * cache).warm()` does (test/search/warm-in-steps.test.ts).
 */
import type { Catalog } from '../catalog/catalog.js';
import { ExactNames } from './exact.js';
import { SearchIndex } from './index.js';
import type { IndexCache, Slices } from './index-io.js';

export async function searchIndexInSteps(
  catalog: Catalog,
  cache: IndexCache,
  slices: Slices,
): Promise<SearchIndex> {
  const exact = await ExactNames.inSteps(catalog, slices);
  await slices.pause();
  return new SearchIndex(catalog, cache, {}, { exact }).warmInSteps(slices);
}
