import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SearchIndex } from '../search/index.js';
import type { Catalog } from './catalog.js';
import { Library } from './library.js';
import { loadCatalog } from './load.js';

/** Bump when the index's fields or term processing change. */
const INDEX_CACHE_VERSION = 2;

function indexCachePath(cacheDir: string, catalog: Catalog): string {
  const h = createHash('sha256').update(`v${INDEX_CACHE_VERSION}`);
  for (const entry of catalog.cards) h.update(entry.source.hash);
  return join(cacheDir, `index-${h.digest('hex').slice(0, 24)}.json`);
}

/**
 * Build the search index for a catalog, reusing the serialized MiniSearch index from an earlier
 * run when the cards are the same (building it costs far more than loading it).
 */
export function buildIndex(catalog: Catalog, cacheDir: string | false): SearchIndex {
  if (!cacheDir) return new SearchIndex(catalog);
  const path = indexCachePath(cacheDir, catalog);
  try {
    return new SearchIndex(catalog, readFileSync(path, 'utf8'));
  } catch {
    const index = new SearchIndex(catalog);
    try {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, index.serialize());
      renameSync(tmp, path);
    } catch {
      // The cache only saves time; a read-only disk is not an error.
    }
    return index;
  }
}

export function openIndex(cardsDir: string, cacheDir: string | false): SearchIndex {
  return buildIndex(loadCatalog(cardsDir, { cacheDir }), cacheDir);
}

export function openLibrary(cardsDir: string, cacheDir: string | false): Library {
  return new Library(openIndex(cardsDir, cacheDir));
}
