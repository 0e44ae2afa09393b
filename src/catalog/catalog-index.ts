/**
 * The last stage of loading: catalog -> search index. Building the MiniSearch indexes costs far
 * more than loading them, so they are kept in the cache folder (src/catalog/index-cache.ts), keyed by
 * the catalog's cards and actors.
 */
import { SearchIndex } from '../search/index.js';
import { usableCacheDir } from './cache.js';
import type { Catalog } from './catalog.js';
import { indexCacheFiles } from './index-cache.js';

/**
 * Build the search index for a catalog, reusing the serialized MiniSearch indexes from an
 * earlier run when the cards are the same. Each index is read from the cache (or built and
 * saved) when a query first needs it; `warm()` does both at once.
 */
export function buildIndex(catalog: Catalog, cacheSetting: string | false): SearchIndex {
  const cacheDir = usableCacheDir(cacheSetting);
  if (!cacheDir) return new SearchIndex(catalog);
  const files = indexCacheFiles(cacheDir, catalog);
  return new SearchIndex(catalog, {
    names: files.readNames,
    saveNames: files.saveNames,
    text: files.readText,
    saveText: files.saveText,
  });
}
