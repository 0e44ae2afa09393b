/**
 * The last stage of loading: catalog -> search index. Building the MiniSearch indexes costs far
 * more than loading them, so they are kept in the cache folder (src/catalog/cache.ts), keyed by
 * the catalog's cards and actors.
 */
import { SearchIndex } from '../search/index.js';
import { indexCacheFiles, usableCacheDir } from './cache.js';
import type { Catalog } from './catalog.js';

/**
 * Build the search index for a catalog, reusing the serialized MiniSearch indexes from an
 * earlier run when the cards are the same. The prose index is saved when it is first built,
 * loaded when it is first needed.
 */
export function buildIndex(catalog: Catalog, cacheSetting: string | false): SearchIndex {
  const cacheDir = usableCacheDir(cacheSetting);
  if (!cacheDir) return new SearchIndex(catalog);
  const files = indexCacheFiles(cacheDir, catalog);
  const names = files.readNames();
  const index = new SearchIndex(catalog, {
    ...(names ? { names } : {}),
    text: files.readText,
    saveText: files.saveText,
  });
  if (!names) files.saveNames(index.serializeNames());
  return index;
}
